"""The repair order's page (报修单): a price card for paid repairs (有偿维修), mixed into the screen.

The generated record page has the workflow buttons, the assignee and the attachments; a paid repair
also needs its price: the engineering supervisor types labour and materials in yuan (``set_price``),
and the clerk records that the owner accepted the price (``accept_price``) before the owner confirms
the work, which posts the charge to the unit's bill. Each form posts to this screen and comes back
to the order's page with a message; bad input changes nothing.
"""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from markupsafe import Markup

from core import Text, ValidationError, WuyeError, fen_to_yuan, has_permission, to_fen
from core import request_actor as _actor
from core import request_session as _session
from plugins.repairs import orders


def _message(exc: WuyeError) -> str:
    """The error in the user's language (``core.Text`` messages pick it when made a string)."""
    if isinstance(exc, ValidationError) and isinstance(exc.errors, dict):
        return "；".join(" ".join(str(m) for m in (v if isinstance(v, list) else [v])) for v in exc.errors.values())
    return str(exc.message)


def _fen(raw: str | None, field: str) -> int:
    """What was typed in yuan ("50", "38.50") as fen; blank is 0."""
    raw = (raw or "").strip().replace(",", "").replace("，", "")
    if not raw:
        return 0
    try:
        return to_fen(raw)
    except (ValueError, ArithmeticError):
        raise ValidationError(Text(f"{raw!r} is not an amount in yuan; type e.g. 38.50",
                                   f"“{raw}”不是金额，请填写元，如 38.50"), field=field) from None


def _form(action: str, order_id: int, inner: Markup, button: str, css: str = "btn-primary") -> Markup:
    from flask_wtf.csrf import generate_csrf

    return Markup('<form method="post" action="{}" class="form-inline mb-2 wuye-repairs-{}">'
                  '<input type="hidden" name="csrf_token" value="{}"><input type="hidden" name="id" value="{}">'
                  '{}<button class="btn btn-sm {}" type="submit">{}</button></form>').format(
        url_for(f".{action}_view"), action, generate_csrf(), order_id, inner, css, button)


def price_card(session, actor, order) -> Markup | None:
    """The price card of ``order``: what the owner pays, and the forms the reader may use."""
    quote, confirm = has_permission(session, actor, "repairs.quote"), has_permission(session, actor, "repairs.confirm")
    if not order.paid and not quote:
        return None
    accepted = order.quote_accepted_at is not None
    facts = [(Text("Paid repair", "有偿维修"), Text("Yes", "是") if order.paid else Text("No", "否")),
             (Text("Labour", "人工费"), f"¥{fen_to_yuan(order.labour_fen)}"),
             (Text("Materials", "材料费"), f"¥{fen_to_yuan(order.material_fen)}"),
             (Text("Total", "合计"), f"¥{fen_to_yuan(order.amount_fen)}"),
             (Text("Owner accepted the price", "业主接受报价"),
              Text("Yes", "是") if accepted else Text("Not yet", "尚未确认")),
             (Text("On the unit's bill", "已计入房屋账单"), Text("Yes", "是") if order.charge_posted else Text("No", "否"))]
    parts = [Markup('<dt class="col-sm-4">{}</dt><dd class="col-sm-8">{}</dd>').format(str(k), str(v))
             for k, v in facts]
    body = Markup('<dl class="row mb-2">{}</dl>').format(Markup("").join(parts))
    if quote and not accepted:
        inner = Markup('<label class="mr-1">{}</label><input name="labour" class="form-control form-control-sm mr-2" '
                       'size="8" inputmode="decimal" value="{}">'
                       '<label class="mr-1">{}</label><input name="material" class="form-control form-control-sm mr-2" '
                       'size="8" inputmode="decimal" value="{}">').format(
            str(Text("Labour (yuan)", "人工费（元）")), fen_to_yuan(order.labour_fen) if order.labour_fen else "",
            str(Text("Materials (yuan)", "材料费（元）")), fen_to_yuan(order.material_fen) if order.material_fen else "")
        body += _form("price", order.id, inner, str(Text("Set the price", "保存报价")))
    if confirm and order.paid and order.amount_fen > 0 and not accepted and order.on_price_list:
        body += _form("accept_price", order.id, Markup(""), str(Text("The owner accepts the price", "业主已接受报价")),
                      "btn-success")
    return Markup('<div class="card mt-3" id="repairs-price"><div class="card-header">{}</div>'
                  '<div class="card-body">{}</div></div>').format(str(Text("Price (paid repair)", "维修收费")), body)


class OrderPage:
    """Mixed into the repair orders' screen: the price card on the order's page and its two forms.

    The screen's edit permission is ``repairs.attach`` (who may add photos: technicians too); creating
    an order also needs ``repairs.register``, so the technician sees no "create" button."""

    @property
    def can_create(self):
        from flask import has_request_context

        if not super().can_create:
            return False
        return not has_request_context() or has_permission(_session(), _actor(), "repairs.register")

    def _sections(self, record):
        out = super()._sections(record)
        card = price_card(_session(), _actor(), record)
        return [card, *out] if card is not None else out

    def _order(self):
        order = self.get_one(request.form.get("id", ""))  # within the reader's estates, else 404
        if order is None:
            abort(404)
        return order

    def _run(self, work, done: Text):
        order = self._order()
        session = _session()
        try:
            work(session, _actor(), order)
            session.commit()
            flash(str(done), "success")
        except WuyeError as exc:
            session.rollback()
            flash(_message(exc), "error")
        return redirect(self.get_url(".details_view", id=order.id))

    @expose("/price/", methods=("POST",))
    def price_view(self):
        form = request.form

        def work(session, actor, order):
            orders.set_price(session, actor, order, labour_fen=_fen(form.get("labour"), "labour_fen"),
                             material_fen=_fen(form.get("material"), "material_fen"))

        return self._run(work, Text("Price saved.", "报价已保存。"))

    @expose("/accept-price/", methods=("POST",))
    def accept_price_view(self):
        return self._run(lambda session, actor, order: orders.accept_price(session, actor, order),
                         Text("The owner's acceptance of the price is recorded.", "已登记业主接受报价。"))
