"""Program definitions: the course, its sessions, the exercise lists and thresholds.

A program lives in ``cohorts/<id>.yaml`` (``app/programs/`` in an installed wheel).
Facilitators adapt the exercise by
editing that file, so loading it reports every problem with the file name, the
path inside the file (``exercise.roles[2].id``) and what is wrong.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import available_timezones

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

LANGUAGES: tuple[str, ...] = ("en", "it")

# The contact fields of DESIGN.md plus the two map-level parts; the program
# must give a label and help text for each of them.
CONTACT_FIELDS: tuple[str, ...] = (
    "id",
    "label",
    "purpose",
    "roles",
    "origin",
    "organization",
    "function",
    "industry",
    "qualities",
    "closeness",
    "last_contact",
    "i_helped",
    "they_helped",
    "introduced",
)
MAP_FIELDS: tuple[str, ...] = (*CONTACT_FIELDS, "ties", "commitments")
OPTION_LISTS: tuple[str, ...] = ("purposes", "roles", "origins", "organizations", "qualities")

# The gaps of DESIGN.md, in the order that breaks ties in the ranking. The
# analysis adds "map_too_small" in front of them when a map is too short to judge.
DEFAULT_GAP_IDS: tuple[str, ...] = (
    "resilience_deficit",
    "missing_developmental_roles",
    "dormant_ties",
    "insular_network",
    "narrow_network",
    "closed_network",
    "one_way_relationships",
    "not_a_connector",
    "no_personal_life",
    "draining_ties",
)


# libyaml's loader when it is installed: same safe subset, several times faster.
_SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ProgramError(ValueError):
    """A program file that cannot be used; the message names file, path and problem."""


def _require_languages(text: dict[str, str]) -> dict[str, str]:
    missing = [lang for lang in LANGUAGES if not text.get(lang, "").strip()]
    if missing:
        raise ValueError("missing text for " + ", ".join(repr(lang) for lang in missing))
    return text


Localized = Annotated[dict[str, str], AfterValidator(_require_languages)]
OptionId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Strict):
    """One choice of an exercise list, e.g. the role ``mentor``."""

    id: OptionId
    label: Localized
    help: Localized


class FieldHelp(_Strict):
    label: Localized
    help: Localized


class Suggestions(_Strict):
    """Common values offered for the free-text fields; participants may type others."""

    functions: list[str] = Field(default_factory=list)
    industries: list[str] = Field(default_factory=list)


class Limits(_Strict):
    max_contacts: int = Field(default=250, ge=1, le=250)
    max_label: int = Field(default=40, ge=1, le=40)
    max_commitments: int = Field(default=3, ge=0, le=3)


class Exercise(_Strict):
    purposes: list[Option]
    roles: list[Option]
    origins: list[Option]
    organizations: list[Option]
    qualities: list[Option]
    fields: dict[str, FieldHelp]
    suggestions: Suggestions = Field(default_factory=Suggestions)
    limits: Limits = Field(default_factory=Limits)

    @model_validator(mode="after")
    def _check_lists(self) -> Exercise:
        for list_name in OPTION_LISTS:
            seen: set[str] = set()
            for option in getattr(self, list_name):
                if option.id in seen:
                    raise ValueError(f"{list_name}: duplicate option id {option.id!r}")
                seen.add(option.id)
        missing = [name for name in MAP_FIELDS if name not in self.fields]
        if missing:
            raise ValueError("fields: missing help for " + ", ".join(missing))
        unknown = [name for name in self.fields if name not in MAP_FIELDS]
        if unknown:
            raise ValueError("fields: unknown field " + ", ".join(unknown))
        return self

    def option_ids(self, list_name: str) -> list[str]:
        options: list[Option] = getattr(self, list_name)
        return [option.id for option in options]


Share = Annotated[float, Field(ge=0.0, le=1.0)]


class Thresholds(_Strict):
    """Where a measure becomes a gap. One block of knobs per default gap.

    "min_" thresholds flag a value strictly below them, "max_" thresholds a
    value strictly above them.
    """

    dormant_months: int = Field(default=12, ge=1, le=120)
    # resilience_deficit
    min_growth_share: Share = 0.4
    # missing_developmental_roles
    developmental_roles: list[str] = Field(
        default_factory=lambda: ["mentor", "way_shower", "community"]
    )
    # dormant_ties
    max_dormant_share: Share = 0.25
    # insular_network: E-I index below this means mostly inside
    min_ei_index: float = Field(default=-0.4, ge=-1.0, le=1.0)
    # narrow_network: low diversity (mean IQV over function, industry and origin,
    # or too few different functions or industries) or high sameness (share of
    # contacts in the participant's own function or industry)
    min_mean_iqv: Share = 0.5
    min_distinct: int = Field(default=3, ge=1, le=50)
    max_same_share: Share = 0.6
    # closed_network: only judged from this many contacts on
    max_constraint: float = Field(default=0.4, gt=0.0, le=2.0)
    max_density: Share = 0.5
    min_size_for_structure: int = Field(default=5, ge=2)
    # one_way_relationships
    min_helped_share: Share = 0.3
    # not_a_connector
    min_introduced_share: Share = 0.1
    # no_personal_life
    min_personal_contacts: int = Field(default=1, ge=1)
    personal_origins: list[str] = Field(default_factory=lambda: ["personal"])
    personal_roles: list[str] = Field(default_factory=lambda: ["friend"])
    # draining_ties
    max_drains_share: Share = 0.15
    # under this many contacts the map is "too small" to judge: the analysis asks
    # for a fuller map and shows only the gaps about what is missing
    min_map_size: int = Field(default=5, ge=1, le=50)


class AgendaItem(_Strict):
    """One block of a session's agenda in the facilitation kit, e.g. 20 minutes of pairs."""

    minutes: int = Field(ge=1, le=480)
    item: Localized


class ProgramSession(_Strict):
    number: int = Field(ge=1)
    title: Localized
    topic: Localized
    # Discussion prompts for this session's topic, asked before the gap prompts.
    prompts: list[Localized] = Field(default_factory=list, max_length=5)
    # The facilitation kit's agenda; empty means the kit prints a default one.
    agenda: list[AgendaItem] = Field(default_factory=list, max_length=20)


# The gaps a prompt may answer: the default gaps plus the analysis's "map too small".
PROMPT_GAP_IDS: tuple[str, ...] = ("map_too_small", *DEFAULT_GAP_IDS)


class Prompts(_Strict):
    """The program's own discussion prompts. Anything left out falls back to the built-in text.

    ``gaps`` holds one prompt per gap id; ``review`` asks about last month's
    commitments (never in session 1); ``closing`` ends every session;
    ``too_few`` replaces the gap prompts when too few maps are in to compare.
    """

    gaps: dict[str, Localized] = Field(default_factory=dict)
    review: Localized | None = None
    closing: Localized | None = None
    too_few: Localized | None = None

    @field_validator("gaps")
    @classmethod
    def _known_gaps(cls, value: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        unknown = [gap_id for gap_id in value if gap_id not in PROMPT_GAP_IDS]
        if unknown:
            raise ValueError(
                "unknown gap " + ", ".join(repr(gap_id) for gap_id in unknown)
                + "; known gaps: " + ", ".join(PROMPT_GAP_IDS)
            )
        return value


class Program(_Strict):
    """A course program: names, monthly sessions, the exercise and the gap thresholds."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=80)]
    name: Localized
    default_language: Literal["en", "it"] = "en"
    # The IANA time zone of new cohorts, e.g. Europe/Rome (else the facilitator's).
    default_time_zone: Annotated[str, Field(max_length=64)] | None = None
    sessions: list[ProgramSession]
    exercise: Exercise
    thresholds: Thresholds = Field(default_factory=Thresholds)
    # How much each gap weighs in the ranking: gaps are ordered by weight times
    # score (score in [0, 1], see app.analysis.gaps). Unlisted gaps weigh 1.
    gap_weights: dict[str, Annotated[float, Field(gt=0.0, le=10.0)]] = Field(default_factory=dict)
    prompts: Prompts = Field(default_factory=Prompts)

    @field_validator("default_time_zone")
    @classmethod
    def _known_time_zone(cls, value: str | None) -> str | None:
        if value is not None and value not in available_timezones():
            raise ValueError(f"{value!r} is not a known IANA time zone, e.g. Europe/Rome")
        return value

    @model_validator(mode="after")
    def _check_cross_references(self) -> Program:
        unknown_gaps = [gap_id for gap_id in self.gap_weights if gap_id not in DEFAULT_GAP_IDS]
        if unknown_gaps:
            raise ValueError(
                "gap_weights: unknown gap "
                + ", ".join(repr(gap_id) for gap_id in unknown_gaps)
                + "; known gaps: "
                + ", ".join(DEFAULT_GAP_IDS)
            )
        numbers = [session.number for session in self.sessions]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError(f"sessions: numbers must run 1, 2, 3, ... in order, got {numbers}")
        references = {
            "developmental_roles": "roles",
            "personal_roles": "roles",
            "personal_origins": "origins",
        }
        for threshold_name, list_name in references.items():
            known = set(self.exercise.option_ids(list_name))
            for option_id in getattr(self.thresholds, threshold_name):
                if option_id not in known:
                    raise ValueError(
                        f"thresholds.{threshold_name}: {option_id!r} is not an id "
                        f"of exercise.{list_name}"
                    )
        return self

    def options(self, list_name: str) -> list[Option]:
        if list_name not in OPTION_LISTS:
            raise KeyError(f"unknown option list {list_name!r}")
        options: list[Option] = getattr(self.exercise, list_name)
        return options

    def option_ids(self, list_name: str) -> list[str]:
        return [option.id for option in self.options(list_name)]

    def label(self, list_name: str, option_id: str, lang: str) -> str:
        """Label of ``option_id`` in ``list_name`` ("roles", "purposes", ...).

        Falls back to English, then to the id itself for ids the program does
        not define (e.g. a map made under an older program).
        """
        for option in self.options(list_name):
            if option.id == option_id:
                return option.label.get(lang) or option.label["en"]
        return option_id

    def gap_weight(self, gap_id: str) -> float:
        """The ranking weight of ``gap_id`` (1 unless the program sets it)."""
        return self.gap_weights.get(gap_id, 1.0)

    def session(self, number: int) -> ProgramSession | None:
        for session in self.sessions:
            if session.number == number:
                return session
        return None


def programs_dir() -> Path:
    """The bundled program files: ``app/programs`` in an installed wheel, else the
    checkout's ``cohorts/`` (the same rule as app/core/resources.py, which the pure
    analysis core may not import)."""
    package = Path(__file__).resolve().parents[1]
    packaged = package / "programs"
    return packaged if packaged.is_dir() else package.parent / "cohorts"


def default_program_path() -> Path:
    return programs_dir() / "leadership-8-month.yaml"


def load_program(path: str | Path) -> Program:
    """Read and validate a program YAML file; raise ProgramError naming the problem.

    A file without an ``id`` takes its file name (without extension) as id.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProgramError(f"{path}: cannot read the file ({exc})") from exc
    try:
        data = yaml.load(text, Loader=_SAFE_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        raise ProgramError(f"{path}: not valid YAML ({exc})".replace("\n", " ")) from exc
    if not isinstance(data, dict):
        raise ProgramError(f"{path}: the file must be a YAML mapping of program settings")
    data.setdefault("id", path.stem)
    try:
        return Program.model_validate(data)
    except ValidationError as exc:
        raise ProgramError(
            "; ".join(f"{path}: {message}" for message in validation_messages(exc))
        ) from exc


def list_programs(directory: Path | None = None) -> list[tuple[str, Program]]:
    """Every ``*.yaml`` program in ``directory`` (default: programs_dir()), by file stem."""
    directory = programs_dir() if directory is None else directory
    return [(path.stem, load_program(path)) for path in sorted(directory.glob("*.yaml"))]


def format_location(location: tuple[int | str, ...]) -> str:
    """Render a pydantic error location as ``exercise.roles[2].id``."""
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def validation_messages(exc: ValidationError) -> list[str]:
    """Turn pydantic errors into ``path: problem`` lines in plain words."""
    messages = []
    for error in exc.errors():
        location = tuple(
            part for part in error["loc"] if not (isinstance(part, str) and "[" in part)
        )
        path = format_location(location)
        messages.append(f"{path}: {_plain_message(error)}" if path else _plain_message(error))
    return messages


def _plain_message(error: Any) -> str:
    kind = error["type"]
    if kind == "missing":
        return "required"
    if kind == "extra_forbidden":
        return "unknown setting"
    message = str(error["msg"])
    return message.removeprefix("Value error, ")
