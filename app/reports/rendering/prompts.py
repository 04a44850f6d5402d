"""Discussion prompts for the facilitator: from the program, matched to this session.

The program file (``prompts:`` and each session's ``prompts:``) holds the text in en
and it; anything it leaves out falls back to the built-in text below, through the
catalog. The group report, the debrief and the facilitation kit all call
discussion_prompts, so they ask the same questions. Gap prompts follow only the
gaps the group analysis shows: a suppressed gap never gets a prompt.
"""

from __future__ import annotations

from app.analysis import GroupAnalysis, Program
from app.reports.rendering.formatting import N_, Formatter

PROMPTED_GAPS = 3

GAP_PROMPTS: dict[str, str] = {
    "map_too_small": N_(
        "Several maps are still short. Before discussing gaps, give everyone ten minutes to add "
        "the people they left out: someone from a former job, a friend, a peer elsewhere."
    ),
    "resilience_deficit": N_(
        "Most maps lean towards the company. Ask: which of these relationships would still be "
        "there if you changed employer tomorrow, and which would you want to be?"
    ),
    "missing_developmental_roles": N_(
        "Few maps name a mentor, a way-shower or a community. In pairs, each names one person "
        "they could approach this month and what they would ask for."
    ),
    "dormant_ties": N_(
        "Many ties have gone quiet. Give everyone five minutes to pick one dormant contact and "
        "draft a two-line message with something useful to share."
    ),
    "insular_network": N_(
        "Networks stay inside the organization. Ask where the group would first hear about a "
        "change coming to their industry, and who outside would warn them."
    ),
    "narrow_network": N_(
        "The maps look alike inside: the same functions and industries. Ask who in the room "
        "could introduce someone from a different world to a colleague here."
    ),
    "closed_network": N_(
        "Contacts mostly know each other. Discuss what news reaches a closed circle late, and "
        "who in each map acts as a bridge to other circles."
    ),
    "one_way_relationships": N_(
        "Help flows towards participants more than from them. Ask each to name one small, "
        "generous act they could do this month without being asked."
    ),
    "not_a_connector": N_(
        "Few introductions are being made. Try a round: each participant names two people in "
        "their map who would benefit from meeting each other."
    ),
    "no_personal_life": N_(
        "Personal life is missing from several maps. Ask what friends, clubs or neighbours "
        "have given to someone's career, often without anyone noticing."
    ),
    "draining_ties": N_(
        "Some ties cost energy. Discuss how to set boundaries with respect, and where each "
        "person gets their energy back."
    ),
}

REVIEW_PROMPT = N_(
    "Ask two or three volunteers about one commitment from last month: what happened, and "
    "what got in the way?"
)
CLOSING_PROMPT = N_(
    "Close with commitments: each participant writes up to three, at least one naming a "
    "person, and reads one aloud to a partner."
)
EMPTY_GROUP_PROMPT = N_(
    "Too few maps to compare as a group. Spend the time on the maps themselves: in pairs, "
    "each explains their map and the partner asks about the gaps they see."
)


def _local(text: dict[str, str] | None, default: str, fmt: Formatter) -> str:
    if text is None:
        return fmt._(default)
    return text.get(fmt.lang) or text["en"]


def discussion_prompts(
    analysis: GroupAnalysis, program: Program, session_number: int, fmt: Formatter,
    *, first_session: bool | None = None,
) -> list[dict[str, str]]:
    """This session's prompts: its topic, the most common shown gaps, last month, closing.

    The cohort's first session has no last month, so it never asks about commitments.
    ``first_session`` says whether the cohort has no earlier session; by default,
    session 1 is the first.
    """
    if first_session is None:
        first_session = session_number <= 1
    own = program.prompts
    prompts: list[dict[str, str]] = []
    program_session = program.session(session_number)
    if program_session is not None:
        topic_title = program_session.title.get(fmt.lang) or program_session.title["en"]
        prompts.extend({"title": topic_title, "text": text.get(fmt.lang) or text["en"]}
                       for text in program_session.prompts)
    if analysis.suppressed:
        prompts.append({"title": "", "text": _local(own.too_few, EMPTY_GROUP_PROMPT, fmt)})
    else:
        gap_prompts = 0
        for item in analysis.gap_prevalence:
            # Only gaps shown and present: a suppressed count or a zero is not "common".
            if item.count is None or item.count == 0 or gap_prompts >= PROMPTED_GAPS:
                continue
            if item.id not in own.gaps and item.id not in GAP_PROMPTS:
                continue
            prompts.append({
                "title": fmt.text(item.title),
                "text": _local(own.gaps.get(item.id), GAP_PROMPTS.get(item.id, ""), fmt),
            })
            gap_prompts += 1
    if not first_session:
        prompts.append({"title": "", "text": _local(own.review, REVIEW_PROMPT, fmt)})
    prompts.append({"title": "", "text": _local(own.closing, CLOSING_PROMPT, fmt)})
    return prompts
