"""Translations: one Babel catalog for every user-facing string, chosen per request.

The catalog is `app/locale/it/LC_MESSAGES/messages.po`; its message ids are the
English texts, so English needs no catalog. `bin/i18n update` extracts new
messages from the code and templates; `python -m app.core.i18n` (run by bin/setup
and the package build) compiles it. The app refuses to start without a compiled
catalog rather than quietly speaking English (`ensure_catalogs`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from app.core import resources

LOCALE_DIR = resources.locale_dir()
DOMAIN = "messages"
LANGUAGES: tuple[str, ...] = ("en", "it")
LANGUAGE_NAMES = {"en": "English", "it": "Italiano"}

_current_language: ContextVar[str] = ContextVar("wellspring_language", default="en")


def N_(message: str) -> str:
    """Mark a message for extraction (bin/i18n); it is translated where it is shown."""
    return message


def normalize_language(value: str | None, default: str = "en") -> str:
    if not value:
        return default
    value = value.strip().lower()[:2]
    return value if value in LANGUAGES else default


class CatalogsMissing(RuntimeError):
    """A translated language has no compiled catalog: pages would silently be English."""


def catalog_path(language: str, suffix: str = ".mo", locale_dir: Path | None = None) -> Path:
    return (locale_dir or LOCALE_DIR) / language / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


def ensure_catalogs(locale_dir: Path | None = None) -> None:
    """Raise CatalogsMissing unless every translated language has a compiled catalog."""
    missing = [
        str(catalog_path(lang, locale_dir=locale_dir))
        for lang in LANGUAGES if lang != "en"
        if not catalog_path(lang, locale_dir=locale_dir).is_file()
    ]
    if missing:
        raise CatalogsMissing(
            f"translations are not compiled ({', '.join(missing)} missing): "
            "run `python -m app.core.i18n` (bin/setup does it)"
        )


@lru_cache
def get_translations(language: str) -> NullTranslations:
    if language == "en":
        return NullTranslations()
    mo_file = catalog_path(language)
    if not mo_file.is_file():
        raise CatalogsMissing(f"{mo_file} is missing: run `python -m app.core.i18n`")
    with mo_file.open("rb") as handle:
        return Translations(handle, domain=DOMAIN)


def current_language() -> str:
    return _current_language.get()


@contextmanager
def language(lang: str) -> Iterator[None]:
    token = _current_language.set(normalize_language(lang))
    try:
        yield
    finally:
        _current_language.reset(token)


def gettext(message: str) -> str:
    return get_translations(current_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return get_translations(current_language()).ngettext(singular, plural, n)


def translate(message: str, lang: str) -> str:
    return get_translations(normalize_language(lang)).gettext(message)


def compile_catalogs(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Compile every catalog under locale_dir to .mo; returns the files written."""
    written = []
    for po_path in sorted(locale_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        mo_path = po_path.with_suffix(".mo")
        partial = mo_path.with_suffix(f".mo.{os.getpid()}")
        with partial.open("wb") as mo_file:
            write_mo(mo_file, catalog)
        os.replace(partial, mo_path)  # readers never see half a file
        written.append(mo_path)
    get_translations.cache_clear()
    return written


if __name__ == "__main__":
    for path in compile_catalogs():
        print(f"compiled {path.relative_to(LOCALE_DIR.parent)}", file=sys.stderr)
