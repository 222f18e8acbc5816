"""The catalogue (《便民服务项目及价格表》): items, versions and their approval (spec 2.20 workflow A/B).

The management-office manager drafts a version (prices copied from the items), proposes it with the
demand-survey summary, the general manager approves it, and it is published; publishing supersedes
the estate's previous published version. Only a published version can be ordered from, and orders
copy their price, so a later version never changes what an earlier order costs.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core import Conflict, Text, ValidationError, apply, authorize, estate_today, load, round_fen
from core.models import Department, Estate, StaffUser
from plugins.convenience.lookups import existing
from plugins.convenience.models import (
    CatalogueStatus,
    ChargeUnit,
    ConvenienceCatalogueReview,
    ConvenienceCatalogueVersion,
    ConvenienceItem,
    ConveniencePrice,
    FeeKind,
    PrepayKind,
)
from plugins.convenience.schemas import ItemSchema, PriceSchema, ProposalSchema, VersionSchema
from plugins.convenience.settings import current_settings

OPEN_STATUSES = (CatalogueStatus.draft, CatalogueStatus.proposed, CatalogueStatus.approved)


def amount_of(price_fen: int, quantity: Decimal) -> int:
    """Price × quantity, rounded half-up to the fen (what an order or an agreement's month costs)."""
    return round_fen(Decimal(price_fen) * Decimal(quantity))


# --- items -------------------------------------------------------------------------------------

def _enums(values: dict) -> dict:
    """Schema strings to the model's enums, so fresh objects compare and print like loaded ones."""
    out = dict(values)
    for key, cls in (("fee_kind", FeeKind), ("unit_of_charge", ChargeUnit), ("prepay_kind", PrepayKind)):
        if out.get(key) is not None:
            out[key] = cls(out[key])
    return out


def _check_department(session: Session, department_id: int | None, estate_id: int) -> None:
    if department_id is None:
        return
    dept = existing(session, Department, department_id, "provider_department_id")
    if dept.estate_id not in (None, estate_id):
        raise ValidationError(Text(f"department {dept.name} belongs to another estate; pick one of this estate's "
                              "departments or a company-level one", f"部门 {dept.name} 属于其他小区，请选择本小区或公司级部门"), field="provider_department_id")


def create_item(session: Session, actor: StaffUser | None, data: dict) -> ConvenienceItem:
    """Add an item to an estate's catalogue. Its price binds only once a version with it is published."""
    values = load(ItemSchema(), data)
    estate = existing(session, Estate, values["estate_id"], "estate_id")
    authorize(session, actor, "convenience.manage_catalogue", estate)
    if session.scalar(select(ConvenienceItem.id).where(ConvenienceItem.estate_id == values["estate_id"],
                                                       ConvenienceItem.code == values["code"])):
        raise Conflict(Text(f"item code {values['code']!r} is already used in this estate; choose another code", f"本小区已使用项目编码 {values['code']!r}，请换一个编码"),
                       field="code")
    _check_department(session, values["provider_department_id"], values["estate_id"])
    item = ConvenienceItem(**_enums(values))
    session.add(item)
    session.flush()
    return item


def update_item(session: Session, actor: StaffUser | None, item: ConvenienceItem, data: dict) -> ConvenienceItem:
    """Change an item. A new price applies to the next version only (published prices stay as approved)."""
    authorize(session, actor, "convenience.manage_catalogue", item)
    if "estate_id" in data and data["estate_id"] != item.estate_id:
        raise ValidationError(Text("an item cannot move to another estate; create it there", "服务项目不能转到其他小区，请在该小区新建"), field="estate_id")
    if "code" in data and data["code"] != item.code:
        raise ValidationError(Text("the code identifies the item on price lists and cannot change", "编码在价格表中标识项目，不能修改"), field="code")
    current = {k: getattr(item, k) for k in ItemSchema().fields if k not in ("id",) and hasattr(item, k)}
    current = {k: (v.value if hasattr(v, "value") else v) for k, v in current.items()}
    values = load(ItemSchema(), {**current, **data})
    _check_department(session, values["provider_department_id"], item.estate_id)
    for key, value in _enums(values).items():
        setattr(item, key, value)
    session.flush()
    return item


# --- versions ----------------------------------------------------------------------------------

def published_version(session: Session, estate_id: int) -> ConvenienceCatalogueVersion | None:
    """The estate's published price list, the only one orders are taken from."""
    return session.scalar(select(ConvenienceCatalogueVersion).where(
        ConvenienceCatalogueVersion.estate_id == estate_id,
        ConvenienceCatalogueVersion.status == CatalogueStatus.published)
        .order_by(ConvenienceCatalogueVersion.published_at.desc(), ConvenienceCatalogueVersion.id.desc()))


def price_row(session: Session, version: ConvenienceCatalogueVersion, item_id: int) -> ConveniencePrice | None:
    return session.scalar(select(ConveniencePrice).where(ConveniencePrice.version_id == version.id,
                                                         ConveniencePrice.item_id == item_id))


def _row_from_item(item: ConvenienceItem, version: ConvenienceCatalogueVersion) -> ConveniencePrice:
    row = ConveniencePrice(estate_id=item.estate_id, item=item, price_fen=item.price_fen,
                           unit_of_charge=item.unit_of_charge, prepay_kind=item.prepay_kind, prepay_fen=item.prepay_fen)
    version.prices.append(row)
    return row


def create_version(session: Session, actor: StaffUser | None, estate: Estate, *, year: int | None = None,
                   title: str = "") -> ConvenienceCatalogueVersion:
    """Draft a new price list for ``estate`` with every active item at its current price.

    Refused (Conflict) while another version of the estate is still a draft, proposed or approved.
    """
    authorize(session, actor, "convenience.manage_catalogue", estate)
    year = year or estate_today(session, estate).year
    if not 2000 <= year <= 2100:
        raise ValidationError(Text(f"year {year} is out of range", f"年度 {year} 超出范围"), field="year")
    open_one = session.scalar(select(ConvenienceCatalogueVersion).where(
        ConvenienceCatalogueVersion.estate_id == estate.id, ConvenienceCatalogueVersion.status.in_(OPEN_STATUSES)))
    if open_one is not None:
        raise Conflict(Text(f"version {open_one} is still {open_one.status}; publish it or send it back before "
                       "drafting another", f"价格表 {open_one} 尚未完成审批流程，请先公告或退回后再拟定新版本"), field="estate_id")
    items = list(session.scalars(select(ConvenienceItem).where(ConvenienceItem.estate_id == estate.id,
                                                               ConvenienceItem.active.is_(True))
                                 .order_by(ConvenienceItem.code)))
    if not items:
        raise ValidationError(Text("the estate has no active items; add items to the catalogue first", "本小区没有启用的服务项目，请先添加项目"), field="estate_id")
    last_no = session.scalar(select(func.max(ConvenienceCatalogueVersion.version_no)).where(
        ConvenienceCatalogueVersion.estate_id == estate.id, ConvenienceCatalogueVersion.year == year)) or 0
    version = ConvenienceCatalogueVersion(estate_id=estate.id, year=year, version_no=last_no + 1,
                                          title=title or f"{year} 便民服务项目及价格表 v{last_no + 1}",
                                          created_by_id=actor.id if actor else None)
    session.add(version)
    for item in items:
        _row_from_item(item, version)
    session.flush()
    review = session.scalar(select(ConvenienceCatalogueReview).where(
        ConvenienceCatalogueReview.estate_id == estate.id, ConvenienceCatalogueReview.year == year,
        ConvenienceCatalogueReview.version_id.is_(None)))
    if review is not None:
        review.version_id = version.id
    session.flush()
    return version


def _require_draft(version: ConvenienceCatalogueVersion) -> None:
    if version.status != CatalogueStatus.draft:
        raise Conflict(Text(f"version {version} is {version.status}; only a draft's prices can change "
                       "(draft a new version for a price change)", f"价格表 {version} 已不是拟定状态，只有拟定中的价格表可以改价（改价请拟定新版本）"), field="status")


def set_price(session: Session, actor: StaffUser | None, version: ConvenienceCatalogueVersion,
              data: dict) -> ConveniencePrice:
    """Set (or add) one item's price, prepayment or deposit in a draft version."""
    authorize(session, actor, "convenience.manage_catalogue", version)
    values = load(PriceSchema(), data)
    _require_draft(version)
    item = existing(session, ConvenienceItem, values["item_id"], "item_id")
    if item.estate_id != version.estate_id:
        raise ValidationError(Text(f"item {item} belongs to another estate", f"服务项目 {item} 属于其他小区"), field="item_id")
    if item.fee_kind == FeeKind.free and values["price_fen"]:
        raise ValidationError(Text(f"item {item} is free (无偿服务); its price must be 0", f"服务项目 {item} 为无偿服务，价格须为 0"), field="price_fen")
    if item.fee_kind == FeeKind.paid and values["price_fen"] == 0:
        raise ValidationError(Text(f"item {item} is paid; give a price above 0 fen", f"服务项目 {item} 为有偿服务，价格须大于 0 元"), field="price_fen")
    row = price_row(session, version, item.id) or _row_from_item(item, version)
    row.price_fen = values["price_fen"]
    if values["prepay_kind"] is not None:
        row.prepay_kind = PrepayKind(values["prepay_kind"])
    if values["prepay_fen"] is not None:
        row.prepay_fen = values["prepay_fen"]
    if (row.prepay_kind == PrepayKind.none) != (row.prepay_fen == 0):
        raise ValidationError(Text("give a prepayment/deposit kind together with an amount above 0, or neither", "预交类型和金额须同时填写（金额大于 0），或都不填"),
                              field="prepay_fen")
    session.flush()
    return row


def remove_price(session: Session, actor: StaffUser | None, version: ConvenienceCatalogueVersion,
                 item: ConvenienceItem) -> None:
    """Take an item off a draft price list."""
    authorize(session, actor, "convenience.manage_catalogue", version)
    _require_draft(version)
    row = price_row(session, version, item.id)
    if row is None:
        raise ValidationError(Text(f"item {item} is not on version {version}", f"服务项目 {item} 不在价格表 {version} 中"), field="item_id")
    version.prices.remove(row)
    session.flush()


def propose_version(session: Session, actor: StaffUser | None, version: ConvenienceCatalogueVersion,
                    **data) -> ConvenienceCatalogueVersion:
    """Send the draft to the general manager (报总经理审批), with the demand-survey summary if any."""
    values = load(ProposalSchema(), data)
    authorize(session, actor, "convenience.propose_catalogue", version)
    return apply(session, version, "propose", actor, **values)


def approve_version(session: Session, actor: StaffUser | None, version: ConvenienceCatalogueVersion,
                    comment: str | None = None) -> ConvenienceCatalogueVersion:
    """The general manager approves the items and prices (总经理审批)."""
    authorize(session, actor, "convenience.approve_catalogue", version)
    return apply(session, version, "approve", actor, comment=comment)


def return_version(session: Session, actor: StaffUser | None, version: ConvenienceCatalogueVersion,
                   comment: str) -> ConvenienceCatalogueVersion:
    """Send a proposed version back to draft with the general manager's remarks."""
    if not (comment or "").strip():
        raise ValidationError(Text("say what should change", "请说明需要修改的内容"), field="comment")
    authorize(session, actor, "convenience.approve_catalogue", version)
    return apply(session, version, "send_back", actor, comment=comment)


def publish_version(session: Session, actor: StaffUser | None, version: ConvenienceCatalogueVersion,
                    published_via: str = "notice board") -> ConvenienceCatalogueVersion:
    """Publish an approved version (公告住户); the previous published version is superseded."""
    authorize(session, actor, "convenience.manage_catalogue", version)
    return apply(session, version, "publish", actor, published_via=published_via)


# --- yearly review (every January, P3 (1)) -----------------------------------------------------

def yearly_review(session: Session, now: dt.datetime | None = None) -> dict:
    """Scheduled daily: in the review month (January by default) create one reminder per estate and year.

    Idempotent: a second run (or a concurrent one) the same year creates nothing.
    """
    month = current_settings(session)["review_month"]
    created = 0
    for estate in session.scalars(select(Estate).order_by(Estate.id)):
        today = estate_today(session, estate, now)
        if today.month != month:
            continue
        exists = session.scalar(select(ConvenienceCatalogueReview.id).where(
            ConvenienceCatalogueReview.estate_id == estate.id, ConvenienceCatalogueReview.year == today.year))
        if exists:
            continue
        try:
            with session.begin_nested():
                session.add(ConvenienceCatalogueReview(
                    estate_id=estate.id, year=today.year,
                    note=f"{today.year}年度便民服务项目及价格表: review last year's opinion forms (意见征询表), "
                         "draft the new price list on a break-even basis (保本微利) and submit it for approval"))
            created += 1
        except IntegrityError:
            continue  # a concurrent run created it first
    return {"created": created}


def open_reviews(session: Session, actor: StaffUser | None, estate: Estate) -> list[ConvenienceCatalogueReview]:
    authorize(session, actor, "convenience.view", estate)
    return list(session.scalars(select(ConvenienceCatalogueReview).where(
        ConvenienceCatalogueReview.estate_id == estate.id, ConvenienceCatalogueReview.done_at.is_(None))
        .order_by(ConvenienceCatalogueReview.year)))


def create_version_from_data(session: Session, actor: StaffUser | None, data: dict) -> ConvenienceCatalogueVersion:
    """Admin/API entry point of :func:`create_version` (``estate_id``, ``year``, ``title``)."""
    values = load(VersionSchema(), data)
    estate = existing(session, Estate, values["estate_id"], "estate_id")
    return create_version(session, actor, estate, year=values["year"], title=values["title"])
