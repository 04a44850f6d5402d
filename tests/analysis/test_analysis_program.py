from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from app.analysis import (
    Program,
    ProgramError,
    default_program_path,
    list_programs,
    load_program,
    programs_dir,
)
from app.analysis.program import MAP_FIELDS, OPTION_LISTS

DESIGN_IDS = {
    "purposes": ["company", "growth", "both"],
    "roles": [
        "mentor",
        "sponsor",
        "way_shower",
        "community",
        "peer",
        "client",
        "industry",
        "friend",
    ],
    "origins": ["current_job", "former_job", "profession", "education", "personal"],
    "organizations": ["inside", "outside"],
    "qualities": ["energizes", "nurtures", "challenges", "drains"],
}


def test_default_program_lives_in_cohorts() -> None:
    assert default_program_path() == programs_dir() / "leadership-8-month.yaml"
    assert default_program_path().is_file()


def test_default_program_has_design_lists_in_both_languages(program: Program) -> None:
    assert program.id == "leadership-8-month"
    assert set(program.name) >= {"en", "it"}
    for list_name, ids in DESIGN_IDS.items():
        assert program.option_ids(list_name) == ids
        for option in program.options(list_name):
            for text in (option.label, option.help):
                assert text["en"].strip() and text["it"].strip()
                assert text["en"] != text["it"] or option.id == "sponsor"


def test_default_program_has_eight_monthly_sessions(program: Program) -> None:
    assert [s.number for s in program.sessions] == list(range(1, 9))
    assert all(s.title["it"] and s.topic["it"] for s in program.sessions)
    # Network mapping recurs across the course, not only in one session.
    mentions = [s for s in program.sessions if "map" in s.topic["en"].lower()]
    assert len(mentions) >= 2


def test_default_program_helps_every_field(program: Program) -> None:
    assert set(program.exercise.fields) == set(MAP_FIELDS)
    for help_text in program.exercise.fields.values():
        assert help_text.help["en"] and help_text.help["it"]
    assert "Finance" in program.exercise.suggestions.functions
    assert program.exercise.suggestions.industries
    limits = program.exercise.limits
    assert (limits.max_contacts, limits.max_label, limits.max_commitments) == (250, 40, 3)
    assert program.thresholds.dormant_months == 12


def test_label_uses_language_then_english_then_id(program: Program) -> None:
    assert program.label("roles", "way_shower", "en") == "Way-shower"
    assert program.label("roles", "way_shower", "it") == "Apripista"
    assert program.label("roles", "way_shower", "de") == "Way-shower"
    assert program.label("roles", "retired_role", "it") == "retired_role"
    with pytest.raises(KeyError):
        program.label("colours", "red", "en")


def test_list_programs_finds_the_default() -> None:
    programs = dict(list_programs())
    assert "leadership-8-month" in programs
    assert all(isinstance(p, Program) for p in programs.values())


def _write_variant(tmp_path: Path, change: object, name: str = "custom.yaml") -> Path:
    data = yaml.safe_load(default_program_path().read_text(encoding="utf-8"))
    change(data)  # type: ignore[operator]
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_broken_option_names_file_path_and_problem(tmp_path: Path) -> None:
    def drop_id(data: dict) -> None:
        del data["exercise"]["roles"][2]["id"]

    path = _write_variant(tmp_path, drop_id)
    with pytest.raises(ProgramError) as caught:
        load_program(path)
    message = str(caught.value)
    assert str(path) in message
    assert "exercise.roles[2].id: required" in message


def test_missing_italian_label_is_named(tmp_path: Path) -> None:
    def drop_italian(data: dict) -> None:
        del data["exercise"]["qualities"][1]["label"]["it"]

    with pytest.raises(
        ProgramError, match=r"exercise\.qualities\[1\]\.label: missing text for 'it'"
    ):
        load_program(_write_variant(tmp_path, drop_italian))


def test_several_problems_are_all_reported(tmp_path: Path) -> None:
    def break_two(data: dict) -> None:
        data["exercise"]["purposes"][0]["id"] = "Not An Id"
        data["thresholds"]["min_growth_share"] = 1.5
        data["sessions"][0]["colour"] = "blue"

    with pytest.raises(ProgramError) as caught:
        load_program(_write_variant(tmp_path, break_two))
    message = str(caught.value)
    assert "exercise.purposes[0].id" in message
    assert "thresholds.min_growth_share" in message
    assert "sessions[0].colour: unknown setting" in message


def test_threshold_must_reference_known_roles(tmp_path: Path) -> None:
    def bad_role(data: dict) -> None:
        data["thresholds"]["developmental_roles"] = ["mentor", "guru"]

    with pytest.raises(ProgramError, match="developmental_roles: 'guru' is not an id"):
        load_program(_write_variant(tmp_path, bad_role))


def test_duplicate_option_and_missing_field_help(tmp_path: Path) -> None:
    def duplicate(data: dict) -> None:
        data["exercise"]["origins"].append(dict(data["exercise"]["origins"][0]))

    with pytest.raises(ProgramError, match="origins: duplicate option id 'current_job'"):
        load_program(_write_variant(tmp_path, duplicate))

    def no_help(data: dict) -> None:
        del data["exercise"]["fields"]["closeness"]

    with pytest.raises(ProgramError, match="fields: missing help for closeness"):
        load_program(_write_variant(tmp_path, no_help))


def test_sessions_must_be_numbered_in_order(tmp_path: Path) -> None:
    def swap(data: dict) -> None:
        data["sessions"][0]["number"] = 2

    with pytest.raises(ProgramError, match="sessions: numbers must run"):
        load_program(_write_variant(tmp_path, swap))


def test_unreadable_and_invalid_yaml(tmp_path: Path) -> None:
    with pytest.raises(ProgramError, match="cannot read"):
        load_program(tmp_path / "absent.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(ProgramError, match=r"bad\.yaml: not valid YAML"):
        load_program(bad)
    scalar = tmp_path / "scalar.yaml"
    scalar.write_text("just text\n", encoding="utf-8")
    with pytest.raises(ProgramError, match="must be a YAML mapping"):
        load_program(scalar)


def test_id_defaults_to_file_stem(tmp_path: Path) -> None:
    def drop_id(data: dict) -> None:
        del data["id"]

    loaded = load_program(_write_variant(tmp_path, drop_id, name="evening-course.yaml"))
    assert loaded.id == "evening-course"
    assert [stem for stem, _ in list_programs(tmp_path)] == ["evening-course"]


def test_option_lists_constant_matches_model(program: Program) -> None:
    for list_name in OPTION_LISTS:
        assert program.options(list_name)
