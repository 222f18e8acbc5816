"""Every hook a Wuye plugin can implement.

Rules shared by all hooks:

* names start with ``wuye_`` and take keyword arguments only;
* pluggy calls implementations in reverse registration order; no hook's meaning depends on that
  order: where order matters (menus, dashboard cards), the core sorts the merged results;
* a hook that returns a list is merged by concatenation; the host rejects duplicates (the same
  permission, workflow, table or job name contributed twice) with an error naming both plugins.

Each hook is documented for integrators in ``docs/hooks.md``; ``tests/core/test_hook_docs.py``
fails when one is undocumented or exercised by no test.
"""

from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("wuye")
hookimpl = pluggy.HookimplMarker("wuye")


@hookspec
def wuye_register_models():
    """Return the mapped classes the plugin owns.

    Called at startup. Each class's table must start with the plugin's name (``keys_``); the host
    rejects a table owned by two plugins or outside the prefix. Merged into ``registry.models``.
    """


@hookspec
def wuye_register_permissions():
    """Return a list of :class:`core.security.Permission` the plugin defines.

    Called at startup. Names must start with the plugin's name (``keys.lend``); ``default_roles``
    seeds the grants (a company can change them later, as data). Merged into
    ``registry.permissions``; a name defined twice is an error.
    """


@hookspec
def wuye_register_roles():
    """Return a list of :class:`core.security.RoleDef` for roles the plugin adds.

    Called at startup and when roles are seeded. Core registers the manual's roles (spec 3); a
    plugin adds only roles the manual's core list lacks. Merged into ``registry.roles``.
    """


@hookspec
def wuye_register_workflows():
    """Return a list of :class:`core.workflow.Workflow` definitions for the plugin's models.

    Called at startup; workflows are validated (known states, all reachable, permissions
    registered) before the app or CLI runs. Merged into ``registry.workflows`` by name; a name
    registered twice is an error. The workflow's ``model`` must be one of the plugin's registered
    models and the transitions' permissions must be registered (by any enabled plugin). Once
    registered, the model's state field changes only through ``core.workflow.apply``.
    """


@hookspec
def wuye_extend_workflow(workflow):
    """Add to another plugin's workflow: return a :class:`core.workflow.WorkflowExtension` or None.

    Called once per registered workflow, after all are registered, with the workflow as its
    owner declared it (check ``workflow.name``; return None for workflows you do not extend). An
    extension may add transitions between existing states and add guards and effects to existing
    transitions (``guards={"approve": (my_guard,)}``); it cannot add, remove or rename states. A
    transition naming an unknown state, a reused transition name or guards/effects for an unknown
    transition stop startup with an error naming the plugin. Contributions are merged into a copy
    (``core.workflow.get_workflow`` returns it); the owner's object is never modified.
    """


@hookspec
def wuye_add_hookspecs(pm):
    """Let a plugin publish hookspecs for its dependents: call ``pm.add_hookspecs(module)``.

    Called right after the plugin's ``hooks`` module is registered, before ``check_pending``.
    Returns nothing.
    """


@hookspec
def wuye_admin_views():
    """Return admin view specs (:class:`core.web.admin.AdminViewSpec`) for the plugin's screens.

    Called at app creation. The generic admin layer turns each spec into a hardened Flask-Admin
    view, grouped in a menu per plugin and sorted by the spec's ``order``.
    """


@hookspec
def wuye_api_resources():
    """Return API resource specs (:class:`core.web.api.ApiResourceSpec`) or blueprints.

    Called at app creation; resources are mounted under ``/api/v1/``.
    """


@hookspec
def wuye_cli_commands(cli):
    """Add click commands or groups to the ``wuye`` command group ``cli``. Returns nothing.

    Called when the CLI is built, only for enabled plugins.
    """


@hookspec
def wuye_scheduled_jobs():
    """Return a list of :class:`core.jobs.Job` (name, schedule, func) the scheduler may run.

    Called at startup (schedules are validated) and used by ``wuye jobs list`` and ``wuye jobs
    run``. Names must start with the plugin's name. ``schedule`` is ``every N minutes|hours|days``,
    ``hourly``, ``daily``, ``weekly`` or ``monthly``; ``func(session, now)`` runs in its own
    transaction (``session.info["wuye_system"]`` is set, so it may apply workflow transitions with
    ``actor=None``) and returns a JSON-able summary dict. Core contributes
    ``core.escalate_overdue`` (every 5 minutes). Periodic follow-ups (arrears every 15 days) are
    jobs that select what is due by their own dates, so an extra run changes nothing.
    """


@hookspec
def wuye_record_filter(actor, model):
    """Return an extra SQL clause restricting which rows of ``model`` ``actor`` may see, or None.

    Called on every scoped query (admin lists, counts, detail pages, lookups, API, exports,
    jobs run on behalf of a user) through ``core.scoping.scope``/``get_scoped``/``in_scope``.
    All non-None clauses are combined with AND on top of the core's estate scoping; ``actor`` may
    be None (anonymous: the estate rule already hides everything). Return None for models you do
    not restrict; the clause must be usable in ``select(model).where(clause)``.
    """


@hookspec
def wuye_before_transition(record, transition, actor):
    """Called before a workflow transition is applied; raise ``core.errors.WorkflowError`` to veto.

    Runs after the transition's permission, estate, company-override, comment and guard checks,
    inside the savepoint ``apply`` takes in the caller's transaction, before the state is set;
    ``record`` still has its old state and ``transition`` is the :class:`core.workflow.Transition`.
    A raise (``WorkflowError`` to show the user a message) cancels the transition and anything the
    hook wrote. Returns nothing.
    """


@hookspec
def wuye_after_transition(record, transition, actor):
    """Called after a transition has set the new state and its history row, same transaction.

    ``record`` has its new state, the effects have run, the history row and deadline are written.
    Use it for reactions in other plugins (notify, open a follow-up record). Returns nothing.
    Raising rolls the whole transition back (state, effects, history), changing nothing.
    """


@hookspec
def wuye_record_created(session, record, actor):
    """Called once per record the activity trail records as created, inside the flush that inserted it.

    ``record`` has its primary key; ``actor`` is the staff member the change is attributed to (None:
    the system). Called from an ``after_flush`` listener, so an implementation must not add or
    flush ORM objects: write with Core statements on ``session.connection()``. Records of
    untracked tables and changes flushed inside ``core.untracked`` are not announced. Raising fails
    the flush. Returns nothing.
    """


@hookspec
def wuye_unit_event(unit, event, data):
    """Called when a unit's status, owner or occupant changes, in the same transaction.

    ``event`` is one of ``status_changed``, ``owner_changed``, ``occupant_changed``; ``data`` is a
    dict (``{"from": ..., "to": ..., "actor": ...}`` for a status change). Returns nothing.
    """


@hookspec
def wuye_demo_data(session, estate):
    """Add the plugin's demo records for ``estate`` (called by ``wuye demo``, once per estate).

    Plugins are called in dependency order, so a plugin sees its dependencies' demo data.
    Returns nothing.
    """


@hookspec
def wuye_dashboard_cards(actor):
    """Return a list of :class:`core.web.dashboard.Card` for ``actor``'s home page.

    Called on each home-page request. Cards are sorted by ``order`` then title.
    """


@hookspec
def wuye_search(session, actor, query):
    """Return records of this plugin matching ``query`` for the top-bar search (a list of ``core.SearchHit``).

    ``query`` is the user's stripped text (a document number such as ``KL-2026-0012``, a name, a
    phone tail). Return only records ``actor`` may see (``authorize`` / scoped selects) and at most
    a handful (the page shows the best few per plugin). Called per search request.
    """


@hookspec
def wuye_unit_panels(session, actor, unit):
    """Return the panels this plugin shows on the unit's page (房屋档案): a list of ``core.Panel``.

    Show only what ``actor`` may see (check the plugin's view permission and the estate); return
    an empty list to show nothing. Called per unit-page request.
    """


@hookspec
def wuye_party_panels(session, actor, party):
    """Return the panels this plugin shows on the party's page (业主档案): a list of ``core.Panel``.

    As :func:`wuye_unit_panels`, for an owner, tenant or household member.
    """


@hookspec
def wuye_inbox_items(session, actor, today):
    """Return to-dos (待办) for ``actor`` that are not a workflow transition: a list of ``core.InboxItem``.

    Core already lists every record waiting for a transition ``actor`` may take and every deadline
    near or overdue; a plugin adds the rest (keys overdue for return, arrears to follow up).
    ``today`` is the business date. Only records in ``actor``'s estates.
    """


@hookspec
def wuye_dashboard_charts(session, actor, today):
    """Return the charts this plugin adds to the dashboards page: a list of ``core.Chart``.

    Only charts ``actor`` may see, with numbers from the plugin's services for the estates
    ``actor`` may see, as of the business date ``today``.
    """


@hookspec
def wuye_notification_events():
    """Return the events this plugin notifies people about: a list of ``core.NotificationEvent``.

    Each has a name (``<plugin>.<event>``), labels, default templates per language and default
    channels. ``core.send_notification(session, "<plugin>.<event>", audience, context=...)`` queues one;
    companies edit the templates in the admin. A name contributed twice is a startup error.
    """


@hookspec
def wuye_notification_channels():
    """Return extra ways of delivering notifications: a list of ``core.Channel`` objects.

    Core ships ``inapp`` (the staff inbox), ``email`` (SMTP) and ``sms`` / ``wechat`` through a
    gateway with a log-only backend by default. A channel says how to address a recipient and sends
    one delivery; raising marks the attempt failed and it is retried later.
    """


@hookspec
def wuye_intake_handlers():
    """Return the intake categories this plugin takes over: a list of ``core.IntakeHandler``.

    A reception record (来电来访登记) of that category (repair, complaint, help...) becomes a record
    of this plugin when staff route it: the handler's ``create(session, intake, actor)`` returns the
    new record, which is linked back to the reception record.
    """


@hookspec
def wuye_documents():
    """Return the printable documents this plugin offers: a list of ``core.Document``.

    A document (receipt 收据, payment notice 缴费通知单, permit, agreement, statement) belongs to one
    model; core renders it from the plugin's template as an HTML print view and as a PDF, adds a
    print button to the record's page and an API route, checks the permission and the estate of the
    record, and numbers each issue.
    """


@hookspec
def wuye_check_assignee(session, record, assignee):
    """Say why staff member ``assignee`` may not hold ``record``, or return None.

    Called by every way a record gets a named holder (``core.assign``, ``reassign``, ``grab``,
    ``dispatch`` round robin, the admin's 指派 form and the API): a complaint is never handled by the
    person it is about (回避). Return a message (``core.Text`` or str) naming the rule; the assignment
    is refused with it on the field ``assignee``, nothing changed (round robin skips that member).
    Only look at ``record``s of your own plugin.
    """


@hookspec
def wuye_public_pages():
    """Return Flask Blueprints of pages served without a staff login: a list of ``flask.Blueprint``.

    For owners and visitors reached by a link (a satisfaction rating, a notice): each Blueprint is
    mounted under ``/p/<plugin>/``; there is no actor (``request_actor()`` is None), so a view proves
    its right to act by what the link carries (a signed, expiring token). Forms post with
    ``csrf_token()``; a business error is shown on the plain page with its status.
    """


@hookspec
def wuye_startup(wuye, problems):
    """Run a later stage of startup on the booted instance ``wuye``.

    Called once per boot, after the registry is built and every plugin's config section is
    validated. Append one message per problem to ``problems`` (name the plugin and the fix):
    startup then fails with every problem collected. Return nothing. Core's own implementation runs
    first and merges workflow extensions, validates workflows, overrides and job schedules, and arms
    the workflow flush listener; a plugin may check its own invariants against the merged registry.
    """


@hookspec
def wuye_config_schema():
    """Return a marshmallow ``Schema`` instance validating the plugin's ``[plugins.<name>]`` section.

    Called at startup for each enabled plugin. A plugin without a schema accepts no keys.
    """


@hookspec
def wuye_seed_data(session):
    """Create or update reference data the plugin needs (fee items, catalogues, sequences).

    Called in dependency order by ``wuye db upgrade`` (after migrations and role seeding), by
    ``wuye demo`` and by the test fixture ``seeded``. Must be idempotent: running it twice changes
    nothing, and it never overwrites what staff edited. Returns nothing.
    """
