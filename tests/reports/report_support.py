"""Helpers for the report tests: plain inputs (no database) and reading PDFs back."""

from __future__ import annotations

import io
import random
import re
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from pypdf import PdfReader

from app.analysis import default_program_path, load_program
from app.demo import generate_map

AS_OF = date(2026, 3, 20)
PREVIOUS_AS_OF = AS_OF - timedelta(days=28)

INDIVIDUAL_SECTIONS_EN = [
    "Your network at a glance", "Where to focus", "Your map", "What your network is made of",
    "People to reconnect with", "Since last month", "Your commitments",
]
INDIVIDUAL_SECTIONS_IT = [
    "La tua rete in breve", "Su cosa concentrarti", "La tua mappa", "Di cosa è fatta la tua rete",
    "Persone da ricontattare", "Dal mese scorso", "I tuoi impegni",
]
GROUP_SECTIONS_EN = [
    "Participation", "Common gaps", "Company or growth", "How the maps compare",
    "Change since last session", "For the discussion",
]


@lru_cache(maxsize=1)
def program_json() -> dict[str, Any]:
    return load_program(default_program_path()).model_dump(mode="json")


def sample_map(seed: int, contacts: int = 14, **kwargs: Any) -> dict[str, Any]:
    return generate_map(random.Random(seed), contacts, as_of=AS_OF, **kwargs)


def individual_inputs(network_map: dict[str, Any] | None = None, *, language: str = "en",
                      page_size: str = "A4", name: str = "Giulia Bianchi",
                      cohort: str = "Spring cohort", previous: bool = True,
                      **extra: Any) -> dict[str, Any]:
    inputs: dict[str, Any] = {
        "kind": "individual", "program": program_json(), "language": language,
        "page_size": page_size, "cohort": {"name": cohort},
        "session": {"number": 3, "title": "Tending the ties you already have"},
        "participant": {"id": 1, "name": name}, "as_of": AS_OF.isoformat(),
        "map": network_map if network_map is not None else sample_map(1),
        "status": "submitted", "commitment_review": None, "previous": None,
    }
    if previous:
        inputs["previous"] = {"map": sample_map(2, 12), "as_of": PREVIOUS_AS_OF.isoformat()}
    inputs.update(extra)
    return inputs


def group_inputs(maps: dict[str, dict[str, Any]], *, language: str = "en",
                 previous: dict[str, dict[str, Any]] | None = None,
                 cohort: str = "Spring cohort") -> dict[str, Any]:
    return {
        "kind": "group", "program": program_json(), "language": language, "page_size": "A4",
        "cohort": {"name": cohort}, "session": {"number": 3, "title": "Month 3"},
        "as_of": AS_OF.isoformat(),
        "participation": {"invited": len(maps) + 2, "opened": len(maps) + 1, "drafted": 1},
        "maps": maps,
        "previous": {"maps": previous, "as_of": PREVIOUS_AS_OF.isoformat()} if previous else None,
    }


def pdf_pages(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def pdf_text(pdf: bytes) -> str:
    return "\n".join(pdf_pages(pdf))


def squash(text: str) -> str:
    """Text without whitespace: SVG labels are drawn letter by letter and may gain spaces."""
    return re.sub(r"\s+", "", text)


def assert_in_order(text: str, needles: list[str]) -> None:
    position = -1
    for needle in needles:
        found = text.find(needle, position + 1)
        assert found > position, f"{needle!r} missing or out of order"
        position = found
