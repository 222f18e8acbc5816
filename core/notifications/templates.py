"""Notification texts: the company's template (通知模板) when it has one, else the event's default;
rendered with Jinja2 in a sandbox (templates are edited in the admin, so they may not reach Python
internals) and ``StrictUndefined`` (a misspelt variable is an error naming it, not an empty string).
"""

from __future__ import annotations

from functools import lru_cache

from jinja2 import StrictUndefined, TemplateError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment
from sqlalchemy import event as sa_event
from sqlalchemy import select
from sqlalchemy.orm import object_session

from core.context import ACTOR_KEY
from core.errors import ValidationError
from core.models.notification import NotificationTemplate

LANGUAGES = ("zh_CN", "en")


@lru_cache(maxsize=1)
def environment() -> SandboxedEnvironment:
    """The one sandboxed environment (plain text: no HTML escaping; mail bodies are text/plain)."""
    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)


def default_text(event, language: str) -> tuple[str, str]:
    """The event's own ``(subject, body)`` in ``language``, else in the other language, else its label."""
    for lang in (language, *(x for x in LANGUAGES if x != language), *event.templates):
        if lang in event.templates:
            return event.templates[lang]
    return (event.label_zh or event.label, event.label_zh or event.label) if language == "zh_CN" else \
        (event.label, event.label)


def company_templates(session, event: str) -> dict[tuple[str, str], NotificationTemplate]:
    """``{(language, channel): template}`` of the company's active templates for ``event``."""
    rows = session.scalars(select(NotificationTemplate).where(NotificationTemplate.event == event,
                                                              NotificationTemplate.active.is_(True)))
    return {(t.language, t.channel or ""): t for t in rows}


def text_for(event, language: str, channel: str, company: dict) -> tuple[str, str]:
    """The ``(subject, body)`` source for one language and channel: the company's template for the
    channel, else its template for every channel, else the event's default."""
    for key in ((language, channel), (language, "")):
        if key in company:
            return company[key].subject, company[key].body
    return default_text(event, language)


def render(source: str, context: dict, *, event: str = "", language: str = "", part: str = "body") -> str:
    """Render one template text; a ``ValidationError`` naming the event, language and problem otherwise."""
    try:
        return environment().from_string(source).render(**context).strip()
    except UndefinedError as exc:
        raise ValidationError(f"the {part} of notification {event!r} ({language}) uses {exc.message}: pass it in "
                              f"the context (given: {', '.join(sorted(context)) or 'nothing'}) or fix the template",
                              field="context") from None
    except TemplateError as exc:
        raise ValidationError(f"the {part} of notification {event!r} ({language}) is not a valid template: {exc}",
                              field="template") from None


def check_template(subject: str, body: str) -> None:
    """Syntax check for the admin (variables are checked when sending): ``ValidationError`` naming the part."""
    for part, source in (("subject", subject), ("body", body)):
        try:
            environment().parse(source or "")
        except TemplateError as exc:
            raise ValidationError(f"not a valid template: {exc}; check the {{{{ }}}} and {{% %}} tags",
                                  field=part) from None


@sa_event.listens_for(NotificationTemplate, "before_insert")
@sa_event.listens_for(NotificationTemplate, "before_update")
def _stamp_editor(_mapper, _connection, target) -> None:
    # Whoever edits a template (admin screen, API) is recorded, whichever path saved it.
    session = object_session(target)
    actor = session.info.get(ACTOR_KEY) if session is not None else None
    if actor is not None and getattr(actor, "id", None) is not None:
        target.updated_by_id = actor.id
