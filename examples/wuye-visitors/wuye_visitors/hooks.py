"""Hook implementations only; each delegates to the modules beside it."""

from core import Permission, hookimpl


@hookimpl
def wuye_register_models():
    from wuye_visitors.models import Visit

    return [Visit]


@hookimpl
def wuye_register_permissions():
    return [Permission("visitors.register", "Register visitors at the gate", "来访登记",
                       default_roles=("guard", "squad_leader", "security_manager"))]


@hookimpl
def wuye_unit_event(unit, event, data):
    # Nothing to do when a unit changes, but this is where a plugin reacts to core events.
    return None
