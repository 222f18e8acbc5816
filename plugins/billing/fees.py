"""Fee items, price versions and the fee publication (收费公示).

Prices are integer centi-fen (1/100 fen, 0.0001 yuan) so that per-m² prices such as 2.35 元/m²
or tiered electricity at 0.5283 元/kWh are exact; amounts on lines are whole fen.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from core import NotFound, Text, ValidationError, authorize, estate_today, wuye_of
from plugins.billing.models import (
    BASES,
    CATEGORIES,
    CYCLES,
    PAYERS,
    PRICE_PER,
    ROUNDINGS,
    FeeItem,
    FeePrice,
    FeeTier,
)

DATA = Path(__file__).parent / "data"
SINCE_EVER = dt.date(2000, 1, 1)  # effective date of seeded catalogue prices


@dataclass(frozen=True)
class FeeItemDef:
    """A fee item a plugin contributes through the ``wuye_billing_fee_items`` hook.

    ``basis="fixed"`` with ``cycle="one_off"`` means amounts are given by ``post_charge``;
    ``price_fen`` (optional) is a default price per basis unit in fen.
    """

    code: str
    name: str
    name_zh: str
    category: str
    basis: str = "fixed"
    cycle: str = "one_off"
    price_fen: int | None = None
    prepaid: bool = True
    unit_types: tuple[str, ...] = field(default=())
    payer: str = "owner"
    unit_label: str = ""
    description: str = ""
    price_per: str = "cycle"  # "month": the price is per month, a longer cycle bills it times its months


def parse_price_cfen(value, field: str = "price") -> int:
    """A price in yuan (``"2.50"``, ``Decimal``, int; at most 4 decimals) -> centi-fen. Floats refused."""
    if isinstance(value, bool) or isinstance(value, float):
        raise ValidationError(
            Text('give the price as a string or decimal in yuan, e.g. "2.50" (never a float)', "价格请以字符串或小数（元）填写，例如 \"2.50\"（不接受浮点数）"), field=field
        )
    try:
        d = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(
            Text(f"{value!r} is not a number; give the price in yuan, e.g. 2.50", f"{value!r} 不是数字，请以元填写价格，例如 2.50"), field=field
        ) from None
    if not d.is_finite() or d < 0:
        raise ValidationError(Text("the price must be a number of yuan, zero or more", "价格须为不小于零的金额（元）"), field=field)
    cfen = d * 10000
    if cfen != cfen.to_integral_value():
        raise ValidationError(Text("a price has at most 4 decimals of a yuan (0.0001 元)", "价格最多四位小数（0.0001 元）"), field=field)
    return int(cfen)


def cfen_to_yuan(cfen: int) -> Decimal:
    """Centi-fen to yuan with 4 decimals, for display (25000 -> Decimal('2.5000'))."""
    return (Decimal(cfen) / 10000).quantize(Decimal("0.0001"))


def get_fee_item(session: Session, code: str, *, field: str = "fee_item_code") -> FeeItem:
    item = session.scalar(select(FeeItem).where(FeeItem.code == code))
    if item is None:
        raise NotFound(
            Text(f"no fee item with code {code!r}; create it in Billing > Fee items or contribute it "
            "through the wuye_billing_fee_items hook", f"没有编码为 {code!r} 的收费项目，请在“收费管理 > 收费项目”中新建"),
            field=field,
        )
    return item


def _check_choice(value, choices: dict, field: str) -> None:
    if value not in choices:
        raise ValidationError(Text(f"{value!r} is not allowed; use one of {', '.join(choices)}", f"{value!r} 不是允许的取值"), field=field)


def validate_item_fields(data: dict) -> None:
    """Check the coded fields of a fee item (category, basis, cycle, payer, rounding, due_day)."""
    for key, choices in (
        ("category", CATEGORIES),
        ("basis", BASES),
        ("cycle", CYCLES),
        ("payer", PAYERS),
        ("rounding", ROUNDINGS),
        ("price_per", PRICE_PER),
    ):
        if key in data:
            _check_choice(data[key], choices, key)
    if "due_day" in data and not (isinstance(data["due_day"], int) and 1 <= data["due_day"] <= 31):
        raise ValidationError(Text("due_day is a day of the month, 1 to 31", "每月缴费日须为 1 到 31"), field="due_day")
    if data.get("late_fee_daily_permille") is not None:
        data["late_fee_daily_permille"] = parse_permille(data["late_fee_daily_permille"])
    if data.get("basis") == "metered" and data.get("cycle", "monthly") != "monthly":
        raise ValidationError(
            Text("metered items are billed monthly from readings; set cycle to monthly", "按表计用量的项目按月计费，请将收费周期设为按月"), field="cycle"
        )


def parse_permille(value, field: str = "late_fee_daily_permille") -> Decimal:
    """A daily late-fee rate in ‰ (``"0.5"`` = 万分之五 a day): 0 to 10 (as the config), at most 3 decimals."""
    if isinstance(value, bool | float):
        raise ValidationError(Text('give the rate as a string or decimal, e.g. "0.5" (‰ a day)',
                                   '请以字符串或小数填写日费率（‰），例如 "0.5"'), field=field)
    try:
        d = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        d = Decimal("NaN")
    if not d.is_finite() or d < 0 or d > 10 or d != d.quantize(Decimal("0.001")):
        raise ValidationError(Text(f"{value!r} is not a daily rate: 0 to 10 ‰ a day, at most 3 decimals",
                                   f"{value!r} 不是有效的日费率：每日 0 到 10‰，最多三位小数"),
                              field=field)
    return d


ITEM_FIELDS = {
    "name_zh",
    "basis",
    "cycle",
    "prepaid",
    "due_day",
    "rounding",
    "price_per",
    "late_fee_daily_permille",
    "unit_types",
    "payer",
    "estate_id",
    "unit_label",
    "description",
    "active",
}


def create_fee_item(
    session: Session,
    actor,
    *,
    code: str,
    name: str,
    category: str,
    price=None,
    effective_from: dt.date | None = None,
    approval_ref: str = "",
    **data,
) -> FeeItem:
    """Create a fee item (staff: needs ``billing.manage_fee_items``), optionally with a first price."""
    if actor is not None:  # None: a plugin or the seed contributes the item
        authorize(session, actor, "billing.manage_fee_items")
    for key in sorted(set(data) - ITEM_FIELDS):
        raise ValidationError(Text(f"unknown fee-item field {key!r}", f"未知的收费项目字段 {key!r}"), field=key)
    if not code or len(code) > 48:
        raise ValidationError(Text("give a code of 1-48 characters, e.g. property_service", "请填写 1-48 个字符的编码，例如 property_service"), field="code")
    data = {"category": category, **data}
    validate_item_fields(data)
    if session.scalar(select(FeeItem.id).where(FeeItem.code == code)) is not None:
        raise ValidationError(Text(f"a fee item with code {code!r} already exists", f"编码为 {code!r} 的收费项目已存在"), field="code")
    price_cfen = None if price is None else parse_price_cfen(price)
    item = FeeItem(code=code, name=name, **data)
    session.add(item)
    session.flush()
    if price_cfen is not None:
        session.add(
            FeePrice(
                fee_item_id=item.id,
                effective_from=effective_from or SINCE_EVER,
                price_cfen=price_cfen,
                approval_ref=approval_ref,
                created_by_id=getattr(actor, "id", None),
            )
        )
        session.flush()
    return item


def set_price(
    session: Session,
    actor,
    item: FeeItem,
    *,
    price,
    effective_from: dt.date,
    estate=None,
    tiers: list | None = None,
    approval_ref: str = "",
) -> FeePrice:
    """Add a price version from ``effective_from`` (for one estate or, with ``estate=None``, company-wide).

    ``tiers`` (metered items only) is a list of ``(from_qty, to_qty_or_None, price_yuan)``; quantities
    in meter units (kWh, m³), contiguous from 0. Earlier versions stay for earlier periods.
    """
    if actor is not None:  # None: seeding the catalogue
        authorize(session, actor, "billing.manage_fee_items")
    if not isinstance(effective_from, dt.date):
        raise ValidationError(Text("give the first day the price applies", "请填写价格生效日期"), field="effective_from")
    price_cfen = parse_price_cfen(price)
    tier_rows = _parse_tiers(tiers or [], item)
    estate_id = getattr(estate, "id", estate)
    clash = session.scalar(
        select(FeePrice.id).where(
            FeePrice.fee_item_id == item.id,
            FeePrice.effective_from == effective_from,
            FeePrice.estate_id.is_(None) if estate_id is None else FeePrice.estate_id == estate_id,
        )
    )
    if clash is not None:
        raise ValidationError(
            Text(f"{item.code} already has a price from {effective_from}; add a later version", f"{item.name_zh or item.code} 已有自 {effective_from} 起的价格，请新增更晚的版本"),
            field="effective_from",
        )
    row = FeePrice(
        fee_item_id=item.id,
        estate_id=estate_id,
        effective_from=effective_from,
        price_cfen=price_cfen,
        approval_ref=approval_ref,
        created_by_id=getattr(actor, "id", None),
        tiers=tier_rows,
    )
    session.add(row)
    session.flush()
    return row


def _parse_tiers(tiers: list, item: FeeItem) -> list[FeeTier]:
    if tiers and item.basis != "metered":
        raise ValidationError(Text("tiers (阶梯) apply to metered items only", "阶梯价格只适用于按表计用量的项目"), field="tiers")
    rows, expected = [], 0
    for i, (lo, hi, price) in enumerate(tiers):
        try:
            lo_c = int(Decimal(str(lo)) * 100)
            hi_c = None if hi in (None, "") else int(Decimal(str(hi)) * 100)
        except InvalidOperation:
            raise ValidationError(Text(f"tier {i + 1}: bounds must be numbers", f"第 {i + 1} 档：起止用量须为数字"), field="tiers") from None
        if lo_c != expected or (hi_c is not None and hi_c <= lo_c) or (hi_c is None and i != len(tiers) - 1):
            raise ValidationError(
                Text(f"tier {i + 1}: tiers must run contiguously from 0, each ending after it "
                "starts, only the last open-ended", f"第 {i + 1} 档：阶梯须从 0 起连续衔接，每档止点大于起点，只有最后一档可不设上限"),
                field="tiers",
            )
        rows.append(FeeTier(from_centi=lo_c, to_centi=hi_c, price_cfen=parse_price_cfen(price, "tiers")))
        expected = hi_c
    return rows


def price_for(session: Session, item: FeeItem | int, estate_id: int | None, on: dt.date) -> FeePrice | None:
    """The price version in force on ``on``: the estate's own if it has one, else the company-wide one."""
    item_id = getattr(item, "id", item)
    for scope in (
        (FeePrice.estate_id == estate_id) if estate_id is not None else None,
        FeePrice.estate_id.is_(None),
    ):
        if scope is None:
            continue
        row = session.scalar(
            select(FeePrice)
            .where(FeePrice.fee_item_id == item_id, scope, FeePrice.effective_from <= on)
            .order_by(FeePrice.effective_from.desc())
            .limit(1)
        )
        if row is not None:
            return row
    return None


def items_for_estate(session: Session, estate_id: int, *, active_only: bool = True) -> list[FeeItem]:
    """Fee items that apply to an estate: its own plus the company-wide ones (estate null)."""
    stmt = select(FeeItem).where(or_(FeeItem.estate_id.is_(None), FeeItem.estate_id == estate_id))
    if active_only:
        stmt = stmt.where(FeeItem.active.is_(True))
    return list(session.scalars(stmt.order_by(FeeItem.category, FeeItem.code)))


def publication(session: Session, estate, on: dt.date | None = None) -> dict:
    """The fee publication (收费公示) of an estate: every active item with the price in force ``on``.

    Returns ``{"estate": {...}, "on": date, "items": [{code, name, name_zh, category, basis, cycle,
    unit_label, payer, price_yuan (str), price_cfen, effective_from, approval_ref, tiers: [...]}, ...]}``.
    """
    on = on or estate_today(session, estate)
    rows = []
    rank = {c: i for i, c in enumerate(CATEGORIES)}  # 物业服务费 first, as on the notice board
    items = sorted(items_for_estate(session, estate.id), key=lambda i: (rank.get(i.category, 99), i.code))
    for item in items:
        price = price_for(session, item, estate.id, on)
        rows.append(
            {
                "code": item.code,
                "name": item.name,
                "name_zh": item.name_zh,
                "category": item.category,
                "category_zh": CATEGORIES.get(item.category, ""),
                "basis": item.basis,
                "basis_zh": BASES.get(item.basis, ""),
                "cycle": item.cycle,
                "cycle_zh": CYCLES.get(item.cycle, ""),
                "price_per": item.price_per,
                "price_per_zh": PRICE_PER.get(item.price_per, ""),
                "unit_label": item.unit_label,
                "payer": item.payer,
                "unit_types": list(item.unit_types or []),
                "price_cfen": None if price is None else price.price_cfen,
                "price_yuan": None if price is None else str(cfen_to_yuan(price.price_cfen)),
                "effective_from": None if price is None else price.effective_from,
                "approval_ref": "" if price is None else price.approval_ref,
                "tiers": []
                if price is None
                else [
                    {
                        "from": str(Decimal(t.from_centi) / 100),
                        "to": None if t.to_centi is None else str(Decimal(t.to_centi) / 100),
                        "price_yuan": str(cfen_to_yuan(t.price_cfen)),
                    }
                    for t in price.tiers
                ],
            }
        )
    return {"estate": {"id": estate.id, "code": estate.code, "name": estate.name}, "on": on, "items": rows}


# --- seeding -------------------------------------------------------------------------------------


def catalogue() -> list[FeeItemDef]:
    """Billing's default catalogue (data/fee_items.toml): property fees per unit type, utilities ..."""
    data = tomllib.loads((DATA / "fee_items.toml").read_text(encoding="utf-8"))
    out = []
    for raw in data["item"]:
        raw = dict(raw)
        price = raw.pop("price", None)
        tiers = raw.pop("tiers", None)
        raw["unit_types"] = tuple(raw.get("unit_types", ()))
        out.append(
            (
                FeeItemDef(**{k: v for k, v in raw.items() if k != "active"}),
                price,
                tiers,
                raw.get("active", True),
            )
        )
    return out


def _upsert(session: Session, d: FeeItemDef, *, price=None, tiers=None, active=True, plugin="") -> bool:
    """Create the item for ``d`` unless its code exists (staff edits are never overwritten)."""
    if session.scalar(select(FeeItem.id).where(FeeItem.code == d.code)) is not None:
        return False
    validate_item_fields({"category": d.category, "basis": d.basis, "cycle": d.cycle, "payer": d.payer,
                          "price_per": d.price_per})
    item = FeeItem(
        code=d.code,
        name=d.name,
        name_zh=d.name_zh,
        category=d.category,
        basis=d.basis,
        cycle=d.cycle,
        prepaid=d.prepaid,
        unit_types=list(d.unit_types),
        payer=d.payer,
        unit_label=d.unit_label,
        description=d.description,
        price_per=d.price_per,
        active=active,
        source_plugin=plugin,
    )
    session.add(item)
    session.flush()
    if price is None and d.price_fen is not None:
        price = Decimal(d.price_fen) / 100
    if price is not None:
        set_price(session, None, item, price=str(price), effective_from=SINCE_EVER, tiers=tiers)
    return True


def ensure_fee_items(session: Session, wuye=None) -> int:
    """Create missing fee items: billing's catalogue, then every plugin's ``wuye_billing_fee_items``.

    Idempotent; returns how many items were created. ``wuye`` defaults to the session's instance.
    """
    if wuye is None:
        wuye = wuye_of(session)
    created = 0
    for d, price, tiers, active in catalogue():
        created += _upsert(session, d, price=price, tiers=tiers, active=active, plugin="billing")
    for plugin, defs in wuye.call_each("wuye_billing_fee_items"):
        for d in defs or ():
            if not isinstance(d, FeeItemDef):
                raise ValidationError(
                    f"plugin '{plugin}' returned {d!r} from wuye_billing_fee_items; "
                    "return plugins.billing.services.FeeItemDef objects",
                    field="fee_items",
                )
            created += _upsert(session, d, plugin=plugin)
    session.flush()
    return created
