"""Translations: Babel catalogs per domain, merged, chosen per request.

Each area of the product keeps its own catalog (`app/locale/it/LC_MESSAGES/<domain>.po`)
so that they can be edited independently; at run time they are merged into one.
The message ids are the English texts, so English needs no catalog.
Run `python -m app.core.i18n` to compile the .po files into .mo files (install and build do it).
"""

from __future__ import annotations

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
LANGUAGES: tuple[str, ...] = ("en", "it")
LANGUAGE_NAMES = {"en": "English", "it": "Italiano"}

_current_language: ContextVar[str] = ContextVar("wellspring_language", default="en")


def normalize_language(value: str | None, default: str = "en") -> str:
    if not value:
        return default
    value = value.strip().lower()[:2]
    return value if value in LANGUAGES else default


@lru_cache
def get_translations(language: str) -> NullTranslations:
    if language == "en":
        return NullTranslations()
    merged: NullTranslations | None = None
    for mo_file in sorted((LOCALE_DIR / language / "LC_MESSAGES").glob("*.mo")):
        loaded = Translations.load(str(LOCALE_DIR), [language], domain=mo_file.stem)
        if merged is None:
            merged = loaded
        elif isinstance(merged, Translations) and isinstance(loaded, Translations):
            merged.merge(loaded)
    return merged or NullTranslations()


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
    """Compile every .po under locale_dir to .mo; returns the files written."""
    written = []
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        mo_path = po_path.with_suffix(".mo")
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalog)
        written.append(mo_path)
    get_translations.cache_clear()
    return written


if __name__ == "__main__":
    for path in compile_catalogs():
        print(f"compiled {path.relative_to(LOCALE_DIR.parent)}", file=sys.stderr)
