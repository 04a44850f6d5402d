"""What the form page shows: rows, commitments and errors, and the instrument around them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from app.analysis import EARLIEST_MONTH
from app.analysis.model import REQUIRED_WHEN_SUBMITTED
from app.analysis.worksheet import SHEET_COLUMNS, option_codes
from app.core.i18n import N_, translate
from app.participation import forms
from app.participation.forms import FormInput, Row
from app.participation.schemas import instrument_for
from app.participation.service import SUBMITTED, Link, MapState, session_month
from app.participation.sheet import Grid

OTHER_LANGUAGE = {"en": "it", "it": "en"}
# What a card needs before Submit: marked on the form, counted in each card's summary.
REQUIRED_FIELDS: tuple[str, ...] = ("label", *REQUIRED_WHEN_SUBMITTED)


@dataclass
class FormView:
    """The form's state: from storage on a first view, from the post when it comes back."""

    rows: list[Row]
    commitments: list[dict[str, str]]
    review: list[bool | None]
    version: int
    ties_json: str
    errors: dict[str, list[str]] = field(default_factory=dict)
    general_errors: list[str] = field(default_factory=list)
    import_errors: list[str] = field(default_factory=list)

    @classmethod
    def from_state(cls, state: MapState) -> FormView:
        return cls(
            rows=forms.pad_rows(forms.rows_from_map(state.map, state.last_contacts_before)),
            commitments=forms.commitment_rows(state.map.get("commitments", [])),
            review=[item["kept"] for item in state.previous_commitments],
            version=state.version,
            ties_json=forms.ties_field(state.map),
        )

    @classmethod
    def from_form(cls, form: FormInput, state: MapState) -> FormView:
        knows: dict[str, set[str]] = {}
        for first, second in form.ties:
            knows.setdefault(first, set()).add(second)
            knows.setdefault(second, set()).add(first)
        for row in form.rows:
            row.knows = knows.get(row.id, set())
        return cls(
            rows=forms.pad_rows(form.rows),
            commitments=form.commitments,
            review=form.review,
            version=state.version if form.version is None else form.version,
            ties_json=json.dumps(form.ties),
        )


def form_context(link: Link, state: MapState, view: FormView, lang: str) -> dict[str, Any]:
    instrument = instrument_for(link.program, lang)
    named = [row for row in view.rows if not row.is_blank and row.values.get("label")]
    previous_labels = {}
    if state.previous is not None:
        previous_labels = {
            contact["id"]: contact["label"] for contact in state.previous.map.get("contacts", [])
        }
    review_items = [
        {
            "text": item["text"],
            "contact": previous_labels.get(item.get("contact") or "", ""),
            "kept": view.review[index] if index < len(view.review) else None,
        }
        for index, item in enumerate(state.previous_commitments)
    ]
    summary = error_summary(view, {name: f.label for name, f in instrument.fields.items()}, lang)
    return {
        "instrument": instrument,
        "fields": instrument.fields,
        "rows": view.rows,
        "named_contacts": [(row.id, row.values["label"]) for row in named],
        "commitments": view.commitments,
        "review_items": review_items,
        "version": view.version,
        "ties_json": view.ties_json,
        "errors": view.errors,
        "error_summary": summary,
        "general_errors": view.general_errors,
        "import_errors": view.import_errors,
        "status": state.status,
        "submitted": state.status == SUBMITTED,
        "carried_forward": state.carried_forward,
        "other_lang": OTHER_LANGUAGE.get(lang, "en"),
        "max_label": instrument.limits.max_label,
        "max_contacts": instrument.limits.max_contacts,
        "closeness_values": [1, 2, 3, 4, 5],
        "required_fields": REQUIRED_FIELDS,
        "open_rows": open_rows(view),
        "earliest_month": EARLIEST_MONTH,
        "latest_month": session_month(link.cohort_session),
    }


def sheet_context(link: Link, state: MapState, grid: Grid, lang: str) -> dict[str, Any]:
    """The entry grid: the sheet's columns in order, the code keys, the rows typed so far."""
    instrument = instrument_for(link.program, lang)
    labels = {name: item.label for name, item in instrument.fields.items()}
    labels["knows"] = labels["ties"]
    labels["with"] = translate("With (row number)", lang)
    labels["text"] = labels["commitments"]
    columns = [
        {"name": column.name, "kind": column.kind, "label": labels[column.name],
         "required": column.name in REQUIRED_FIELDS}
        for column in SHEET_COLUMNS
    ]
    keys = []
    for column in SHEET_COLUMNS:
        if column.options:
            by_id = {option.id: option.label for option in getattr(instrument, column.options)}
            keys.append({"name": column.name, "label": labels[column.name],
                         "several": column.kind == "choices",
                         "codes": [(code, by_id[option_id]) for code, option_id
                                   in option_codes(link.program, column.options)]})
    return {
        "grid": grid,
        "columns": columns,
        "keys": keys,
        "error_lines": grid.error_lines(labels, lang),
        "status": state.status,
        "submitted": state.status == SUBMITTED,
        "latest_month": session_month(link.cohort_session),
        "max_label": instrument.limits.max_label,
    }


def open_rows(view: FormView) -> set[int]:
    """The cards shown open: those with a problem, else the first one of an empty map.

    Every other card is a one-line summary (nickname and what it still needs), so a
    map of a dozen people is a short list on a phone; a card opens with a tap, also
    without JavaScript.
    """
    rows = {row.index for row in view.rows}
    flagged: set[int] = set()
    for key in view.errors:
        kind = key.partition("-")[0]
        if kind.startswith("c") and kind[1:].isdigit() and int(kind[1:]) in rows:
            flagged.add(int(kind[1:]))
    if flagged:
        return flagged
    if view.rows and all(row.is_blank for row in view.rows):
        return {view.rows[0].index}
    return set()


def error_summary(
    view: FormView, field_labels: dict[str, str], lang: str
) -> list[tuple[str, str]]:
    """(field id, line) for the summary at the top: which person, which field, what is wrong.

    "Person 2 (C.D.): Where you met: needed before you submit" says where to go, where a
    bare "needed before you submit" five times would not.
    """
    rows = {row.index: row for row in view.rows}
    lines: list[tuple[str, str]] = []
    for key, problems in view.errors.items():
        kind, _, name = key.partition("-")
        position = int(kind[1:]) if kind[1:].isdigit() else -1
        problem = "; ".join(problems)
        if kind.startswith("c") and position in rows:
            nickname = str(rows[position].values.get("label") or "").strip()
            values = {"n": position + 1, "name": nickname,
                      "field": field_labels.get(name, name), "problem": problem}
            template = (
                N_("Person %(n)s (%(name)s): %(field)s: %(problem)s") if nickname
                else N_("Person %(n)s: %(field)s: %(problem)s")
            )
            lines.append((key, translate(template, lang) % values))
        elif kind.startswith("m") and position >= 0:
            line = translate("Commitment %(n)s: %(problem)s", lang)
            lines.append((key, line % {"n": position + 1, "problem": problem}))
        else:
            lines.append((key, problem))
    return lines
