"""Discussion prompts for the facilitator, chosen from the cohort's common gaps."""

from __future__ import annotations

from app.analysis import GroupAnalysis
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

CLOSING_PROMPTS = (
    N_(
        "Ask two or three volunteers about one commitment from last month: what happened, and "
        "what got in the way?"
    ),
    N_(
        "Close with commitments: each participant writes up to three, at least one naming a "
        "person, and reads one aloud to a partner."
    ),
)
EMPTY_GROUP_PROMPT = N_(
    "Too few maps to compare as a group. Spend the time on the maps themselves: in pairs, "
    "each explains their map and the partner asks about the gaps they see."
)


def discussion_prompts(analysis: GroupAnalysis, fmt: Formatter) -> list[dict[str, str]]:
    """The prompts for the most common (shown) gaps, then the closing ones."""
    prompts: list[dict[str, str]] = []
    if analysis.suppressed:
        prompts.append({"title": "", "text": fmt._(EMPTY_GROUP_PROMPT)})
    else:
        shown = [item for item in analysis.gap_prevalence if not item.suppressed]
        for item in shown:
            if item.id in GAP_PROMPTS and len(prompts) < PROMPTED_GAPS:
                prompts.append({
                    "title": fmt.text(item.title),
                    "text": fmt._(GAP_PROMPTS[item.id]),
                })
    prompts.extend({"title": "", "text": fmt._(text)} for text in CLOSING_PROMPTS)
    return prompts
