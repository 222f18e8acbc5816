"""Languages (Flask-Babel): Simplified Chinese (zh_CN) and English (en).

Core strings go through the gettext catalogues in ``core/translations``; labels that plugins
give in both languages (workflow states, permissions, roles, admin screens) are picked per
request with :func:`pick` or kept lazily as :class:`Bilingual`. The language is the user's
(``StaffUser.locale``), else the one chosen on the login page, else ``[core] locale``.
"""

from __future__ import annotations

import re
from pathlib import Path

from babel import support
from flask import current_app, g, has_request_context, session
from flask_babel import Babel, Domain, get_locale
from flask_babel import gettext as _gettext
from flask_babel import lazy_gettext as _lazy_gettext

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
LOCALES = ("zh_CN", "en")
LANGUAGE_NAMES = {"zh_CN": "中文", "en": "English"}

gettext = _gettext
lazy_gettext = _lazy_gettext
_ = _gettext


def select_locale() -> str:
    """The request's language: the user's setting, the session's choice, else the configured default."""
    actor = g.get("actor")
    if actor is not None and actor.locale in LOCALES:
        return actor.locale
    chosen = session.get("locale")
    if chosen in LOCALES:
        return chosen
    return current_app.extensions["wuye"].config.locale


def _flask_admin_translations_dir() -> str:
    from flask_admin import translations

    return translations.__path__[0]


class CoreDomain(Domain):
    """Core's catalogue merged over Flask-Admin's (``zh_Hans_CN``), found for ``zh_CN`` too.

    One catalogue serves core's templates and Flask-Admin's own strings ("Add Filter", the pager...):
    what Flask-Admin's catalogue lacks or says badly is translated in ours, which wins.
    """

    def get_translations(self):
        locale = get_locale()
        if locale is None or not has_request_context():
            return support.NullTranslations()
        cache = self.get_translations_cache(g)
        key = (str(locale), "wuye")
        if key not in cache:
            names = [str(locale)] + (["zh_CN", "zh_Hans_CN"] if locale.language == "zh" else [])
            merged = support.Translations.load(_flask_admin_translations_dir(), names, "admin")
            ours = support.Translations.load(str(TRANSLATIONS), names, "messages")
            if isinstance(merged, support.Translations) and isinstance(ours, support.Translations):
                merged.merge(ours)
            else:
                merged = ours
            cache[key] = merged
        return cache[key]


def init_babel(app) -> Babel:
    babel = Babel(app, locale_selector=select_locale, default_translation_directories=str(TRANSLATIONS))
    babel.domain_instance = CoreDomain(str(TRANSLATIONS))
    _use_core_catalogue_for_flask_admin(babel.domain_instance)
    from core.text import set_locale_resolver

    set_locale_resolver(text_language)  # core.Text renders in the request's language
    return babel


def text_language() -> str:
    """The language ``core.Text`` renders in: the user's on screens, English in the JSON API.

    The API's messages stay English even where a service or guard turned a ``Text`` into a plain
    string (``str(message)``) before raising.
    """
    from flask import request

    if has_request_context() and request.path.startswith("/api/"):
        return "en"
    return current_locale()


def _use_core_catalogue_for_flask_admin(domain: CoreDomain) -> None:
    """Flask-Admin's ``gettext`` (its templates, flashes, filter names) reads the merged catalogue."""
    from flask_admin import babel as admin_babel

    if hasattr(admin_babel, "domain"):
        admin_babel.domain.get_translations = domain.get_translations


def current_locale() -> str:
    """``zh_CN`` or ``en`` for the current request (the configured default outside a request)."""
    if not has_request_context():
        return "en"
    loc = get_locale()
    return "zh_CN" if loc is not None and loc.language == "zh" else "en"


def is_zh() -> bool:
    return current_locale() == "zh_CN"


def pick(label: str, label_zh: str = "") -> str:
    """``label_zh`` in a Chinese request (when given), else ``label``."""
    return label_zh if (label_zh and is_zh()) else label


class Bilingual:
    """A label in both languages that renders in the request's language when turned into text."""

    __slots__ = ("en", "zh")

    def __init__(self, en: str, zh: str = ""):
        self.en = en
        self.zh = zh or en

    def __str__(self) -> str:
        return pick(self.en, self.zh)

    def __html__(self) -> str:
        from markupsafe import escape

        return str(escape(str(self)))

    def __repr__(self) -> str:
        return f"Bilingual({self.en!r}, {self.zh!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Bilingual) and (self.en, self.zh) == (other.en, other.zh)

    def __hash__(self) -> int:
        return hash((self.en, self.zh))

    def __len__(self) -> int:
        return len(str(self))

    def __add__(self, other):
        return str(self) + str(other)

    def __radd__(self, other):
        return str(other) + str(self)

    def lower(self) -> str:
        return str(self).lower()


def prettify(name: str) -> str:
    """``estate_id`` -> ``Estate``, ``created_at`` -> ``Created at`` (then translated when known)."""
    name = re.sub(r"_id$", "", name)
    return name.replace("_", " ").strip().capitalize()


def column_label(name: str, extra: dict | None = None):
    """A lazy label for a column: a plugin's (en, zh) pair, else core's catalogue, else the prettified name."""
    if extra and name in extra:
        value = extra[name]
        if isinstance(value, tuple | list):
            return Bilingual(value[0], value[1] if len(value) > 1 else "")
        return value
    return lazy_gettext(prettify(name))
