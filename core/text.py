"""Text in both languages for things plugins say to people (labels, choices, error messages).

``Text("must not be negative", "不能为负数")`` is a ``str`` subclass holding the English text, so it
works anywhere a string does (logs, the API's English body, comparisons), and ``str(t)`` /
``format`` / templates give the current request's language. The web layer tells this module how to
find the request's language (:func:`set_locale_resolver`); outside a request the language is English.
Plugins import it as ``from core import Text`` and need no Flask.
"""

from __future__ import annotations

from collections.abc import Callable

_resolver: Callable[[], str] | None = None


def set_locale_resolver(fn: Callable[[], str] | None) -> None:
    """Install the function returning ``"zh_CN"`` or ``"en"`` for the current context (the web layer does)."""
    global _resolver
    _resolver = fn


def current_language() -> str:
    """``"zh_CN"`` or ``"en"``: the request's language, English outside one."""
    if _resolver is None:
        return "en"
    try:
        return _resolver() or "en"
    except RuntimeError:  # no request context
        return "en"


class Text(str):
    """A string in English and Simplified Chinese; renders in the current language.

    The ``str`` value is the English text (stable for logs, tests and the API); ``str(t)`` and
    ``t.localized()`` give the current language; ``t.en`` / ``t.zh`` give either explicitly.
    ``t.format(...)`` keeps both languages.
    """

    __slots__ = ("zh",)

    def __new__(cls, en: str, zh: str = ""):
        obj = super().__new__(cls, en)
        obj.zh = zh or en
        return obj

    @property
    def en(self) -> str:
        return str.__str__(self)

    def localized(self) -> str:
        return self.zh if current_language() == "zh_CN" else self.en

    def __str__(self) -> str:
        return self.localized()

    def __html__(self) -> str:
        from markupsafe import escape

        return str(escape(self.localized()))

    def format(self, *args, **kwargs) -> Text:  # type: ignore[override]
        return Text(self.en.format(*args, **kwargs), self.zh.format(*args, **kwargs))

    def __repr__(self) -> str:
        return f"Text({self.en!r}, {self.zh!r})"

    def __reduce__(self):
        return (Text, (self.en, self.zh))
