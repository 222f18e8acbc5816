"""Deposit corrections and dunning disputes on screen and API (押金扣除、退还、冲销；欠费争议).

The rules live in ``deposits.py`` and ``dunning.py``; this module is the desk around them:

* **Deduction (扣除押金)**: the clerk (``billing.manage_deposits``) types the amount, the reason and the
  evidence (files uploaded with the form, and/or the record that proves it); the manager approves
  **at the desk** as the second person, typing their own login and password (core's
  ``confirm_second_person`` with ``billing.approve_refund``), never an id typed by the clerk. The
  deduction is income with its own receipt (收款收据).
* **Refund (退还押金)**: the whole balance or an amount, payee and method, approved the same way.
* **Reversal (冲销)** of one deposit entry with a reason (``billing.reverse``).
* **Disputes (争议)** of an arrears case: marked disputed on a day (late fees pause), ended on a day
  (late fees accrue again from that day); neither day may lie in the future.

Screens: a card on the deposit record page (``/admin/billing_deposits/details/?id=``) and on the
arrears case page (``/admin/billing_dunning_cases/details/?id=``), mixed into those screens.

API (docs/plugins/billing.md, "Deposit and dispute desk"):

* ``POST /api/v1/billing/deposits/<id>/deduct`` (JSON, or multipart with ``evidence`` files) → 201;
* ``POST /api/v1/billing/deposits/<id>/refund`` → 201;  ``POST /api/v1/billing/deposits/<id>/reverse`` → 201;
* ``POST /api/v1/billing/dunning-cases/<id>/dispute`` and ``.../end-dispute`` → 200 the case.

``<id>`` of a deduction or refund is any entry of the deposit (usually its hold): the deposit is the
entry's ``source``. Bad input is refused naming the field, with nothing written (a wrong password of
the second person is counted, like a failed login).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from flask import Blueprint, g, jsonify, redirect, render_template, request, url_for
from flask_admin import expose
from markupsafe import Markup
from marshmallow import RAISE, Schema, fields, validate
from marshmallow import ValidationError as MmError
from sqlalchemy import select
from sqlalchemy.orm import Session

from core import (
    Conflict,
    NotFound,
    PermissionDenied,
    Text,
    ValidationError,
    WuyeError,
    authorize,
    confirm_second_person,
    estate_today,
    get_scoped,
    has_permission,
    load,
)
from core import request_actor as _actor
from core import request_session as _session
from plugins.billing.deposits import (
    deduct_deposit,
    deposit_balance_fen,
    refund_deposit,
    reverse_deposit_entry,
)
from plugins.billing.dunning import set_case_status
from plugins.billing.models import CASE_STATUSES, METHODS, DepositEntry, DunningCase, Receipt
from plugins.billing.schemas import DepositSchema, DunningCaseSchema, Fen

TEMPLATES = Path(__file__).resolve().parent / "templates"
PAY_METHODS = [m for m in METHODS if m != "prepaid"]
AFTER_DISPUTE = ("open", "promised", "legal")  # what a case becomes when its dispute ends

# --- schemas -------------------------------------------------------------------------------------


def _second_person_fields() -> dict:
    return {
        "second_username": fields.String(load_default=None, allow_none=True, validate=validate.Length(max=150)),
        "second_password": fields.String(load_default=None, allow_none=True, load_only=True,
                                         validate=validate.Length(max=200)),
    }


class DepositDeductionSchema(Schema.from_dict(_second_person_fields())):
    """扣除押金: amount, reason, evidence reference (files come with the multipart form) and the manager's
    own login as the second person."""

    class Meta:
        unknown = RAISE

    amount_fen = Fen(required=True)
    reason = fields.String(required=True, validate=validate.Length(1, 300))
    evidence_ref = fields.String(load_default="", validate=validate.Length(max=80))


class DepositRefundSchema(Schema.from_dict(_second_person_fields())):
    """退还押金: amount (blank: the whole balance), payee, method and the approver's own login."""

    class Meta:
        unknown = RAISE

    amount_fen = Fen(load_default=None, allow_none=True)
    payee = fields.String(load_default="", validate=validate.Length(max=200))
    method = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(PAY_METHODS))


class DepositReversalSchema(Schema):
    """冲销 of one deposit entry: the reason."""

    class Meta:
        unknown = RAISE

    reason = fields.String(required=True, validate=validate.Length(1, 300))


class DisputeSchema(Schema):
    """The owner disputes the fees (争议): the grounds and the day it began (default: today)."""

    class Meta:
        unknown = RAISE

    reason = fields.String(required=True, validate=validate.Length(1, 400))
    on = fields.Date(load_default=None, allow_none=True)
    note = fields.String(load_default="", validate=validate.Length(max=400))


class DisputeEndSchema(Schema):
    """The dispute ends (争议结束) on a day; the case goes back to ``open`` (or promised, legal)."""

    class Meta:
        unknown = RAISE

    on = fields.Date(load_default=None, allow_none=True)
    status = fields.String(load_default="open", validate=validate.OneOf(AFTER_DISPUTE))
    note = fields.String(load_default="", validate=validate.Length(max=400))


# --- services (the screen and the API call these) --------------------------------------------------


def _entry(session: Session, actor, entry_id: int) -> DepositEntry:
    try:
        return get_scoped(session, actor, DepositEntry, entry_id)
    except NotFound:
        raise NotFound(Text(f"no deposit entry #{entry_id}", f"没有押金记录 #{entry_id}"), field="entry") from None


def _approver(session: Session, actor, data: dict, entry: DepositEntry):
    """The manager approving at the desk (双人复核): proven by their own login, holding
    ``billing.approve_refund`` for the entry's estate, never the clerk. Called before anything is written."""
    return confirm_second_person(session, actor, data.get("second_username"), data.get("second_password"),
                                 permission="billing.approve_refund", target=entry)


def receipt_of(session: Session, entry: DepositEntry) -> Receipt | None:
    return session.scalar(select(Receipt).where(Receipt.deposit_entry_id == entry.id))


def deduct_at_desk(session: Session, actor, entry_id: int, data: dict, files=()) -> DepositEntry:
    """Deduct from the deposit of entry ``entry_id`` (``DepositDeductionSchema`` input, ``files`` as
    ``[(name, bytes)]``); returns the deduction, which has its receipt."""
    authorize(session, actor, "billing.manage_deposits")
    entry = _entry(session, actor, entry_id)
    approver = _approver(session, actor, data, entry)
    return deduct_deposit(session, actor, source=entry.source, amount_fen=data["amount_fen"], reason=data["reason"],
                          approved_by=approver, evidence=list(files), evidence_ref=data.get("evidence_ref", ""))


def refund_at_desk(session: Session, actor, entry_id: int, data: dict) -> DepositEntry:
    """Refund the deposit of entry ``entry_id`` (``DepositRefundSchema`` input)."""
    authorize(session, actor, "billing.manage_deposits")
    entry = _entry(session, actor, entry_id)
    approver = _approver(session, actor, data, entry)
    return refund_deposit(session, actor, source=entry.source, amount_fen=data.get("amount_fen"),
                          approved_by=approver, payee=data.get("payee", ""), method=data.get("method"))


def reverse_at_desk(session: Session, actor, entry_id: int, data: dict) -> DepositEntry:
    """冲销 of deposit entry ``entry_id`` (``DepositReversalSchema`` input)."""
    authorize(session, actor, "billing.reverse")
    return reverse_deposit_entry(session, actor, _entry(session, actor, entry_id), reason=data["reason"])


def ledger(session: Session, entry: DepositEntry) -> dict:
    """The deposit of ``entry`` as the record page shows it: every entry of its source (oldest first),
    each with its receipt and whether it may still be reversed, and the balance."""
    rows = session.scalars(select(DepositEntry).where(DepositEntry.source == entry.source)
                           .order_by(DepositEntry.id)).all()
    reversed_ids = {r.reverses_id for r in rows if r.reverses_id is not None}
    receipts = {r.deposit_entry_id: r for r in session.scalars(
        select(Receipt).where(Receipt.deposit_entry_id.in_([r.id for r in rows] or [0])))}
    return {"source": entry.source, "balance_fen": deposit_balance_fen(session, source=entry.source),
            "rows": [{"entry": r, "receipt": receipts.get(r.id), "reversed": r.id in reversed_ids,
                      "reversible": r.kind != "reversal" and r.id not in reversed_ids} for r in rows]}


def _case(session: Session, actor, case_id: int) -> DunningCase:
    try:
        return get_scoped(session, actor, DunningCase, case_id)
    except NotFound:
        raise NotFound(Text(f"no arrears case #{case_id}", f"没有欠费跟进单 #{case_id}"), field="case") from None


def _day(session: Session, case: DunningCase, on: dt.date | None) -> dt.date:
    today = estate_today(session, case.unit.estate)
    if on is None:
        return today
    if on > today:
        raise ValidationError(Text(f"on: {on} has not come yet; give the day it happened (today at the latest)",
                                   f"on: {on} 尚未到来，请填写实际发生的日期（最晚为今天）"), field="on")
    return on


def start_dispute(session: Session, actor, case_id: int, data: dict) -> DunningCase:
    """Mark arrears case ``case_id`` disputed from ``on`` (``DisputeSchema`` input): late fees pause."""
    authorize(session, actor, "billing.dunning")
    case = _case(session, actor, case_id)
    if case.status == "closed":
        raise Conflict(Text("this case is closed; its arrears were paid", "该欠费跟进已结案（欠费已缴清）"), field="case")
    if case.status == "disputed":
        raise Conflict(Text(f"this case has been disputed since {case.disputed_on}; end that dispute first",
                            f"该欠费自 {case.disputed_on} 起已有争议，请先结束该争议"), field="status")
    on = _day(session, case, data.get("on"))
    if case.dispute_resolved_on is not None and on < case.dispute_resolved_on:
        # one pause window per case: a new dispute may not reach back over the days already accruing again
        raise ValidationError(Text(f"on: the last dispute ended on {case.dispute_resolved_on}; a new one starts "
                                   "on or after that day", f"on: 上次争议于 {case.dispute_resolved_on} 结束，"
                                   "新的争议不能早于该日"), field="on")
    set_case_status(session, actor, case, "disputed", note=data.get("note", ""), on=on)
    case.dispute_reason = data["reason"].strip()[:400]
    session.flush()
    return case


def end_dispute(session: Session, actor, case_id: int, data: dict) -> DunningCase:
    """End the dispute of case ``case_id`` on ``on`` (``DisputeEndSchema`` input): late fees accrue
    again from that day; the case becomes ``status`` (open by default)."""
    authorize(session, actor, "billing.dunning")
    case = _case(session, actor, case_id)
    if case.status != "disputed":
        raise Conflict(Text("this case is not disputed", "该欠费跟进当前没有争议"), field="status")
    on = _day(session, case, data.get("on"))
    return set_case_status(session, actor, case, data.get("status") or "open", note=data.get("note", ""), on=on)


# --- the API -----------------------------------------------------------------------------------------


def _need(permission: str):
    session, actor = _session(), _actor()
    if actor is None or not has_permission(session, actor, permission):
        raise PermissionDenied(f"needs permission {permission}")
    return session, actor


def _api_input() -> tuple[dict, list[tuple[str, bytes]]]:
    """The request's fields and evidence files: a JSON object, or a multipart form (``evidence`` files)."""
    if request.mimetype == "multipart/form-data":
        files = [(f.filename, f.read()) for f in request.files.getlist("evidence") if f and f.filename]
        return {k: request.form.get(k) for k in request.form}, files
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ValidationError(Text("send a JSON object (or a multipart form)", "请发送 JSON 对象（或 multipart 表单）"))
    return data, []


def _entry_json(session: Session, entry: DepositEntry) -> dict:
    out = DepositSchema().dump(entry)
    receipt = receipt_of(session, entry)
    out["approved_by_id"] = entry.approved_by_id
    out["method"] = entry.method
    out["balance_fen"] = deposit_balance_fen(session, source=entry.source)
    out["receipt_url"] = (url_for("documents.print_view", doc="billing.deposit_receipt", ident=receipt.id)
                          if receipt is not None else None)
    return out


def _api_deduct(entry_id: int):
    session, actor = _need("billing.manage_deposits")
    raw, files = _api_input()
    done = deduct_at_desk(session, actor, entry_id, load(DepositDeductionSchema, raw), files)
    return jsonify(_entry_json(session, done)), 201


def _api_refund(entry_id: int):
    session, actor = _need("billing.manage_deposits")
    raw, _files = _api_input()
    done = refund_at_desk(session, actor, entry_id, load(DepositRefundSchema, raw))
    return jsonify(_entry_json(session, done)), 201


def _api_reverse(entry_id: int):
    session, actor = _need("billing.reverse")
    raw, _files = _api_input()
    done = reverse_at_desk(session, actor, entry_id, load(DepositReversalSchema, raw))
    return jsonify(_entry_json(session, done)), 201


def _case_json(case: DunningCase) -> dict:
    return {**DunningCaseSchema().dump(case), "arrears_fen": case.arrears_fen}


def _api_dispute(case_id: int):
    session, actor = _need("billing.dunning")
    raw, _files = _api_input()
    return jsonify(_case_json(start_dispute(session, actor, case_id, load(DisputeSchema, raw)))), 200


def _api_end_dispute(case_id: int):
    session, actor = _need("billing.dunning")
    raw, _files = _api_input()
    return jsonify(_case_json(end_dispute(session, actor, case_id, load(DisputeEndSchema, raw)))), 200


def deposit_desk_blueprint() -> Blueprint:
    bp = Blueprint("billing_deposit_desk_api", __name__)
    for name, view in (("deduct", _api_deduct), ("refund", _api_refund), ("reverse", _api_reverse)):
        bp.add_url_rule(f"/billing/deposits/<int:entry_id>/{name}", f"deposit_{name}", view, methods=["POST"])
    bp.add_url_rule("/billing/dunning-cases/<int:case_id>/dispute", "case_dispute", _api_dispute, methods=["POST"])
    bp.add_url_rule("/billing/dunning-cases/<int:case_id>/end-dispute", "case_end_dispute", _api_end_dispute,
                    methods=["POST"])
    return bp


# --- the screens -------------------------------------------------------------------------------------


def _form_fen(raw: str | None, field: str, required: bool):
    """What the clerk typed in yuan ("300", "1,200.50") as fen; blank is None (or refused when required)."""
    from plugins.billing.admin import _yuan_to_fen

    try:
        fen = _yuan_to_fen(raw, field)
    except MmError as exc:
        raise ValidationError({field: exc.messages}, field=field) from None
    if fen is None and required:
        raise ValidationError(Text(f"{field}: type the amount in yuan, e.g. 300.00", f"{field}: 请填写金额（元），如 300.00"),
                              field=field)
    return fen


def _form(names) -> dict:
    """The posted fields a schema knows; blanks are left out so the schema's defaults apply."""
    return {k: request.form.get(k) for k in names if request.form.get(k) not in (None, "")}


class _Desk:
    """Shared by both record-page desks: billing's templates, the error shown again on the page."""

    desk_model: type = object

    def create_blueprint(self, admin):
        # the app's loader knows core's templates only; this screen's blueprint serves billing's own too
        blueprint = super().create_blueprint(admin)
        blueprint.template_folder = str(TEMPLATES)
        return blueprint

    def _sections(self, record):
        out = super()._sections(record)
        if isinstance(record, self.desk_model):
            out.insert(0, self.desk_card(record))
        return out

    def desk_card(self, record) -> Markup:  # pragma: no cover - each desk has its own
        raise NotImplementedError

    def _act(self, record_id: int, what: str, run):
        """Run ``run(session, actor)``; on success back to the record page, else the page again with the
        message (naming the field) and the form kept open. Nothing is rolled back here: the request's end
        rolls back an error, but keeps a counted wrong password of the second person (keep_on_error)."""
        session, actor = _session(), _actor()
        try:
            done = run(session, actor)
        except WuyeError as exc:
            from plugins.billing.admin import _message

            return self._again(record_id, what, _message(exc), exc.http_status)
        return redirect(url_for(".details_view", id=record_id, done=what, new=getattr(done, "id", None)))

    def _again(self, record_id: int, what: str, error: str, status: int):
        g.billing_desk = {"error": error, "open": what,
                          "entered": {k: v for k, v in request.form.items() if "password" not in k}}
        try:
            record = get_scoped(_session(), _actor(), self.desk_model, record_id)
        except NotFound:
            return error, 404
        page = self.render(self.details_template, model=record, details_columns=self._details_columns,
                           get_value=self.get_detail_value, return_url=url_for(".index_view"))
        return page, status


class DepositDesk(_Desk):
    """押金处理: deduction, refund and reversal on the deposit record page (``billing_deposits``)."""

    desk_model = DepositEntry

    def desk_card(self, record) -> Markup:
        session, actor = _session(), _actor()
        state = g.get("billing_desk") or {}
        new = request.args.get("new", "")
        new_receipt = None
        if request.args.get("done") == "deduct" and new.isdigit():
            found = session.get(DepositEntry, int(new))
            new_receipt = receipt_of(session, found) if found is not None else None
        return Markup(render_template(
            "billing/deposit_desk.html", entry=record, found=ledger(session, record), methods=METHODS,
            pay_methods=PAY_METHODS, may_manage=has_permission(session, actor, "billing.manage_deposits"),
            may_reverse=has_permission(session, actor, "billing.reverse"), error=state.get("error"),
            open=state.get("open"), entered=state.get("entered", {}), done=request.args.get("done"),
            new_receipt=new_receipt))

    @expose("/deduct/<int:entry_id>", methods=("POST",))
    def deduct(self, entry_id: int):
        def run(session, actor):
            data = load(DepositDeductionSchema, {
                **_form(("reason", "evidence_ref", "second_username", "second_password")),
                "amount_fen": _form_fen(request.form.get("amount"), "amount_fen", required=True)})
            files = [(f.filename, f.read()) for f in request.files.getlist("evidence") if f and f.filename]
            return deduct_at_desk(session, actor, entry_id, data, files)

        return self._act(entry_id, "deduct", run)

    @expose("/refund/<int:entry_id>", methods=("POST",))
    def refund(self, entry_id: int):
        def run(session, actor):
            data = load(DepositRefundSchema, {
                **_form(("payee", "method", "second_username", "second_password")),
                "amount_fen": _form_fen(request.form.get("amount"), "amount_fen", required=False)})
            return refund_at_desk(session, actor, entry_id, data)

        return self._act(entry_id, "refund", run)

    @expose("/reverse/<int:entry_id>", methods=("POST",))
    def reverse(self, entry_id: int):
        # the page returns to the entry the clerk was looking at, whichever of its ledger rows was reversed
        back = request.form.get("back", "")
        target = int(back) if back.isdigit() else entry_id
        return self._act(target, "reverse", lambda session, actor: reverse_at_desk(
            session, actor, entry_id, load(DepositReversalSchema, _form(("reason",)))))


class DisputeDesk(_Desk):
    """争议: mark an arrears case disputed, or end its dispute, on the case page (``billing_dunning_cases``)."""

    desk_model = DunningCase

    def desk_card(self, record) -> Markup:
        session, actor = _session(), _actor()
        state = g.get("billing_desk") or {}
        return Markup(render_template(
            "billing/dispute_desk.html", case=record, statuses=CASE_STATUSES, after=AFTER_DISPUTE,
            may=has_permission(session, actor, "billing.dunning"), error=state.get("error"),
            entered=state.get("entered", {}), done=request.args.get("done"),
            today=estate_today(session, record.unit.estate)))

    @expose("/dispute/<int:case_id>", methods=("POST",))
    def dispute(self, case_id: int):
        return self._act(case_id, "dispute", lambda session, actor: start_dispute(
            session, actor, case_id, load(DisputeSchema, _form(("reason", "on", "note")))))

    @expose("/end-dispute/<int:case_id>", methods=("POST",))
    def end_dispute_view(self, case_id: int):
        return self._act(case_id, "end_dispute", lambda session, actor: end_dispute(
            session, actor, case_id, load(DisputeEndSchema, _form(("on", "status", "note")))))


DESKS = {"billing_deposits": DepositDesk, "billing_dunning_cases": DisputeDesk}


def with_desks(views: list) -> list:
    """Billing's admin specs with the desks mixed into the deposit and arrears-case screens (kept in
    front of a mixin a screen already has)."""
    out = []
    for spec in views:
        desk = DESKS.get(spec.name)
        if desk is not None:
            mixin = desk if spec.view_mixin is None else type(desk.__name__, (desk, spec.view_mixin), {})
            spec = dataclasses.replace(spec, view_mixin=mixin)
        out.append(spec)
    return out
