"""The facilitation kit: one session's plan for the facilitator, in the cohort's language.

Title and topic and the agenda come from the program file; the discussion prompts
are discussion_prompts over this session's group analysis, the same as the group
report and the debrief; last month's commitments are the analysis's counts, which
app/analysis/disclosure.py has already suppressed where they would describe 1-2
people. No name, contact label or commitment text reaches this context.
"""

from __future__ import annotations

from typing import Any

from app.analysis import Program
from app.reports.rendering.common import page_meta
from app.reports.rendering.formatting import N_, Formatter
from app.reports.rendering.group import analyze_group
from app.reports.rendering.prompts import discussion_prompts
from app.reports.rendering.render import RenderedDocument, html_to_pdf, report_stylesheet
from app.reports.rendering.templating import report_environment

# Used when the program gives a session no agenda of its own: (minutes, msgid).
DEFAULT_AGENDA = (
    (15, N_("Last month's commitments")),
    (20, N_("Update the map")),
    (15, N_("The group picture")),
    (30, N_("Discussion")),
    (10, N_("Commitments for the coming month")),
)
FIRST_AGENDA = (
    (15, N_("Welcome and the course")),
    (35, N_("First draft of the network map")),
    (30, N_("Discussion")),
    (10, N_("Commitments for the coming month")),
)
ROOM_STEPS = (
    N_("Before the session, check who has not submitted and send a reminder from the "
       "session page."),
    N_("Give everyone their link or a blank worksheet; maps use initials or nicknames, "
       "never full names."),
    N_("Allow quiet time to add people and answer the questions; walk round and help "
       "with the meaning of each question, not with the answers."),
    N_("Show the group picture (the debrief on screen or the group report): figures about "
       "fewer than three people are never shown."),
    N_("Work in pairs on the prompts below, then take two or three examples in plenary."),
    N_("End with commitments: up to three each, at least one naming a person."),
)


def _pick(text: dict[str, str], lang: str) -> str:
    return text.get(lang) or text["en"]


def kit_context(inputs: dict[str, Any]) -> dict[str, Any]:
    program = Program.model_validate(inputs["program"])
    fmt = Formatter(inputs["language"])
    number = inputs["session"]["number"]
    analysis = analyze_group(inputs, program)
    program_session = program.session(number)
    if program_session is not None and program_session.agenda:
        agenda = [(item.minutes, _pick(item.item, fmt.lang)) for item in program_session.agenda]
    else:
        agenda = [(minutes, fmt._(msgid))
                  for minutes, msgid in (FIRST_AGENDA if number == 1 else DEFAULT_AGENDA)]
    start = 0
    rows = []
    for minutes, item in agenda:
        rows.append({"from": start, "to": start + minutes, "minutes": minutes, "item": item})
        start += minutes
    change = analysis.change
    commitments = None
    if number > 1 and change is not None:
        commitments = [
            (fmt._("Kept"), change.commitments_kept),
            (fmt._("Not kept"), change.commitments_not_kept),
            (fmt._("Not sure"), change.commitments_not_sure),
            (fmt._("Total"), change.commitments_total),
        ]
    ctx = page_meta(inputs, fmt, program)
    ctx.update(
        document_title=fmt._("Facilitation kit") + f" · {inputs['cohort']['name']}",
        topic=_pick(program_session.topic, fmt.lang) if program_session else "",
        agenda=rows,
        total_minutes=start,
        steps=[fmt._(step) for step in ROOM_STEPS],
        prompts=discussion_prompts(analysis, program, number, fmt,
                                   first_session=inputs["session"].get("first")),
        first_session=inputs["session"].get("first", number == 1),
        commitments=commitments,
        not_shown=fmt._("not shown: fewer than %(n)s, or all but fewer than %(n)s").replace(
            "%(n)s", str(analysis.min_group)),
    )
    return ctx


def build_kit_html(inputs: dict[str, Any]) -> str:
    template = report_environment(inputs["language"]).get_template("kit.html")
    return template.render(kit_context(inputs) | {"screen": False, "screen_css": ""})


def render_kit(inputs: dict[str, Any]) -> RenderedDocument:
    """The pool's job for the kit."""
    stylesheet = report_stylesheet(inputs["language"], inputs["page_size"])
    return html_to_pdf(build_kit_html(inputs), stylesheet=stylesheet)
