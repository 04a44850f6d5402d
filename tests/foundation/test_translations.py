"""The Italian catalog is complete, clean and consistent with the code.

Every message the code and templates mark for translation (bin/i18n's extraction,
run here in-process with the same keywords) has an Italian translation; nothing is
fuzzy, empty or left over; placeholders survive translation; plural messages have
every form; and a message id is never used with two different meanings.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from fastapi import FastAPI

from app.core import i18n
from app.core.i18n import CatalogsMissing, catalog_path, ensure_catalogs, translate

REPO_ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {
    "_": None, "gettext": None, "ngettext": (1, 2), "N_": None, "n_": (1, 2),
    "translate": (1,),
}
METHOD_MAP = [("app/**.py", "python"), ("templates/**.html", "jinja2")]
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


def _extracted() -> dict[str | tuple[str, ...], list[str]]:
    found: dict[str | tuple[str, ...], list[str]] = {}
    for filename, _line, message, _comments, _context in extract_from_dir(
        str(REPO_ROOT), METHOD_MAP, OPTIONS, KEYWORDS
    ):
        key = message if isinstance(message, str) else tuple(message)
        if key:
            found.setdefault(key, []).append(filename)
    return found


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    with catalog_path("it", ".po").open("rb") as handle:
        return read_po(handle)


@pytest.fixture(scope="module")
def extracted() -> dict[str | tuple[str, ...], list[str]]:
    return _extracted()


def _ids(message_id: str | tuple[str, ...]) -> tuple[str, ...]:
    return (message_id,) if isinstance(message_id, str) else tuple(message_id)


def test_every_marked_message_is_translated(catalog: Catalog, extracted: dict) -> None:
    missing = []
    for message_id, files in extracted.items():
        entry = catalog.get(_ids(message_id)[0])
        strings = [] if entry is None else _ids(entry.string)
        if entry is None or not strings or not all(s.strip() for s in strings):
            missing.append(f"{_ids(message_id)[0]!r} ({files[0]})")
    assert missing == [], "untranslated (run bin/i18n update, then translate):\n" + "\n".join(
        missing[:40]
    )


def test_nothing_is_fuzzy_empty_or_unused(catalog: Catalog, extracted: dict) -> None:
    singulars = {_ids(message_id)[0] for message_id in extracted}
    problems = []
    for entry in catalog:
        if not entry.id:
            assert not entry.fuzzy, "the catalog header is marked fuzzy"
            continue
        first = _ids(entry.id)[0]
        if entry.fuzzy:
            problems.append(f"fuzzy: {first!r}")
        if not all(s.strip() for s in _ids(entry.string)):
            problems.append(f"empty: {first!r}")
        if first not in singulars:
            problems.append(f"unused (remove it): {first!r}")
    assert problems == []


def test_no_message_id_has_two_meanings(extracted: dict) -> None:
    """A singular text used once alone and once with a plural, or with two different
    plurals, would need two translations from one catalog entry."""
    by_singular: dict[str, set[tuple[str, ...]]] = {}
    for message_id in extracted:
        ids = _ids(message_id)
        by_singular.setdefault(ids[0], set()).add(ids)
    conflicts = {single: forms for single, forms in by_singular.items() if len(forms) > 1}
    assert conflicts == {}


def test_placeholders_and_plural_forms_survive(catalog: Catalog) -> None:
    assert catalog.num_plurals == 2, "Italian uses two forms: nplurals=2; plural=(n != 1)"
    problems = []
    for entry in catalog:
        if not entry.id:
            continue
        ids, strings = _ids(entry.id), _ids(entry.string)
        if entry.pluralizable and len(strings) != catalog.num_plurals:
            problems.append(f"plural forms: {ids[0]!r}")
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for translated in strings:
            if set(PLACEHOLDER.findall(translated)) - set(PLACEHOLDER.findall(" ".join(ids))):
                problems.append(f"unknown placeholder in the translation of {ids[0]!r}")
            elif not entry.pluralizable and set(PLACEHOLDER.findall(translated)) != wanted:
                problems.append(f"placeholders differ in {ids[0]!r}")
    assert problems == []


def test_plural_forms_are_used_in_both_languages() -> None:
    from app.core.i18n import get_translations

    italian = get_translations("it")
    assert italian.ngettext("%(n)s participant", "%(n)s participants", 1) % {"n": 1} == (
        "1 partecipante"
    )
    assert italian.ngettext("%(n)s participant", "%(n)s participants", 3) % {"n": 3} == (
        "3 partecipanti"
    )
    assert translate("Submitted", "it") == "Inviata"


def test_missing_catalogs_stop_the_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(CatalogsMissing, match=r"python -m app\.core\.i18n"):
        ensure_catalogs(tmp_path)
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    from app.main import create_app

    with pytest.raises(CatalogsMissing):
        create_app()
    monkeypatch.undo()
    assert isinstance(create_app_with_catalogs(), FastAPI)


def create_app_with_catalogs() -> FastAPI:
    from app.main import create_app
    from tests.conftest import make_settings

    return create_app(make_settings("sqlite://"))


def test_no_translations_live_in_code() -> None:
    """Italian sentences belong in the catalog, not in {"en": ..., "it": ...} dicts in code."""
    import ast

    found = []
    for path in sorted(Path("app").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Dict):
                continue
            pairs = {key.value: value for key, value in zip(node.keys, node.values, strict=True)
                     if isinstance(key, ast.Constant)}
            sentence = pairs.get("it")
            if (isinstance(sentence, ast.Constant) and isinstance(sentence.value, str)
                    and " " in sentence.value):
                found.append(f"{path}:{node.lineno}")
    assert found == []


def test_analysis_messages_render_from_the_catalog() -> None:
    """The gap advice (app.analysis) is translated by the same catalog, plurals included."""
    from app.analysis import advice
    from app.reports.rendering.formatting import texts

    english, italian = texts("en"), texts("it")
    for message in advice.TITLES.values():
        assert italian(message) != english(message)
    one, three = advice.map_too_small(1, 5), advice.map_too_small(3, 5)
    assert "only 1 person so far" in english(one) and "only 3 people so far" in english(three)
    assert "solo 1 persona:" in italian(one) and "solo 3 persone:" in italian(three)
    helped = advice.one_way_relationships(0.33, 0.8, ["A.", "B."])
    assert "A. and B." in english(helped) and "l'80% ha aiutato te" in italian(helped)
    assert "A. e B." in italian(helped)
