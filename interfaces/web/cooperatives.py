"""Koperasi Desmigratif: the cooperatives in a person's area and one cooperative's books, with
the forms a treasurer fills in (members, savings, withdrawals, loans, repayments, business
units, the annual members' meeting). Amounts are whole rupiah, typed as ``1.500.000`` or
``1500000``; the cooperative's rules (no withdrawal beyond the balance, no repayment beyond
what is owed) answer in the treasurer's language next to the form."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel

from application.app import JejakApplication
from application.cooperatives import (
    AdmitMember,
    DepositSavings,
    DisburseLoan,
    HoldAnnualMeeting,
    OpenBusinessUnit,
    Person,
    RepayLoan,
    WithdrawMember,
    WithdrawSavings,
)
from application.errors import NotFound
from application.principal import Principal
from application.writes import WriteOptions, WriteResult
from domain.errors import DomainError
from interfaces.http.deps import AppDep
from interfaces.http.schemas.cooperatives import (
    AdmitMemberBody,
    BusinessUnitBody,
    LoanBody,
    MeetingBody,
    MemberWithdrawalBody,
    RepaymentBody,
    SavingsBody,
    SavingsWithdrawalBody,
)
from interfaces.web import text
from interfaces.web.forms import (
    Form,
    FormDep,
    FormErrors,
    compact,
    domain_errors,
    money,
    validate,
    validate_confirmed,
    whole,
    write_options,
)
from interfaces.web.pages import can_record, form_state
from interfaces.web.render import render
from interfaces.web.routing import WebRoute, redirect
from interfaces.web.session import SessionDep, WebSession

router = APIRouter(route_class=WebRoute, include_in_schema=False)

Call = Callable[[JejakApplication, Principal, UUID, Any, WriteOptions, Form], WriteResult]


@dataclass(frozen=True)
class BookForm:
    model: type[BaseModel]
    #: Form fields read as whole rupiah or whole numbers.
    money: tuple[str, ...]
    whole: tuple[str, ...]
    call: Call
    #: Sent only with "Saya yakin" ticked (``forms.validate_confirmed``): money goes out.
    confirm: bool = False


def _loan_id(form: Form) -> UUID:
    return UUID(form.get("loan_id"))  # checked by record_in_books before the call


def _member_id(form: Form) -> UUID:
    return UUID(form.get("member_id"))


BOOK_FORMS: dict[str, BookForm] = {
    "savings": BookForm(
        SavingsBody,
        ("amount",),
        (),
        lambda app, p, c, b, o, f: app.deposit_savings(
            p,
            c,
            DepositSavings(
                member_id=b.member_id, kind=b.kind, amount=b.amount, occurred_on=b.occurred_on
            ),
            o,
        ),
    ),
    "savings-withdrawals": BookForm(
        SavingsWithdrawalBody,
        ("amount",),
        (),
        lambda app, p, c, b, o, f: app.withdraw_savings(
            p,
            c,
            WithdrawSavings(
                member_id=b.member_id, amount=b.amount, kind=b.kind, occurred_on=b.occurred_on
            ),
            o,
        ),
    ),
    "loans": BookForm(
        LoanBody,
        ("principal",),
        ("term_months",),
        lambda app, p, c, b, o, f: app.disburse_loan(
            p,
            c,
            DisburseLoan(
                member_id=b.member_id,
                principal=b.principal,
                term_months=b.term_months,
                purpose=b.purpose,
                occurred_on=b.occurred_on,
            ),
            o,
        ),
        confirm=True,
    ),
    "repayments": BookForm(
        RepaymentBody,
        ("amount",),
        (),
        lambda app, p, c, b, o, f: app.repay_loan(
            p, c, _loan_id(f), RepayLoan(amount=b.amount, occurred_on=b.occurred_on), o
        ),
    ),
    "member-withdrawal": BookForm(
        MemberWithdrawalBody,
        (),
        (),
        lambda app, p, c, b, o, f: app.withdraw_member(
            p, c, _member_id(f), WithdrawMember(occurred_on=b.occurred_on), o
        ),
    ),
    "business-units": BookForm(
        BusinessUnitBody,
        (),
        (),
        lambda app, p, c, b, o, f: app.open_business_unit(
            p, c, OpenBusinessUnit(name=b.name, sector=b.sector, occurred_on=b.occurred_on), o
        ),
    ),
    "meetings": BookForm(
        MeetingBody,
        (),
        ("attendees",),
        lambda app, p, c, b, o, f: app.hold_annual_meeting(
            p, c, HoldAnnualMeeting(attendees=b.attendees, held_on=b.held_on), o
        ),
    ),
}
#: Fields a form sends that are not the body's (which loan, which member leaves).
_ADDRESSING = {"repayments": "loan_id", "member-withdrawal": "member_id"}


@router.get("/cooperatives")
def list_cooperatives(request: Request, session: SessionDep, app: AppDep) -> Response:
    page = app.report(
        session.principal,
        "cooperatives",
        "cooperatives",
        region=None,
        order=("village_code", "cooperative_id"),
        limit=200,
    )
    return render(
        request,
        "cooperatives/list.html",
        session,
        {"cooperatives": page.rows, "position": page.position},
    )


@router.get("/cooperatives/{cooperative_id}")
def show_cooperative(
    cooperative_id: UUID, request: Request, session: SessionDep, app: AppDep
) -> Response:
    return _cooperative_page(request, session, app, cooperative_id, {})


@router.post("/cooperatives/{cooperative_id}/members")
def admit_member(
    cooperative_id: UUID, request: Request, session: SessionDep, app: AppDep, form: FormDep
) -> Response:
    """A returnee is found by the NIK of their worker record (the NIK stays in the body); a
    family or community member is admitted by name, with their NIK when they have one."""
    kind = form.get("kind")
    nik = form.get("nik")
    try:
        data: dict[str, Any] = compact({"kind": kind, "occurred_on": form.get("occurred_on")})
        if kind == "returnee":
            if not nik:
                raise FormErrors(fields={"nik": text.validation_text("missing", "", session.lang)})
            try:
                worker = app.lookup_worker(session.principal, nik)
            except NotFound:
                message = text.t("workers.not_registered", session.lang)
                raise FormErrors(fields={"nik": message}) from None
            data["worker_id"] = str(worker.id)
        else:
            data["person"] = compact({"name": form.get("name"), "nik": nik})
        body = validate(AdmitMemberBody, data, session.lang, rename=_person_field)
        person = None if body.person is None else Person(name=body.person.name, nik=body.person.nik)
        command = AdmitMember(
            kind=body.kind, worker_id=body.worker_id, person=person, occurred_on=body.occurred_on
        )
        app.admit_member(
            session.principal,
            cooperative_id,
            command,
            write_options(request.app.state.runtime, form),
        )
    except (FormErrors, DomainError) as error:
        return _failed(request, session, app, cooperative_id, "members", form, error)
    return redirect(request, f"/cooperatives/{cooperative_id}?saved=members")


@router.post("/cooperatives/{cooperative_id}/{action}")
def record_in_books(
    cooperative_id: UUID,
    action: str,
    request: Request,
    session: SessionDep,
    app: AppDep,
    form: FormDep,
) -> Response:
    spec = BOOK_FORMS.get(action)
    if spec is None:
        raise NotFound(what="page")
    data: dict[str, Any] = {}
    for name in spec.model.model_fields:
        value = form.get(name)
        if name in spec.money:
            data[name] = money(value) if value else value
        elif name in spec.whole:
            data[name] = whole(value) if value else value
        else:
            data[name] = value
    try:
        address = _ADDRESSING.get(action)
        if address is not None and not _is_uuid(form.get(address)):
            raise FormErrors(general=text.t("form.stale", session.lang))
        if spec.confirm:
            body = validate_confirmed(spec.model, compact(data), session.lang, form)
        else:
            body = validate(spec.model, compact(data), session.lang)
        options = write_options(request.app.state.runtime, form)
        spec.call(app, session.principal, cooperative_id, body, options, form)
    except (FormErrors, DomainError) as error:
        return _failed(request, session, app, cooperative_id, action, form, error)
    return redirect(request, f"/cooperatives/{cooperative_id}?saved={action}")


def _is_uuid(value: str) -> bool:
    try:
        UUID(value)
    except ValueError:
        return False
    return True


def _person_field(name: str) -> str:
    return {"person.name": "name", "person.nik": "nik", "person": "name", "worker_id": "nik"}.get(
        name, name.replace(".", "_")
    )


def _failed(
    request: Request,
    session: WebSession,
    app: AppDep,
    cooperative_id: UUID,
    action: str,
    form: Form,
    error: FormErrors | DomainError,
) -> Response:
    if isinstance(error, NotFound) and error.params.get("what") == "cooperative":
        raise error
    if isinstance(error, FormErrors):
        errors = error
    else:
        errors = domain_errors(error, session.lang, rename=_person_field)
    form_id = action
    if action in _ADDRESSING:
        form_id = f"{action}-{form.get(_ADDRESSING[action])}"
    state = form_state(form_id, form.flat(), errors, form.form_key)
    return _cooperative_page(
        request, session, app, cooperative_id, {form_id: state}, status=errors.status
    )


def _cooperative_page(
    request: Request,
    session: WebSession,
    app: AppDep,
    cooperative_id: UUID,
    states: dict[str, dict[str, Any]],
    status: int = 200,
) -> Response:
    cooperative = app.get_cooperative(session.principal, cooperative_id)
    names: dict[UUID, str] = {}
    members = sorted(cooperative.members.values(), key=lambda m: (m.admitted_on, str(m.id)))
    for member in members:
        if member.worker_id is not None:
            # A worker member's name is on the worker record: read it there (access-logged).
            try:
                names[member.id] = app.get_worker(session.principal, member.worker_id).full_name
            except NotFound:
                names[member.id] = "–"
        else:
            names[member.id] = member.name or "–"
    loans = sorted(cooperative.loans.values(), key=lambda loan: (loan.disbursed_on, str(loan.id)))
    lang = session.lang
    return render(
        request,
        "cooperatives/show.html",
        session,
        {
            "coop": cooperative,
            "members": members,
            "names": names,
            "loans": loans,
            "outstanding_of": cooperative.outstanding_of,
            "can_record": can_record(session.principal),
            "states": states,
            "fresh": form_state,
            "member_kinds": [
                {"value": k, "label": text.t(f"member_kind.{k}", lang)}
                for k in ("returnee", "family", "community")
            ],
            "savings_kinds": [
                {"value": k, "label": text.t(f"savings_kind.{k}", lang)}
                for k in ("pokok", "wajib", "sukarela")
            ],
        },
        status=status,
    )
