"""Titles and next steps of the default gaps, as messages of the Babel catalog.

Each function returns a :class:`~app.analysis.text.Message` in English; the
Italian lives in the catalog (``app/locale/it/LC_MESSAGES/messages.po``) like
every other string, and the app renders the message in the reader's language.
The advice is ours, drawn from the ideas of the course material: reach out every
month, share something useful to everyone, introduce people, invest before you
need help, keep a plan.

Sentences are whole messages with placeholders, never glued from fragments, so
that a translator can reorder them; a clause that only some maps need (the
names of contacts to start with) is its own message, passed as a parameter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from app.analysis.text import Decimal2, Label, Message, Share, _, names, ngettext

TITLES: dict[str, Message] = {
    "map_too_small": _("Map too small to read yet"),
    "resilience_deficit": _("Resilience deficit: a network built for the company"),
    "missing_developmental_roles": _("Missing developmental roles"),
    "dormant_ties": _("Dormant ties"),
    "insular_network": _("Insular network: mostly inside your organization"),
    "narrow_network": _("Narrow network: few different perspectives"),
    "closed_network": _("Closed network: many of your contacts know each other"),
    "one_way_relationships": _("One-way relationships: you rarely help"),
    "not_a_connector": _("Not yet a connector"),
    "no_personal_life": _("No personal-life contacts"),
    "draining_ties": _("Draining ties"),
}

NOTHING = Message("")  # an optional clause that this map does not need


def title(gap_id: str) -> Message:
    """The title of a gap; an unknown id (from an adapted program) shows as itself."""
    return TITLES.get(gap_id) or Message(gap_id)


def resilience_deficit(growth_share: float, candidates: Sequence[str]) -> Message:
    start = (
        _("None of your contacts is there for your own growth: they all serve your employer's "
          "goals.")
        if growth_share == 0
        else _("Only %(share)s of your contacts are there for your own growth; the rest serve "
               "your employer's goals.", share=Share(growth_share))
    )
    with_whom = (
        ngettext(", for example with %(names)s, who already energizes, nurtures or challenges "
                 "you", ", for example with %(names)s, who already energize, nurture or "
                 "challenge you", len(candidates), names=names(candidates))
        if candidates else NOTHING
    )
    return _("%(start)s Invest before you need it: this month, book one conversation about your "
             "development rather than a deliverable%(with_whom)s. Write it down as one of your "
             "commitments.", start=start, with_whom=with_whom)


def missing_developmental_roles(
    missing: Sequence[Mapping[str, str]], candidates: Sequence[str]
) -> Message:
    """``missing`` holds the program's labels of the roles nobody plays."""
    start_there = (
        ngettext(" %(names)s already challenges or supports you: start there.",
                 " %(names)s already challenge or support you: start there.",
                 len(candidates), names=names(candidates))
        if candidates else NOTHING
    )
    return _("Nobody on your map plays these roles: %(roles)s. Write down two people who could, "
             "and ask one of them for half an hour of conversation before the next session."
             "%(start_there)s",
             roles=names([Label.of(role) for role in missing]), start_there=start_there)


def dormant_ties(count: int, months: int, closest: Sequence[str],
                 size: int | None = None) -> Message:
    """``size`` is the map's size: when every contact is dormant the message says so
    ("any of your 8 contacts"), never "8 of your contacts"."""
    ask = (
        ngettext("Reach out to %(names)s, the dormant contact you were closest to",
                 "Reach out to %(names)s, the dormant contacts you were closest to",
                 len(closest), names=names(closest))
        if closest
        else _("Pick the dormant contact you would most like to hear from and reach out")
    )
    if count == size:
        return ngettext(
            "You have not really been in touch with your only contact for %(months)s months or "
            "more. %(ask)s: a short note with something useful (an article, a tool, an "
            "introduction) is enough. Then make it a habit: one reconnection every month.",
            "You have not really been in touch with any of your %(n)s contacts for %(months)s "
            "months or more. %(ask)s: a short note with something useful (an article, a tool, an "
            "introduction) is enough. Then make it a habit: one reconnection every month.",
            count, months=months, ask=ask,
        )
    return ngettext(
        "You have not really been in touch with %(n)s of your contacts for %(months)s months or "
        "more. %(ask)s: a short note with something useful (an article, a tool, an introduction) "
        "is enough. Then make it a habit: one reconnection every month.",
        "You have not really been in touch with %(n)s of your contacts for %(months)s months or "
        "more. %(ask)s: a short note with something useful (an article, a tool, an introduction) "
        "is enough. Then make it a habit: one reconnection every month.",
        count, months=months, ask=ask,
    )


def insular_network(inside: int, size: int, outside_names: Sequence[str]) -> Message:
    elsewhere = (
        ngettext(", and get back in touch with %(names)s, who already works elsewhere",
                 ", and get back in touch with %(names)s, who already work elsewhere",
                 len(outside_names), names=names(outside_names))
        if outside_names else NOTHING
    )
    # "All 8 of your contacts", never "8 of your 8 contacts".
    if inside == size == 1:
        who = _("Your one contact works")
    elif inside == size:
        who = ngettext("All %(n)s of your contacts work", "All %(n)s of your contacts work", size)
    else:
        who = ngettext("%(n)s of your %(size)s contacts works",
                       "%(n)s of your %(size)s contacts work", inside, size=size)
    return _("%(who)s inside your own organization, so most of what you hear comes from one "
             "place. This quarter, join one outside group, such as a professional association or "
             "a community of practice%(elsewhere)s.", who=who, elsewhere=elsewhere)


def map_too_small(size: int, minimum: int) -> Message:
    if size == 0:
        return _("Your map is still empty. Start with five people who help you grow: someone "
                 "who teaches you, someone a few steps ahead, a peer in another company. Then "
                 "add the people you work with every day.")
    return ngettext(
        "Your map has only %(n)s person so far: too few to say much about its shape. Before "
        "anything else, add at least %(more)s more: people who help you grow (a mentor, someone "
        "a few steps ahead, a peer in another company), the people you work with every day, and "
        "someone from your personal life. The rest of this report will mean more once they are "
        "there.",
        "Your map has only %(n)s people so far: too few to say much about its shape. Before "
        "anything else, add at least %(more)s more: people who help you grow (a mentor, someone "
        "a few steps ahead, a peer in another company), the people you work with every day, and "
        "someone from your personal life. The rest of this report will mean more once they are "
        "there.",
        size, more=minimum - size,
    )


def _narrow_start(
    attribute: str, dominant: Mapping[str, str], dominant_share: float, reason: str,
    distinct: int,
) -> Message:
    value = Label.of(dominant)
    share = Share(dominant_share)
    if reason == "same" and attribute == "function":
        return _("Your contacts look like you: %(share)s work in your own function (%(value)s).",
                 share=share, value=value)
    if reason == "same" and attribute == "industry":
        return _("Your contacts look like you: %(share)s work in your own industry (%(value)s).",
                 share=share, value=value)
    if reason == "few" and attribute == "function":
        if distinct == 1:
            return _("All your contacts work in the same function (%(value)s).", value=value)
        return ngettext("Your contacts come from only %(n)s different function.",
                        "Your contacts come from only %(n)s different functions.", distinct)
    if reason == "few" and attribute == "industry":
        if distinct == 1:
            return _("All your contacts work in the same industry (%(value)s).", value=value)
        return ngettext("Your contacts come from only %(n)s different industry.",
                        "Your contacts come from only %(n)s different industries.", distinct)
    if attribute == "function":
        return _("Your contacts look alike: %(share)s share the same function (%(value)s).",
                 share=share, value=value)
    if attribute == "industry":
        return _("Your contacts look alike: %(share)s share the same industry (%(value)s).",
                 share=share, value=value)
    return _("Your contacts look alike: %(share)s share the same origin (%(value)s).",
             share=share, value=value)


def narrow_network(
    attribute: str,
    dominant: Mapping[str, str],
    dominant_share: float,
    bridge_names: Sequence[str],
    *,
    reason: str = "mix",
    distinct: int = 0,
) -> Message:
    """Next step of the narrow-network gap.

    ``reason`` is "same" (many contacts share the participant's own function or
    industry, ``dominant``), "few" (only ``distinct`` different values of
    ``attribute``) or "mix" (low diversity overall; ``dominant`` is the most
    common value of the narrowest attribute).
    """
    start = _narrow_start(attribute, dominant, dominant_share, reason, distinct)
    if bridge_names:
        step = _("Ask %(names)s to introduce you to one person from a function or industry you "
                 "rarely meet, and go to one event outside your usual circle.",
                 names=names(bridge_names))
    else:
        step = _("Ask someone on your map to introduce you to one person from a function or "
                 "industry you rarely meet, and go to one event outside your usual circle.")
    return _("%(start)s %(step)s", start=start, step=step)


def closed_network(density: float, constraint: float, bridge_names: Sequence[str],
                   max_density: float = 0.5) -> Message:
    """Worded by how closed the map really is: everyone knowing everyone, a share of
    the pairs past the aim, or (density under its aim) a small circle leaning on few
    people. In the report's plain words ("closed circle"), never "density"."""
    bridges = (
        ngettext(", such as %(names)s, who knows few of the others",
                 ", such as %(names)s, who know few of the others",
                 len(bridge_names), names=names(bridge_names))
        if bridge_names else NOTHING
    )
    if density >= 1.0:
        return _("All your contacts know one another, so they tend to hear the same news and "
                 "share the same views. Give time to the people who link you to other "
                 "circles%(bridges)s, and add one contact this month who knows nobody else on "
                 "your map.", bridges=bridges)
    if density > max_density:
        return _("%(share)s of the pairs of your contacts know each other, so they tend to hear "
                 "the same news and share the same views. Give time to the people who link you "
                 "to other circles%(bridges)s, and add one contact this month who knows nobody "
                 "else on your map.", share=Share(density), bridges=bridges)
    return _("Your map rests on a few people, several of whom know each other (closed circle "
             "%(constraint)s on a scale of 0 to 1), so your news comes through few doors. Give "
             "time to the people who link you to other circles%(bridges)s, and add one contact "
             "this month who knows nobody else on your map.",
             constraint=Decimal2(constraint), bridges=bridges)


def closed_network_title(density: float, max_density: float) -> Message:
    """The title by the reason the gap fired: many pairs, or a circle of few people."""
    if density > max_density:
        return TITLES["closed_network"]
    return _("Closed network: your contacts lead back to the same few people")


def one_way_relationships(
    helped_share: float, helped_by_share: float, people: Sequence[str]
) -> Message:
    start = (
        _("In the last six months you helped none of your contacts")
        if helped_share == 0
        else _("In the last six months you helped %(share)s of your contacts",
               share=Share(helped_share))
    )
    whom = names(people) if people else _("two people on your map")
    return _("%(start)s, and %(helped_by)s helped you. Give before you need to ask: before the "
             "next session, offer something to %(whom)s: an article, an introduction, an hour of "
             "your time.", start=start, helped_by=Share(helped_by_share), whom=whom)


def not_a_connector(introduced_share: float, pair: Sequence[str]) -> Message:
    start = (
        _("You have not yet introduced any of your contacts to someone else.")
        if introduced_share == 0
        else _("You have introduced only %(share)s of your contacts to someone else.",
               share=Share(introduced_share))
    )
    example = (
        _(", for example %(names)s, who don't know each other yet", names=names(pair))
        if len(pair) == 2 else NOTHING
    )
    return _("%(start)s Be the bridge: pick two people who would gain from knowing each "
             "other%(example)s, and introduce them with a short note that says why.",
             start=start, example=example)


def no_personal_life(count: int) -> Message:
    start = (
        _("Your map has nobody from your personal life.")
        if count == 0
        else ngettext("Only %(n)s of your contacts comes from your personal life.",
                      "Only %(n)s of your contacts come from your personal life.", count)
    )
    return _("%(start)s Friends, neighbours and people from your sports club or hobby group "
             "belong in your network too: they widen your world and often help in ways you do "
             "not expect. Add the ones you already have, and plan one get-together outside work "
             "this month.", start=start)


def draining_ties(count: int, drainers: Sequence[str], energizers: Sequence[str],
                  size: int | None = None) -> Message:
    """``drainers`` may name only the closest few: then they are "among them", and when
    every contact drains the message says "all 8 of your contacts"."""
    if not drainers:
        who = NOTHING
    elif len(drainers) < count:
        who = _(" (among them %(names)s)", names=names(drainers))
    else:
        who = _(" (%(names)s)", names=names(drainers))
    balance = (
        _(" (for example %(names)s)", names=names(energizers)) if energizers else NOTHING
    )
    if count == size:
        return ngettext(
            "Your only contact leaves you drained%(who)s. You cannot always avoid this person, "
            "but you can shape the time you spend together: a clear agenda, shorter meetings, "
            "and time with new people who give you energy to balance it.",
            "All %(n)s of your contacts leave you drained%(who)s. You cannot always avoid them, "
            "but you can shape the time you spend together: a clear agenda, shorter meetings, "
            "and time with new people who give you energy to balance it.",
            count, who=who,
        )
    return ngettext(
        "%(n)s of your contacts leaves you drained%(who)s. You cannot always avoid this person, "
        "but you can shape the time you spend together: a clear agenda, shorter meetings, and "
        "time with people who give you energy%(balance)s to balance it.",
        "%(n)s of your contacts leave you drained%(who)s. You cannot always avoid them, but you "
        "can shape the time you spend together: a clear agenda, shorter meetings, and time with "
        "people who give you energy%(balance)s to balance it.",
        count, who=who, balance=balance,
    )
