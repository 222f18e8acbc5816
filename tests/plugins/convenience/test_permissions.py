"""The convenience permissions and the roles that hold them by default."""

from __future__ import annotations

from core import has_permission
from plugins.convenience.permissions import PERMISSIONS

# every permission the plugin declares (admin and API specs may name only these)
NAMES = {"convenience.view", "convenience.manage_catalogue", "convenience.propose_catalogue",
         "convenience.approve_catalogue", "convenience.order", "convenience.dispatch", "convenience.deliver",
         "convenience.confirm", "convenience.return_visit", "convenience.statements", "convenience.reports"}


def test_every_permission_is_listed_once_with_both_labels_and_a_holder():
    names = [p.name for p in PERMISSIONS]
    assert len(names) == len(set(names)) and set(names) == NAMES
    assert all(p.label and p.label_zh and p.default_roles for p in PERMISSIONS)


def test_default_grants(conv):
    s = conv.session
    assert has_permission(s, conv.gm, "convenience.approve_catalogue")
    assert not has_permission(s, conv.manager, "convenience.approve_catalogue")
    assert has_permission(s, conv.manager, "convenience.propose_catalogue")
    assert has_permission(s, conv.staff, "convenience.deliver") and not has_permission(s, conv.staff,
                                                                                          "convenience.dispatch")
    assert has_permission(s, conv.cashier, "convenience.statements")
    # the general manager answers for every estate's monthly statements (issue 14)
    assert has_permission(s, conv.gm, "convenience.statements")
    assert not has_permission(s, conv.staff, "convenience.statements")
    assert has_permission(s, conv.sup, "convenience.dispatch")
