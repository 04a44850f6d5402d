"""Measures of one map: pure functions with their formulas and references.

Ego is the participant; the contacts are ego's alters; ``t`` is the number of
distinct ties between contacts ("who knows whom"). Ego is tied to every
contact, so ego's graph is a star over the contacts plus their ties.

Every function returns a finite number for every input; the values chosen for
degenerate cases (no contacts, one contact, no values) are stated in each
docstring.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.analysis.model import Contact, NetworkMap
from app.analysis.program import Program

GROWTH_PURPOSES = frozenset({"growth", "both"})
DIVERSITY_ATTRIBUTES: tuple[str, ...] = ("function", "industry", "origin")
FREE_TEXT_ATTRIBUTES = frozenset({"function", "industry"})
SAME_AS_EGO_ATTRIBUTES: tuple[str, ...] = ("function", "industry")


@dataclass(frozen=True)
class Ego:
    """What the analysis knows about the participant, from the cohort's roster.

    Plain values, so the analysis stays free of the database: the callers copy
    them from the roster. None (or blank) means unknown.
    """

    function: str | None = None
    industry: str | None = None


# --- months -----------------------------------------------------------------


def month_index(month: str) -> int:
    """Months since year 0 for a ``YYYY-MM`` string: ``year * 12 + month - 1``."""
    year, number = month.split("-")
    return int(year) * 12 + int(number) - 1


def months_since(month: str, as_of: date) -> int:
    """Whole calendar months from ``month`` (YYYY-MM) to the month of ``as_of``.

    Days are ignored: a last contact in 2024-09 is 12 months before any day of
    2025-09. The result is negative when ``month`` lies after ``as_of``.
    """
    return (as_of.year * 12 + as_of.month - 1) - month_index(month)


def is_dormant(contact: Contact, as_of: date, dormant_months: int) -> bool:
    """A contact is dormant when ``months_since(last_contact, as_of) >= dormant_months``.

    Contacts without a last contact are not counted as dormant: the map does
    not say when they were last in touch.
    """
    if contact.last_contact is None:
        return False
    return months_since(contact.last_contact, as_of) >= dormant_months


# --- composition ------------------------------------------------------------


def share(count: int, total: int) -> float:
    """``count / total``; 0 when ``total`` is 0."""
    return count / total if total > 0 else 0.0


def normalize_category(value: str | None) -> str | None:
    """Free text compared after ``strip()`` and ``casefold()``; blank means no value."""
    if value is None:
        return None
    normalized = value.strip().casefold()
    return normalized or None


def blau_index(values: Iterable[str | None]) -> float:
    """Blau's heterogeneity index ``1 - sum_k p_k**2``.

    ``p_k`` is the share of category ``k`` among the values that are present
    (None is skipped). 0 when fewer than one value is present or when every
    value is the same category.

    Reference: Blau, P. M. (1977). *Inequality and Heterogeneity*. Free Press.
    """
    counts = Counter(value for value in values if value is not None)
    total = sum(counts.values())
    if total == 0:
        return 0.0
    return max(0.0, 1.0 - sum((count / total) ** 2 for count in counts.values()))


def iqv(blau: float, categories: int) -> float:
    """Index of qualitative variation: Blau normalised by its maximum, ``B / (1 - 1/k)``.

    ``k`` is the number of possible categories. 0 when ``k <= 1`` (no
    variation is possible). Clamped to [0, 1] because observed counts can make
    ``B`` exceed the bound only through rounding.

    Reference: Agresti, A. & Agresti, B. F. (1978). Statistical analysis of
    qualitative variation. *Sociological Methodology* 9, 204-237.
    """
    if categories <= 1:
        return 0.0
    return min(1.0, max(0.0, blau / (1.0 - 1.0 / categories)))


def ei_index(external: int, internal: int) -> float:
    """Krackhardt & Stern's E-I index ``(E - I) / (E + I)``, from -1 (all inside) to 1.

    0 when ``E + I == 0`` (no contact has organization set).

    Reference: Krackhardt, D. & Stern, R. N. (1988). Informal networks and
    organizational crises. *Social Psychology Quarterly* 51(2), 123-140.
    """
    total = external + internal
    return (external - internal) / total if total > 0 else 0.0


def outside_share(m: NetworkMap) -> float | None:
    """``E / (E + I)``: the share outside the participant's organization among the
    contacts whose organization is known, the same contacts as the E-I index
    (``ei_index = 2 * outside_share - 1``). None when nobody's is known.
    """
    known = [c.organization for c in m.contacts if c.organization in ("inside", "outside")]
    return share(known.count("outside"), len(known)) if known else None


# --- structure ----------------------------------------------------------------


def distinct_ties(m: NetworkMap) -> list[tuple[str, str]]:
    """The map's ties without self-ties, repeats (in either order) and unknown ids.

    ``parse_map`` already drops these; this keeps the measures well defined for
    maps built by other means.
    """
    known = {contact.id for contact in m.contacts}
    seen: set[tuple[str, str]] = set()
    ties = []
    for first, second in m.ties:
        key = (first, second) if first <= second else (second, first)
        if first == second or key in seen or first not in known or second not in known:
            continue
        seen.add(key)
        ties.append((first, second))
    return ties


def neighbourhoods(
    contact_ids: Sequence[str], ties: Iterable[tuple[str, str]]
) -> dict[str, list[str]]:
    """For each contact, the contacts it is tied to (``ties`` as from distinct_ties)."""
    neighbours: dict[str, list[str]] = {contact_id: [] for contact_id in contact_ids}
    for first, second in ties:
        neighbours[first].append(second)
        neighbours[second].append(first)
    return neighbours


def density(n: int, t: int) -> float:
    """Density among contacts ``t / (n (n - 1) / 2)``; 0 when ``n < 2``.

    Reference: Wasserman, S. & Faust, K. (1994). *Social Network Analysis*, 4.5.
    """
    if n < 2:
        return 0.0
    return t / (n * (n - 1) / 2)


def effective_size(n: int, t: int) -> float:
    """Burt's effective size of ego ``n - 2t / n``; 0 when ``n == 0``.

    This is Borgatti's simplification for unweighted, undirected ego networks
    and equals ``networkx.effective_size(G)[ego]`` on ego's graph.

    References: Burt, R. S. (1992). *Structural Holes*. Harvard UP.
    Borgatti, S. P. (1997). Structural holes: unpacking Burt's redundancy
    measures. *Connections* 20(1), 35-38.
    """
    if n == 0:
        return 0.0
    return n - 2 * t / n


def efficiency(n: int, t: int) -> float:
    """Burt's efficiency ``effective_size / n``; 0 when ``n == 0``.

    Reference: Burt, R. S. (1992). *Structural Holes*. Harvard UP.
    """
    return effective_size(n, t) / n if n > 0 else 0.0


def ego_constraint(contact_ids: Sequence[str], ties: Iterable[tuple[str, str]]) -> float:
    """Burt's aggregate constraint of ego on the unweighted graph of ego and contacts.

    ``c = sum_j (p_ej + sum_q p_eq * p_qj) ** 2`` over ego's contacts ``j``,
    where ``p_xy = 1 / degree(x)`` for each neighbour ``y`` of ``x`` (unweighted
    proportional tie strength) and ``q`` runs over contacts tied to ``j``. Ego
    has degree n and a contact q has degree ``1 + t_q`` (ego plus its ties),
    so ``c = (1/n**2) * sum_j (1 + sum_{q ~ j} 1 / (1 + t_q)) ** 2``.

    That is O(n + t) instead of networkx's O(n * degree**2), and equals
    ``networkx.constraint(G)[ego]``. 0 when ``n == 0`` (networkx gives NaN).
    ``ties`` must be distinct ties between known contacts (see distinct_ties).

    Reference: Burt, R. S. (1992). *Structural Holes*. Harvard UP, ch. 2.
    """
    n = len(contact_ids)
    if n == 0:
        return 0.0
    neighbours = neighbourhoods(contact_ids, ties)
    inverse_degree = {cid: 1.0 / (1 + len(linked)) for cid, linked in neighbours.items()}
    weight = inverse_degree.__getitem__
    total = 0.0
    for linked in neighbours.values():
        through_others = 1.0 + sum(map(weight, linked))
        total += through_others * through_others
    return total / (n * n)


# --- the metrics dictionary ---------------------------------------------------


def suggested_values(program: Program, attribute: str) -> set[str]:
    """The program's suggestions for a free-text attribute, normalised."""
    suggestions = program.exercise.suggestions
    listed = suggestions.functions if attribute == "function" else suggestions.industries
    return {value for value in map(normalize_category, listed) if value is not None}


def category_count(program: Program, attribute: str, values: Sequence[str | None]) -> int:
    """k for IQV: the number of categories the participant could have used.

    For ``origin`` the program's list. For the free-text ``function`` and
    ``industry`` the program's suggested values plus any other value observed on
    the map (all normalised). Counting only the observed values would make five
    Finance and five Sales "perfectly diverse" (IQV 1).
    """
    if attribute in FREE_TEXT_ATTRIBUTES:
        observed = {value for value in values if value is not None}
        return len(suggested_values(program, attribute) | observed)
    return len(program.option_ids(attribute + "s"))


def distinct_count(values: Iterable[str | None]) -> int:
    """The number of different values present (None skipped)."""
    return len({value for value in values if value is not None})


def same_share(values: Sequence[str | None], own: str | None) -> float | None:
    """Share of the contacts with a value whose value equals ``own`` (normalised).

    None when ``own`` is unknown; 0 when no contact has a value.
    """
    own_value = normalize_category(own)
    if own_value is None:
        return None
    present = [value for value in values if value is not None]
    return share(sum(1 for value in present if value == own_value), len(present))


def attribute_values(m: NetworkMap, attribute: str) -> list[str | None]:
    """Each contact's value of ``attribute``, free text normalised (None if unset)."""
    values: list[str | None] = [getattr(contact, attribute) for contact in m.contacts]
    if attribute in FREE_TEXT_ATTRIBUTES:
        return [normalize_category(value) for value in values]
    return values


def compute_metrics(
    m: NetworkMap,
    program: Program,
    as_of: date,
    *,
    ties: Sequence[tuple[str, str]] | None = None,
    ego: Ego | None = None,
) -> dict[str, Any]:
    """All measures of DESIGN.md for one map, nested as the CLI prints them.

    With n contacts and t distinct ties between them:

    - ``size`` = n
    - ``growth_share`` = #(purpose in {growth, both}) / n
    - ``company_only_share`` = #(purpose = company) / n
    - ``roles.<id>`` = #(contacts holding role id), for every program role
    - ``dormant_count`` = #(is_dormant), ``dormant_share`` = dormant_count / n
    - ``blau.<attr>``, ``iqv.<attr>`` for function, industry, origin: blau_index
      and iqv over the contacts with a value (k: category_count)
    - ``distinct.<attr>`` = number of different values, for the same attributes
    - ``same_function_share``, ``same_industry_share`` = share of contacts with
      a value equal to the participant's own (``ego``, from the roster); the
      key is absent when the participant's own value is unknown
    - ``ei_index`` = (E - I) / (E + I), E = #outside, I = #inside
    - ``density``, ``effective_size``, ``efficiency``, ``constraint``: see the
      functions of the same names (constraint: ego_constraint)
    - ``helped_share`` = #i_helped / n, ``helped_by_share`` = #they_helped / n,
      ``introduced_share`` = #introduced / n (reciprocity and brokerage habits;
      cf. Burt 2005, *Brokerage and Closure*)
    - ``energizes_share``, ``challenges_share``, ``drains_share`` = share of
      contacts with that quality (energy in networks: Cross, Baker & Parker
      2003, "What creates energy in organizations?", MIT Sloan Mgmt Review)

    Every share is 0 when n == 0. ``ties`` may pass ``distinct_ties(m)`` when
    the caller already has it.
    """
    contacts = m.contacts
    n = len(contacts)
    ties = distinct_ties(m) if ties is None else ties
    t = len(ties)

    role_counts = dict.fromkeys(program.option_ids("roles"), 0)
    for contact in contacts:
        for role in contact.roles:
            role_counts[role] = role_counts.get(role, 0) + 1

    dormant = sum(
        1 for contact in contacts if is_dormant(contact, as_of, program.thresholds.dormant_months)
    )
    blau: dict[str, float] = {}
    iqv_values: dict[str, float] = {}
    distinct: dict[str, int] = {}
    same: dict[str, float] = {}
    ego = ego or Ego()
    for attribute in DIVERSITY_ATTRIBUTES:
        values = attribute_values(m, attribute)
        blau[attribute] = blau_index(values)
        iqv_values[attribute] = iqv(blau[attribute], category_count(program, attribute, values))
        distinct[attribute] = distinct_count(values)
        if attribute in SAME_AS_EGO_ATTRIBUTES:
            value = same_share(values, getattr(ego, attribute))
            if value is not None:
                same[f"same_{attribute}_share"] = value

    def count(predicate: Callable[[Contact], bool]) -> int:
        return sum(1 for contact in contacts if predicate(contact))

    return {
        "size": n,
        "growth_share": share(count(lambda c: c.purpose in GROWTH_PURPOSES), n),
        "company_only_share": share(count(lambda c: c.purpose == "company"), n),
        "roles": role_counts,
        "dormant_count": dormant,
        "dormant_share": share(dormant, n),
        "blau": blau,
        "iqv": iqv_values,
        "distinct": distinct,
        **same,
        "ei_index": ei_index(
            count(lambda c: c.organization == "outside"),
            count(lambda c: c.organization == "inside"),
        ),
        "density": density(n, t),
        "effective_size": effective_size(n, t),
        "efficiency": efficiency(n, t),
        "constraint": ego_constraint([contact.id for contact in contacts], ties),
        "helped_share": share(count(lambda c: c.i_helped), n),
        "helped_by_share": share(count(lambda c: c.they_helped), n),
        "introduced_share": share(count(lambda c: c.introduced), n),
        "energizes_share": share(count(lambda c: "energizes" in c.qualities), n),
        "challenges_share": share(count(lambda c: "challenges" in c.qualities), n),
        "drains_share": share(count(lambda c: "drains" in c.qualities), n),
    }


def flatten_metrics(metrics: dict[str, Any], prefix: str = "") -> dict[str, float]:
    """Nested metrics as flat keys: ``metrics["blau"]["function"]`` -> ``"blau.function"``."""
    flat: dict[str, float] = {}
    for key, value in metrics.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten_metrics(value, prefix=f"{name}."))
        elif isinstance(value, int | float) and not isinstance(value, bool):
            flat[name] = float(value)
    return flat
