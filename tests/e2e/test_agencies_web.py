"""The service directory on the web, through the real app on both backends: everyone
signed in reads it and filters it by region and kind (the kinds in words); coordinators in
their regions and admins add and change entries with forms that come back with their
errors and what was typed; officers and auditors see no form and are refused if they send
one anyway."""

from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient

from infrastructure.bootstrap import Runtime
from tests.casework import Casework, casework
from tests.e2e.test_transfers_web import person, visible_text
from tests.web import field_errors, hidden_fields

BP3MI = {"name": "BP3MI Jawa Timur", "kind": "bp3mi", "region_code": "35",
         "contact": "Jl. Raya Juanda No. 1, Sidoarjo"}  # fmt: skip
POLRES = {"name": "Polres Cilacap", "kind": "police", "region_code": "33.01"}


@pytest.fixture
def work(client: TestClient, app_runtime: Runtime) -> Casework:
    work = casework(client, app_runtime)
    work.post("admin", "/v1/agencies", BP3MI)
    work.post("koordinator.cilacap", "/v1/agencies", POLRES)
    caught_up(app_runtime)
    return work


def listed(html: str) -> list[str]:
    table = html[html.find('id="agencies"') :]
    return [
        unescape(n) for n in re.findall(r'<a href="/agencies/[0-9a-f-]+">(?:<bdi>)?([^<]+)', table)
    ]


@pytest.mark.parametrize("username", ["petugas", "auditor"])
def test_officers_and_auditors_read_the_directory_without_a_form(
    work: Casework, username: str
) -> None:
    reader = person(work.client, username)
    page = reader.get("/agencies")
    assert page.status_code == 200
    assert 'href="/agencies"' in page.text  # in the menu
    assert sorted(listed(page.text)) == ["BP3MI Jawa Timur", "Polres Cilacap"]
    shown = visible_text(page.text)
    assert "Kepolisian" in shown or "Polisi" in shown  # the kind in words, not "police"
    assert 'class="filters"' in page.text
    assert 'method="post" action="/agencies' not in page.text
    agency_id = re.search(r'href="/agencies/([0-9a-f-]+)"', page.text)
    assert agency_id is not None
    entry = reader.get(f"/agencies/{agency_id.group(1)}")
    assert entry.status_code == 200
    assert 'method="post" action="/agencies' not in entry.text


def test_the_directory_filters_by_region_and_kind(work: Casework) -> None:
    reader = person(work.client, "petugas")
    # A village of Malang: the province's BP3MI serves it, Cilacap's police do not.
    assert listed(reader.get("/agencies", params={"region": "35.07.12.2001"}).text) == [
        "BP3MI Jawa Timur"
    ]
    assert listed(reader.get("/agencies", params={"kind": "police"}).text) == ["Polres Cilacap"]
    page = reader.get("/agencies", params={"region": "33", "kind": "police"})
    assert listed(page.text) == ["Polres Cilacap"]
    assert 'value="33"' in page.text  # the filter keeps what was asked
    bad = reader.get("/agencies", params={"region": "Malang"})
    assert bad.status_code == 200
    assert "filter-region" in field_errors(bad.text)
    assert listed(bad.text) == []


def test_an_officer_who_sends_the_form_anyway_is_refused(work: Casework) -> None:
    officer = person(work.client, "petugas")
    page = officer.get("/agencies")
    # A valid CSRF token (the page's logout form has one) with the form a coordinator sees.
    token = hidden_fields(page.text, "/logout")
    refused = officer.client.post(
        "/agencies", data={**token, "form_key": "k1", "name": "LBH Malang", "kind": "legal_aid",
                           "region_code": "35.07"})  # fmt: skip
    assert refused.status_code == 403
    assert "Peran Anda tidak boleh" in visible_text(refused.text)  # not the CSRF check
    assert "LBH Malang" not in visible_text(officer.get("/agencies").text)
    agency = work.client.get("/v1/agencies", headers=work["petugas"]).json()["items"][0]
    changed = officer.client.post(f"/agencies/{agency['agency_id']}",
                                  data={**token, "form_key": "k2", "name": "Diubah",
                                        "kind": "other", "region_code": "35"})  # fmt: skip
    assert changed.status_code == 403
    assert "Peran Anda tidak boleh" in visible_text(changed.text)
    names = {
        a["name"] for a in work.client.get("/v1/agencies", headers=work["admin"]).json()["items"]
    }
    assert "Diubah" not in names


def test_a_coordinator_adds_an_agency_and_a_refusal_keeps_what_was_typed(work: Casework) -> None:
    coordinator = person(work.client, "koordinator.malang")
    page = coordinator.get("/agencies")
    assert 'method="post" action="/agencies"' in page.text
    typed = {"name": "LBH Surabaya Pos Malang", "kind": "legal_aid", "region_code": "33.01",
             "contact": "(0341) 555 0101"}  # fmt: skip
    refused = coordinator.send(page.text, "/agencies", typed)
    assert refused.status_code == 403  # Cilacap is not the coordinator's to list for
    assert "LBH Surabaya Pos Malang" in refused.text
    assert "(0341) 555 0101" in refused.text
    assert 'role="alert"' in refused.text
    missing = coordinator.send(refused.text, "/agencies", {**typed, "region_code": "", "name": ""})
    assert missing.status_code == 422
    assert {"agency-name", "agency-region_code"} <= set(field_errors(missing.text))
    saved = coordinator.send(missing.text, "/agencies", {**typed, "region_code": "35.07"},
                             follow_redirects=True)  # fmt: skip
    assert saved.status_code == 200
    assert "Lembaga sudah ditambahkan." in saved.text
    assert "LBH Surabaya Pos Malang" in saved.text
    twice = coordinator.submit("/agencies", "/agencies", {**typed, "region_code": "35.07"})
    assert twice.status_code == 409  # one entry per kind, region and name
    assert "LBH Surabaya Pos Malang" in twice.text


def caught_up(runtime: Runtime) -> None:
    """The directory's read model has every write so far (it follows them in the
    background; the entry's own page reads the entry itself)."""
    assert runtime.read_models.wait_for("agencies", runtime.projections.head(), 10)


def test_a_coordinator_changes_an_entry_and_an_admin_any(
    work: Casework, app_runtime: Runtime
) -> None:
    agencies = work.client.get("/v1/agencies", headers=work["admin"]).json()["items"]
    polres = next(a for a in agencies if a["name"] == "Polres Cilacap")
    path = f"/agencies/{polres['agency_id']}"
    malang = person(work.client, "koordinator.malang")
    assert (
        'method="post" action="/agencies' not in malang.get(path).text
    )  # Cilacap's entry is not theirs
    cilacap = person(work.client, "koordinator.cilacap")
    page = cilacap.get(path)
    other_tab = cilacap.get(path)
    assert 'value="Polres Cilacap"' in page.text  # the form shows the entry as it is
    changed = {"name": "Polres Cilacap", "kind": "police", "region_code": "33.01",
               "contact": "Jl. Jend. Sudirman 1, Cilacap"}  # fmt: skip
    bad = cilacap.send(page.text, path, {**changed, "kind": "dukun"})
    assert bad.status_code == 422
    assert "agency-kind" in field_errors(bad.text)
    assert "Jl. Jend. Sudirman 1, Cilacap" in bad.text
    saved = cilacap.send(bad.text, path, changed, follow_redirects=True)
    assert saved.status_code == 200
    assert "Data lembaga sudah diubah." in saved.text
    assert "Jl. Jend. Sudirman 1, Cilacap" in visible_text(saved.text)
    caught_up(app_runtime)
    entry = work.client.get("/v1/agencies", params={"kind": "police"}, headers=work["petugas"])
    assert entry.json()["items"][0]["contact"] == "Jl. Jend. Sudirman 1, Cilacap"
    # A stale form (the entry changed since it was opened) is refused, not applied.
    stale = cilacap.send(other_tab.text, path, {**changed, "contact": "lama"})
    assert stale.status_code == 412
    admin = person(work.client, "admin")
    renamed = admin.submit(
        path, path, {**changed, "name": "Polresta Cilacap"}, follow_redirects=True
    )
    assert renamed.status_code == 200
    caught_up(app_runtime)
    assert listed(admin.get("/agencies", params={"kind": "police"}).text) == ["Polresta Cilacap"]
    assert "Polresta Cilacap" in admin.get("/agencies").text
