"""One record of every API resource that allows creation, made through the API itself.

``RECIPES`` lists, per resource path, the smallest valid body (and the API steps that must come
first: a key set is received from the developer before it can be lent, a renovation is driven to its
works before inspections are recorded). A path without a recipe gets a body built from its schema
(:func:`body_from_schema`): enough for a plain resource such as a freshly scaffolded plugin's. A
resource that can be created neither way fails the test that uses this module, naming the path and
what to add here.

Used by ``test_api_every_resource.py`` (one of each, created and read back) and by the fuzz test,
which needs real records behind ``{ident}`` so that its responses are checked against the document.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from marshmallow import fields, validate
from sqlalchemy import select

from core.clock import estate_today, utcnow
from core.models import Role, RolePermission, StaffUser, UnitRelation
from core.web.tokens import create_token

EVERYTHING = "api_everything"


def superuser(factory, wuye, username: str = "api_all") -> tuple[int, str]:
    """A staff member of every estate holding every registered permission, and an API token."""
    s = factory()
    role = s.scalar(select(Role).where(Role.name == EVERYTHING))
    if role is None:
        role = Role(name=EVERYTHING, label="Everything (tests)", all_estates=True)
        s.add(role)
        s.flush()
        s.add_all(RolePermission(role_id=role.id, permission=p) for p in wuye.registry.permissions)
    user = StaffUser(username=username, full_name="全权测试", roles=[role])
    s.add(user)
    s.flush()
    _row, token = create_token(s, username, name="every resource")
    user_id = user.id
    s.commit()
    s.close()
    return user_id, token


class Api:
    """The API as the superuser sees it, plus what the recipes share (ids made so far, the world)."""

    def __init__(self, client, token: str, factory, wuye, world: dict, user_id: int):
        self.client, self.factory, self.wuye, self.world, self.me = client, factory, wuye, world, user_id
        self.headers = {"Authorization": f"Bearer {token}"}
        self.made: dict[str, dict] = {}  # path -> the created record as returned
        self.cache: dict[str, object] = {}
        s = factory()
        self.estate = world["a"]
        self.units = world["units_a"]
        self.owners = {u: s.scalar(select(UnitRelation.party_id).where(UnitRelation.unit_id == u)) for u in self.units}
        self.today = estate_today(s, self.estate)
        s.close()
        self.period = f"{self.today:%Y-%m}"

    def call(self, method: str, path: str, body=None):
        return self.client.open(f"/api/v1/{path}", method=method, json=body, headers=self.headers)

    def post(self, path: str, body: dict) -> dict:
        r = self.call("POST", path, body)
        assert r.status_code == 201, f"POST /api/v1/{path} {body!r}: {r.status_code} {r.get_data(as_text=True)[:600]}"
        return r.json

    def step(self, path: str, ident: int, name: str, **body) -> dict:
        r = self.call("POST", f"{path}/{ident}/transitions/{name}", body)
        assert r.status_code == 200, f"{name} of /{path}/{ident}: {r.status_code} {r.get_data(as_text=True)[:600]}"
        return r.json

    def id_of(self, path: str) -> int:
        """The id of the record made for ``path`` (made now, by its recipe, if not yet)."""
        if path not in self.made:
            self.made[path] = self.post(path, RECIPES[path](self))
        return self.made[path]["id"]

    def once(self, key: str, make: Callable[[], object]):
        if key not in self.cache:
            self.cache[key] = make()
        return self.cache[key]


# --- recipes: path -> body (after any steps the body needs) ------------------------------------------

def _unit_relation(api: Api) -> dict:
    party = api.post("parties", {"name": "租户甲", "unit_id": api.units[1], "relation": "household_member"})
    return {"unit_id": api.units[1], "party_id": party["id"], "kind": "tenant", "start_on": str(api.today)}


def _sealed_key_set(api: Api, tag: str, unit: int) -> int:
    ks = api.post("keys/key-sets", {"estate_id": api.estate, "unit_id": unit, "tag_no": tag})
    api.step("keys/key-sets", ks["id"], "receive_from_developer", copies=2)
    return ks["id"]


def _approver(api: Api) -> int:
    """A second staff member who approves key loans (the lender never approves his own loan)."""
    def make():
        def add(s):
            role = s.scalar(select(Role).where(Role.name == "general_manager"))
            user = StaffUser(username="every_approver", full_name="批准人", roles=[role])
            s.add(user)
            s.flush()
            return user.id
        return _with_session(api, add)
    return api.once("approver", make)


def _loan(api: Api) -> dict:
    key_set = _sealed_key_set(api, "LOAN-1", api.units[2])
    return {"key_set_id": key_set, "borrower_name": "李师傅", "purpose": "repairs", "approved_by_id": _approver(api),
            "expected_return_at": (utcnow() + dt.timedelta(days=1)).isoformat()}


def _move_in_unit(api: Api) -> tuple[int, int]:
    """A unit not yet delivered (a new one) and its owner, made through the API."""

    def make():
        unit = api.post("units", {"building_id": api.id_of("buildings"), "room_no": "1901", "floor": 19})
        owner = api.post("parties", {"name": "入伙业主", "unit_id": unit["id"], "relation": "owner",
                                     "start_on": str(api.today - dt.timedelta(days=30))})
        return unit["id"], owner["id"]

    return api.once("move_in_unit", make)


def _move_in_case(api: Api) -> dict:
    unit, owner = _move_in_unit(api)
    return {"unit_id": unit, "owner_id": owner}


def _move_in_defect(api: Api) -> dict:
    case = api.id_of("move-in/cases")
    api.step("move-in/cases", case, "check_documents", id_checked=True, contract_checked=True, photos_count=2)
    api.step("move-in/cases", case, "confirm_fees")
    return {"case_id": case, "description": "墙面裂缝", "responsible": "developer"}


def _move_in_slot(api: Api) -> dict:
    start = utcnow().replace(microsecond=0) + dt.timedelta(days=1)
    return {"estate_id": api.estate, "starts_at": start.isoformat(),
            "ends_at": (start + dt.timedelta(hours=2)).isoformat(), "capacity": 5}


def _with_session(api: Api, work):
    s = api.factory()
    try:
        value = work(s)
        s.commit()
        return value
    finally:
        s.close()


def _meter(api: Api) -> int:
    from core.models import Estate, Unit
    from plugins.billing.meters import create_meter

    def make(s):
        return create_meter(s, None, estate=s.get(Estate, api.estate), code="M-API", fee_item_code="water",
                            unit=s.get(Unit, api.units[0])).id

    return _with_session(api, make)


def _dunning_case(api: Api) -> int:
    from core.models import Unit
    from plugins.billing.dunning import open_case

    return _with_session(api, lambda s: open_case(s, s.get(Unit, api.units[0]), on=api.today).id)


def _published_item(api: Api) -> int:
    """A convenience item on the estate's published price list (booking needs one)."""

    def make():
        item = api.id_of("convenience/items")
        version = api.id_of("convenience/catalogue-versions")
        for name in ("propose", "approve", "publish"):
            api.step("convenience/catalogue-versions", version, name)
        return item

    return api.once("published_item", make)


def _statement(api: Api) -> dict:
    api.id_of("convenience/agreements")  # a monthly agreement running this month is something to bill
    return {"customer_id": api.owners[api.units[0]], "unit_id": api.units[0], "period": api.period}


def _application_body(api: Api, unit: int, number: str) -> dict:
    return {"unit_id": unit, "applicant_id": api.owners[unit], "scope": ["flooring"],
            "planned_start": str(api.today + dt.timedelta(days=1)),
            "planned_end": str(api.today + dt.timedelta(days=30)), "self_renovation": True,
            "worker_guarantee_ref": f"担保书 {number}",
            "workers": [{"name": "郑师傅", "id_number": f"32010219700101{number}", "trade": "tiler"},
                        {"name": "王师傅", "id_number": f"32010219800101{number}", "trade": "tiler"}]}


def _works(api: Api) -> dict:
    """A renovation whose works are on (permit issued, started): what site records need."""

    def make():
        path = "renovation/applications"
        app = api.post(path, _application_body(api, api.units[3], "0077"))
        for name in ("receive", "pass_cs_review", "pass_engineering_review", "approve", "sign_agreement"):
            app = api.step(path, app["id"], name)
        source = f"renovation:application:{app['id']}"
        lines = api.call("GET", f"billing/charge-lines?source={source}&per_page=100").json["items"]
        owed = sum(line["amount_fen"] for line in lines)
        if owed:
            api.post("billing/payments", {"unit_id": app["unit_id"], "amount_fen": owed, "method": "cash",
                                          "lines": [line["id"] for line in lines]})
        if app["deposit_required_fen"]:
            api.post("billing/deposits", {"unit_id": app["unit_id"], "source": source, "method": "cash",
                                          "amount": f"{app['deposit_required_fen'] / 100:.2f}"})
        for name in ("confirm_payment", "issue_permit", "start"):
            app = api.step(path, app["id"], name)
        return app

    return api.once("works", make)


def _pass(api: Api) -> dict:
    from plugins.renovation.models import RenovationWorker, RenovationWorkerPass
    from plugins.renovation.site import active_pass, return_pass

    app = _works(api)

    def hand_back(s):  # every listed worker got a pass with the permit: one hands it back
        worker = s.scalar(select(RenovationWorker).where(RenovationWorker.application_id == app["id"])
                          .order_by(RenovationWorker.id))
        pass_: RenovationWorkerPass = active_pass(s, worker)
        return_pass(s, s.get(StaffUser, api.me), pass_)
        return worker.id

    return {"worker_id": _with_session(api, hand_back)}


def _acceptance_check(api: Api) -> dict:
    app = _works(api)
    for name in ("report_completion", "begin_acceptance"):
        app = api.step("renovation/applications", app["id"], name)
    return {"application_id": app["id"], "kind": "cs", "passed": True}


RECIPES: dict[str, Callable[[Api], dict]] = {
    # core
    "estates": lambda api: {"code": "EVERY", "name": "每种记录小区"},
    "buildings": lambda api: {"estate_id": api.estate, "code": "9", "name": "9栋", "floors": 18},
    "units": lambda api: {"building_id": api.id_of("buildings"), "room_no": "901", "floor": 9, "built_area": "88.50"},
    "parties": lambda api: {"name": "新业主", "unit_id": api.units[0], "relation": "tenant", "phone": "13800000000"},
    "unit-relations": _unit_relation,
    "intakes": lambda api: {"unit_id": api.units[0], "caller_phone": "13800000000", "category": "inquiry",
                            "summary": "物业费怎么交"},
    "team-members": lambda api: {"team_id": api.id_of("teams"), "staff_id": api.me},
    "notification-templates": lambda api: {"event": "core.message", "language": "zh_CN", "subject": "{{ subject }}",
                                           "body": "{{ body }}"},
    # keys
    "keys/facility-rooms": lambda api: {"estate_id": api.estate, "name": "1号配电房", "kind": "plant_room",
                                        "active": True},
    "keys/key-sets": lambda api: {"estate_id": api.estate, "unit_id": api.units[0], "tag_no": "K-1"},
    "keys/handover-batches": lambda api: {"estate_id": api.estate,
                                          "lines": [{"tag_no": "H-1", "unit_id": api.units[3]}]},
    "keys/custody-agreements": lambda api: {"unit_id": api.units[0], "owner_id": api.owners[api.units[0]],
                                            "reason": "travel", "permitted_uses": ["repairs"],
                                            "start_on": str(api.today)},
    "keys/loans": _loan,
    "keys/inventory-counts": lambda api: {"estate_id": api.estate},
    "keys/inventory-lines": lambda api: {"count_id": api.id_of("keys/inventory-counts"), "tag_no": "K-1"},
    "repairs/categories": lambda api: {"estate_id": api.estate, "code": "plumbing", "name": "Plumbing",
                                       "name_zh": "水管"},
    "repairs/orders": lambda api: {"unit_id": api.units[0], "description": "厨房水管漏水"},
    # move_in
    "move-in/cases": _move_in_case,
    "move-in/defects": _move_in_defect,
    "move-in/slots": _move_in_slot,
    "move-in/batches": lambda api: {"estate_id": api.estate, "name": "一期"},
    # archive (the archive of the unit's owner, built from the schema: core unit and party)
    "archive/documents": lambda api: {"archive_id": api.id_of("archive/archives"), "doc_type": "handover_form",
                                      "title": "收楼确认书"},
    "archive/access-requests": lambda api: {"archive_id": api.id_of("archive/archives"), "section": "identity",
                                            "reason": "核对产权人身份"},
    # complaints
    "complaints/complaints": lambda api: {"unit_id": api.units[0], "complainant_name": "陈女士",
                                          "complainant_phone": "13812345678", "summary": "楼道灯不亮"},
    # billing
    "billing/fee-items": lambda api: {"code": "api_fee", "name": "API fee", "category": "property_service"},
    "billing/fee-prices": lambda api: {"fee_item_id": api.id_of("billing/fee-items"),
                                       "effective_from": str(api.today), "price": "2.50"},
    "billing/payments": lambda api: {"unit_id": api.units[0], "amount_fen": 10000, "method": "cash",
                                     "confirm": True},
    "billing/deposits": lambda api: {"unit_id": api.units[0], "source": "api:every-resource", "amount_fen": 5000},
    "billing/meter-readings": lambda api: {"meter_id": _meter(api), "period": api.period, "value": "12.50"},
    "billing/meters": lambda api: {"code": "M-API-2", "unit_id": api.units[1], "max_value": "100000",
                                   "fee_item_id": api.call("GET", "billing/fee-items?code=water").json["items"][0]["id"]},
    "billing/dunning-actions": lambda api: {"case_id": _dunning_case(api), "kind": "phone"},
    # a day already past: a close of today would refuse the payments the test takes after it
    "billing/daily-closes": lambda api: {"estate_id": api.estate,
                                         "business_day": str(api.today - dt.timedelta(days=1))},
    # convenience
    "convenience/items": lambda api: {"estate_id": api.estate, "code": "API-CLEAN", "name": "Cleaning",
                                      "price_fen": 5000, "unit_of_charge": "per_month"},
    "convenience/catalogue-versions": lambda api: {"estate_id": api.estate},
    "convenience/orders": lambda api: {"unit_id": api.units[0], "customer_id": api.owners[api.units[0]],
                                       "item_id": _published_item(api)},
    "convenience/agreements": lambda api: {"unit_id": api.units[0], "customer_id": api.owners[api.units[0]],
                                           "item_id": _published_item(api), "frequency": "monthly",
                                           "start_on": str(api.today.replace(day=1))},
    "convenience/statements": _statement,
    "convenience/item-costs": lambda api: {"item_id": api.id_of("convenience/items"), "period": api.period,
                                           "cost_fen": 1200},
    # renovation
    "renovation/applications": lambda api: _application_body(api, api.units[2], "0042"),
    "renovation/passes": _pass,
    "renovation/extensions": lambda api: {"application_id": _works(api)["id"], "reason": "材料延误",
                                          "requested_end": str(api.today + dt.timedelta(days=40))},
    "renovation/inspections": lambda api: {"application_id": _works(api)["id"], "kind": "cs"},
    "renovation/violations": lambda api: {"application_id": _works(api)["id"], "code": "P01"},
    "renovation/acceptance-checks": _acceptance_check,
    # help_requests
    "help-requests/requests": lambda api: {"unit_id": api.units[0], "category": "locked_out",
                                           "caller_name": "王先生", "caller_phone": "13900001111"},
    "help-requests/answers": lambda api: {"estate_id": api.estate, "topic": "parking",
                                          "question": "访客车辆怎么进小区？", "answer": "请在岗亭登记。"},
    # webhooks
    "webhooks/endpoints": lambda api: {"url": "https://erp.example.com/wuye/hooks", "events": "record.created",
                                       "secret": "0123456789abcdef", "estate_id": api.estate},
}


def _lost_key(api: Api) -> None:
    key_set = _sealed_key_set(api, "LOST-1", api.units[1])
    api.step("keys/key-sets", key_set, "report_lost", comment="掉在电梯里", description="lost in the lift")


# Read-only resources whose records other records' steps make (for tests that need one to read).
MADE_BY_STEPS: dict[str, Callable[[Api], None]] = {
    "keys/lock-changes": _lost_key,
}


def body_from_schema(api: Api, spec) -> dict:
    """A body with every required field of ``spec.schema``: a choice from its allowed values, an id of a
    record the world already has for a reference, today for a date; enough for plain resources."""
    body = {}
    columns = spec.model.__table__.columns
    for name, field in spec.schema().load_fields.items():
        if not field.required:
            continue
        key = field.data_key or name
        choices = [v.choices for v in field.validators if isinstance(v, validate.OneOf)]
        if choices:
            body[key] = list(choices[0])[0]
        elif isinstance(field, fields.Enum):
            body[key] = next(iter(field.enum)).value
        elif isinstance(field, fields.Integer):
            column = columns.get(field.attribute or name)
            target = next(iter(column.foreign_keys)).column.table.name if column is not None and column.foreign_keys \
                else None
            body[key] = {"core_estates": api.estate, "core_units": api.units[0],
                         "core_parties": api.owners[api.units[0]], "core_staff_users": api.me}.get(target, 1)
        elif isinstance(field, fields.Boolean):
            body[key] = True
        elif isinstance(field, fields.DateTime):
            body[key] = (utcnow() + dt.timedelta(days=1)).isoformat()
        elif isinstance(field, fields.Date):
            body[key] = str(api.today)
        elif isinstance(field, fields.Decimal):
            body[key] = "1.00"
        elif isinstance(field, fields.List):
            body[key] = []
        else:
            body[key] = f"{spec.path.split('/')[-1]}-1"
    return body


def make_one(api: Api, spec) -> dict:
    """Create one record of ``spec`` (recipe or schema-built body); returns it as the API returned it."""
    if spec.path in api.made:
        return api.made[spec.path]
    recipe = RECIPES.get(spec.path)
    if recipe is None:
        r = api.call("POST", spec.path, body_from_schema(api, spec))
        assert r.status_code == 201, (
            f"/api/v1/{spec.path} allows creation, but a body built from its schema was refused "
            f"({r.status_code} {r.get_data(as_text=True)[:400]}): add a recipe with a minimal valid body for "
            f"'{spec.path}' to RECIPES in tests/core/web/api_records.py")
        api.made[spec.path] = r.json
        return r.json
    body = recipe(api)
    api.made[spec.path] = api.post(spec.path, body)
    return api.made[spec.path]
