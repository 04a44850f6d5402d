"""Request and response shapes of the participant API (they document the OpenAPI schema)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from app.analysis import NetworkMap, Program

Status = Literal["not_started", "draft", "submitted"]


# --- the map, in the interchange format of DESIGN.md -------------------------------------
# The shape and its limits are the analysis core's (app/analysis/model.py), not a copy.

MAP_EXAMPLE: dict[str, Any] = {
    "contacts": [
        {"id": "a", "label": "M.R.", "purpose": "growth", "roles": ["mentor"],
         "origin": "former_job", "organization": "outside", "function": "Finance",
         "industry": "Health", "qualities": ["energizes"], "closeness": 4,
         "last_contact": "2025-09", "i_helped": True, "they_helped": False, "introduced": False},
        {"id": "b", "label": "Gio", "purpose": "company", "roles": ["peer"],
         "origin": "current_job", "organization": "inside", "closeness": 3,
         "last_contact": "2025-10"},
    ],
    "ties": [["a", "b"]],
    "commitments": [{"text": "Lunch with M.R.", "contact": "a"}],
}


class NetworkMapJSON(NetworkMap):
    """The analysis core's map model, with an example for the API's documentation."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [MAP_EXAMPLE]})


class MapSaveIn(NetworkMapJSON):
    """The map, plus (from the second session on) ticks on last session's commitments."""

    commitment_review: list[bool | None] | None = Field(
        default=None,
        description="One answer per earlier commitment, in order: true kept, false not kept, "
        "null not answered. Leave out to keep the stored answers.",
        examples=[[True, False]],
    )


def inline_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON schema with every $ref resolved in place (for openapi_extra)."""
    schema = model.model_json_schema()
    definitions = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return resolve(definitions[ref.removeprefix("#/$defs/")])
            prefix = node.get("prefixItems")
            if isinstance(prefix, list) and prefix and all(item == prefix[0] for item in prefix):
                # A pair of strings: `items` reads the same to every OpenAPI tool.
                node = {k: v for k, v in node.items() if k != "prefixItems"} | {"items": prefix[0]}
            return {key: resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    resolved: dict[str, Any] = resolve(schema)
    return resolved


# A stored map as it is: a draft may be incomplete (a card without a nickname yet), so
# responses carry the stored JSON unchanged; its documented shape is the map's.
StoredMap = Annotated[dict[str, Any], WithJsonSchema(inline_schema(NetworkMapJSON))]


# --- the instrument ----------------------------------------------------------------------


class OptionOut(BaseModel):
    id: str
    label: str
    help: str


class FieldOut(BaseModel):
    label: str
    help: str


class SuggestionsOut(BaseModel):
    functions: list[str]
    industries: list[str]


class LimitsOut(BaseModel):
    max_contacts: int
    max_label: int
    max_commitments: int


class InstrumentOut(BaseModel):
    """The exercise as the program defines it, in the chosen language."""

    fields: dict[str, FieldOut]
    purposes: list[OptionOut]
    roles: list[OptionOut]
    origins: list[OptionOut]
    organizations: list[OptionOut]
    qualities: list[OptionOut]
    suggestions: SuggestionsOut
    limits: LimitsOut


# (id of the program, language) -> (the program, its instrument). The program is kept, so
# its id cannot be reused by another while the entry lives. The participant API's
# programs come from a cache of their own (program_from_snapshot): one build per
# program and language instead of one per page view.
_INSTRUMENTS: dict[tuple[int, str], tuple[Program, InstrumentOut]] = {}
_MAX_INSTRUMENTS = 128


def instrument_for(program: Program, lang: str) -> InstrumentOut:
    """The instrument in `lang`, shared between requests: do not change it."""
    key = (id(program), lang)
    cached = _INSTRUMENTS.get(key)
    if cached is not None and cached[0] is program:
        return cached[1]
    instrument = _build_instrument(program, lang)
    if len(_INSTRUMENTS) >= _MAX_INSTRUMENTS:
        _INSTRUMENTS.clear()
    _INSTRUMENTS[key] = (program, instrument)
    return instrument


def _build_instrument(program: Program, lang: str) -> InstrumentOut:
    def pick(text: dict[str, str]) -> str:
        return text.get(lang) or text["en"]

    def options(list_name: str) -> list[OptionOut]:
        return [
            OptionOut(id=option.id, label=pick(option.label), help=pick(option.help))
            for option in program.options(list_name)
        ]

    exercise = program.exercise
    return InstrumentOut(
        fields={
            name: FieldOut(label=pick(item.label), help=pick(item.help))
            for name, item in exercise.fields.items()
        },
        purposes=options("purposes"),
        roles=options("roles"),
        origins=options("origins"),
        organizations=options("organizations"),
        qualities=options("qualities"),
        suggestions=SuggestionsOut(
            functions=list(exercise.suggestions.functions),
            industries=list(exercise.suggestions.industries),
        ),
        limits=LimitsOut(**exercise.limits.model_dump()),
    )


# --- responses ---------------------------------------------------------------------------


class ParticipantOut(BaseModel):
    name: str
    organization: str | None


class SessionOut(BaseModel):
    number: int
    title: str
    deadline: datetime
    time_zone: str = Field(description="The cohort's IANA time zone.")
    deadline_local: str = Field(
        description="The deadline in the cohort's time zone, e.g. \"31 Jan 2027, 23:59 CET\"."
    )
    open: bool = Field(description="False once the deadline has passed: the map is read-only.")


class CommitmentReviewItem(BaseModel):
    text: str
    contact: str | None
    kept: bool | None


class LinksOut(BaseModel):
    form: str
    report_pdf: str
    export: str


class ParticipantView(BaseModel):
    """The instrument, the current map with its version, and the session around it."""

    language: Literal["en", "it"]
    participant: ParticipantOut
    session: SessionOut
    status: Status
    version: int = Field(description="0 until the first save; send it back in If-Match.")
    submitted_at: datetime | None
    carried_forward: bool = Field(
        description="True when the map is last session's submitted map, not saved here yet."
    )
    map: StoredMap
    previous_commitments: list[CommitmentReviewItem]
    instrument: InstrumentOut
    links: LinksOut


class SaveResult(BaseModel):
    status: Status
    version: int
    submitted_at: datetime | None
    map: StoredMap


class ErrorOut(BaseModel):
    detail: str = Field(examples=["map: 1 problem"])
    errors: list[str] = Field(
        default_factory=list, examples=[["contacts[3].closeness: must be between 1 and 5"]]
    )
    current_version: int | None = None


class ParticipantDetails(BaseModel):
    name: str
    email: str
    organization: str | None
    function: str | None
    industry: str | None
    language: str | None
    created_at: datetime


class CohortRef(BaseModel):
    id: int
    name: str


class LinkExport(BaseModel):
    session_number: int
    created_at: datetime
    opened_at: datetime | None


class SubmissionExport(BaseModel):
    session_number: int
    session_title: str
    status: Status
    version: int
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    map: dict[str, Any]
    commitment_review: list[dict[str, Any]] | None


class ExportOut(BaseModel):
    """Everything Wellspring stores about the participant in this cohort."""

    exported_at: datetime
    participant: ParticipantDetails
    cohort: CohortRef
    links: list[LinkExport]
    submissions: list[SubmissionExport]
