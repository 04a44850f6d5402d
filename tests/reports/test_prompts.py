"""Discussion prompts come from the program file and follow this session and this cohort."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
import yaml

from app.analysis import (
    GapPrevalence,
    GroupAnalysis,
    Program,
    ProgramError,
    default_program_path,
    load_program,
)
from app.analysis.text import Message
from app.reports.rendering.formatting import Formatter
from app.reports.rendering.group import analyze_group, group_context
from app.reports.rendering.prompts import (
    CLOSING_PROMPT,
    GAP_PROMPTS,
    REVIEW_PROMPT,
    discussion_prompts,
)
from tests.reports.report_support import group_inputs, program_json, sample_map

PROGRAM = load_program(default_program_path())
REVIEW_EN = PROGRAM.prompts.review["en"] if PROGRAM.prompts.review else ""
REVIEW_IT = PROGRAM.prompts.review["it"] if PROGRAM.prompts.review else ""


def _analysis(gaps: dict[str, int | None], *, suppressed: bool = False) -> GroupAnalysis:
    """A real analysis of five maps, with the gap prevalence replaced by ``gaps``."""
    maps = {str(i): sample_map(i, 10) for i in range(5)}
    base = analyze_group(group_inputs(maps), PROGRAM)
    prevalence = [GapPrevalence(id=gap_id, title=Message(gap_id), count=count,
                                share=None if count is None else count / 5)
                  for gap_id, count in gaps.items()]
    return dataclasses.replace(base, gap_prevalence=prevalence, suppressed=suppressed)


def _texts(prompts: list[dict[str, str]]) -> list[str]:
    return [prompt["text"] for prompt in prompts]


def test_session_one_never_asks_about_last_month_session_three_does() -> None:
    analysis = _analysis({"dormant_ties": 4})
    first = _texts(discussion_prompts(analysis, PROGRAM, 1, Formatter("en")))
    third = _texts(discussion_prompts(analysis, PROGRAM, 3, Formatter("en")))
    assert REVIEW_EN and REVIEW_EN not in first
    assert REVIEW_EN in third
    assert not any("last month" in text.lower() for text in first)
    # Each session asks its own topic's question first.
    assert first[0] == PROGRAM.sessions[0].prompts[0]["en"]
    assert third[0] == PROGRAM.sessions[2].prompts[0]["en"]
    assert first[0] != third[0]
    # The closing round ends every session.
    assert first[-1] == third[-1] == PROGRAM.prompts.closing["en"]  # type: ignore[index]


def test_gap_prompts_follow_the_cohorts_common_gaps() -> None:
    dormant = _texts(discussion_prompts(_analysis({"dormant_ties": 4, "closed_network": 0}),
                                        PROGRAM, 3, Formatter("en")))
    closed = _texts(discussion_prompts(_analysis({"closed_network": 3, "dormant_ties": 0}),
                                       PROGRAM, 3, Formatter("en")))
    assert PROGRAM.prompts.gaps["dormant_ties"]["en"] in dormant
    assert PROGRAM.prompts.gaps["closed_network"]["en"] not in dormant  # nobody has it
    assert PROGRAM.prompts.gaps["closed_network"]["en"] in closed
    assert PROGRAM.prompts.gaps["dormant_ties"]["en"] not in closed


def test_a_suppressed_gap_never_shows_through_a_prompt() -> None:
    analysis = _analysis({"draining_ties": None, "dormant_ties": 5})
    prompts = discussion_prompts(analysis, PROGRAM, 3, Formatter("en"))
    texts = _texts(prompts)
    assert PROGRAM.prompts.gaps["draining_ties"]["en"] not in texts
    assert "draining_ties" not in [prompt["title"] for prompt in prompts]
    assert PROGRAM.prompts.gaps["dormant_ties"]["en"] in texts


def test_at_most_three_gap_prompts_and_too_few_maps_asks_none() -> None:
    many = _analysis(dict.fromkeys(["dormant_ties", "closed_network", "narrow_network",
                                    "draining_ties", "insular_network"], 4))
    texts = _texts(discussion_prompts(many, PROGRAM, 3, Formatter("en")))
    gap_texts = {text["en"] for text in PROGRAM.prompts.gaps.values()}
    assert len([text for text in texts if text in gap_texts]) == 3
    few = _analysis({"dormant_ties": 4}, suppressed=True)
    texts = _texts(discussion_prompts(few, PROGRAM, 3, Formatter("en")))
    assert not gap_texts & set(texts)
    assert PROGRAM.prompts.too_few["en"] in texts  # type: ignore[index]


def test_prompts_in_italian() -> None:
    texts = _texts(discussion_prompts(_analysis({"dormant_ties": 4}), PROGRAM, 3, Formatter("it")))
    assert PROGRAM.sessions[2].prompts[0]["it"] in texts
    assert PROGRAM.prompts.gaps["dormant_ties"]["it"] in texts
    assert REVIEW_IT in texts
    assert PROGRAM.prompts.gaps["dormant_ties"]["en"] not in texts


def _adapted(tmp_path: Path, change: Any) -> Path:
    data = yaml.safe_load(default_program_path().read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "adapted.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_an_adapted_program_asks_its_own_prompts(tmp_path: Path) -> None:
    def adapt(data: dict[str, Any]) -> None:
        data["sessions"][2]["prompts"] = [{"en": "Who did you call?", "it": "Chi hai chiamato?"}]
        data["prompts"]["gaps"]["dormant_ties"] = {"en": "Wake one tie up.",
                                                   "it": "Risveglia un legame."}
    program = load_program(_adapted(tmp_path, adapt))
    analysis = _analysis({"dormant_ties": 4})
    assert _texts(discussion_prompts(analysis, program, 3, Formatter("en")))[:2] == [
        "Who did you call?", "Wake one tie up."]
    assert _texts(discussion_prompts(analysis, program, 3, Formatter("it")))[:2] == [
        "Chi hai chiamato?", "Risveglia un legame."]


def test_a_program_without_prompts_falls_back_to_the_built_in_text(tmp_path: Path) -> None:
    def adapt(data: dict[str, Any]) -> None:
        del data["prompts"]
        for session in data["sessions"]:
            session.pop("prompts", None)
            session.pop("agenda", None)
    program = load_program(_adapted(tmp_path, adapt))
    texts = _texts(discussion_prompts(_analysis({"dormant_ties": 4}), program, 3,
                                      Formatter("en")))
    assert texts == [GAP_PROMPTS["dormant_ties"], REVIEW_PROMPT, CLOSING_PROMPT]
    it_texts = _texts(discussion_prompts(_analysis({"dormant_ties": 4}), program, 3,
                                         Formatter("it")))
    assert len(it_texts) == 3 and it_texts[0] != GAP_PROMPTS["dormant_ties"]  # translated


@pytest.mark.parametrize(("change", "named"), [
    (lambda d: d["prompts"]["gaps"].update(lonely={"en": "x", "it": "y"}),
     "prompts.gaps: unknown gap 'lonely'"),
    (lambda d: d["prompts"]["gaps"].update(dormant_ties={"en": "only English"}),
     "prompts.gaps.dormant_ties: missing text for 'it'"),
    (lambda d: d["sessions"][0]["prompts"].append({"it": "solo italiano"}),
     "sessions[0].prompts[1]: missing text for 'en'"),
    (lambda d: d["prompts"].update(opening={"en": "x", "it": "y"}),
     "prompts.opening: unknown setting"),
    (lambda d: d["sessions"][1]["agenda"][0].update(minutes=0),
     "sessions[1].agenda[0].minutes"),
    (lambda d: d["sessions"][1]["agenda"][0].pop("item"),
     "sessions[1].agenda[0].item: required"),
])
def test_a_malformed_prompt_or_agenda_names_the_key(tmp_path: Path, change: Any,
                                                    named: str) -> None:
    with pytest.raises(ProgramError, match=named.replace("[", r"\[").replace("]", r"\]")
                       .replace(".", r"\.")):
        load_program(_adapted(tmp_path, change))


def test_the_group_report_uses_the_same_prompts() -> None:
    inputs = group_inputs({str(i): sample_map(i, 10) for i in range(5)}, language="it")
    inputs["session"]["number"] = 1
    prompts = group_context(inputs)["prompts"]
    program = Program.model_validate(program_json())
    assert prompts[0]["text"] == program.sessions[0].prompts[0]["it"]
    assert REVIEW_IT not in _texts(prompts)
