"""Statistical disclosure control for everything a group output shows.

One module decides, so the JSON of ``/api/v1/sessions/{id}/group``, the
dashboard, the group PDF and the journey cannot disagree (DESIGN.md, Privacy):

- a count k of n participants is shown when k = 0, k = n, or both k >= 3 and
  n - k >= 3; "4 of 5" singles out the fifth as surely as "1 of 5" the first;
- a distribution shows P10, the quartiles, the median and P90, never a
  minimum or maximum;
- with fewer than 3 maps nothing but participation is shown.

The quantiles are computed after winsorising one value at each end (the
lowest is replaced by the second lowest, the highest by the second highest),
so no figure shown depends on the single most extreme map at either end:
with n = 3 every quantile equals the median, and P10 with type-7
interpolation can no longer be solved back to the lowest value.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.analysis.results import Distribution

MIN_GROUP = 3
# The quantiles a distribution shows, as fractions.
QUANTILES = {"p10": 0.10, "q1": 0.25, "median": 0.5, "q3": 0.75, "p90": 0.90}


def count_shown(k: int, n: int, min_group: int = MIN_GROUP) -> bool:
    """Whether "k of n" may be shown: k = 0, k = n, or k and n - k both >= min_group."""
    if not 0 <= k <= n:
        raise ValueError(f"a count of {k} out of {n} is impossible")
    if n < min_group:
        return False
    return k in (0, n) or (k >= min_group and n - k >= min_group)


def disclose(
    k: int, n: int, min_group: int = MIN_GROUP, *, unsuppressed: bool = False
) -> int | None:
    """k when it may be shown, else None; the facilitator's copy (``unsuppressed``) shows all."""
    if unsuppressed:
        return k
    return k if count_shown(k, n, min_group) else None


def disclose_share(
    k: int, n: int, min_group: int = MIN_GROUP, *, unsuppressed: bool = False
) -> float | None:
    """k / n under the same rule as :func:`disclose` (None when n is 0)."""
    shown = disclose(k, n, min_group, unsuppressed=unsuppressed)
    return None if shown is None or n == 0 else shown / n


def disclose_parts(
    parts: Sequence[int], people: Sequence[int], contributors: int,
    min_group: int = MIN_GROUP, *, unsuppressed: bool = False,
) -> list[int | None]:
    """Parts of a total that is shown (commitments kept / not kept / not sure).

    ``parts[i]`` items come from ``people[i]`` of the ``contributors`` people who
    have any item. A part is shown when it passes the count rule both as items
    (k of the total) and as people (those with such an item, of the
    contributors), so that no figure is about one or two people on either side.
    When exactly one part would be hidden, the smallest shown part is hidden
    too: otherwise the total minus the parts shown gives the hidden one back.
    """
    if len(parts) != len(people):
        raise ValueError("one count of people per part")
    if unsuppressed:
        return list(parts)
    total = sum(parts)
    shown: list[int | None] = [
        part if count_shown(part, total, min_group)
        and count_shown(persons, contributors, min_group) else None
        for part, persons in zip(parts, people, strict=True)
    ]
    if sum(value is None for value in shown) == 1 and len(shown) > 1:
        smallest = min((i for i, value in enumerate(shown) if value is not None),
                       key=lambda i: parts[i])
        shown[smallest] = None
    return shown


def quantile(sorted_values: Sequence[float], fraction: float) -> float:
    """Linear interpolation between order statistics (numpy's default, "type 7").

    ``sorted_values`` must be sorted and non-empty.
    """
    position = fraction * (len(sorted_values) - 1)
    lower = int(position)
    upper = min(lower + 1, len(sorted_values) - 1)
    weight = position - lower
    # low + (high - low) * w, so equal neighbours give exactly their value
    return sorted_values[lower] + (sorted_values[upper] - sorted_values[lower]) * weight


def winsorised(values: Sequence[float]) -> list[float]:
    """Sorted values with the lowest and highest replaced by their neighbours."""
    ordered = sorted(values)
    if len(ordered) >= 3:
        ordered[0] = ordered[1]
        ordered[-1] = ordered[-2]
    return ordered


def distribution(values: Sequence[float], min_group: int = MIN_GROUP) -> Distribution | None:
    """P10, quartiles, median and P90 of ``values``; None under ``min_group`` values."""
    if len(values) < max(min_group, 1):
        return None
    ordered = winsorised(values)
    return Distribution(
        n=len(ordered),
        **{name: quantile(ordered, fraction) for name, fraction in QUANTILES.items()},
    )


def median(values: Sequence[float], min_group: int = MIN_GROUP) -> float | None:
    """The median, or None under ``min_group`` values."""
    if len(values) < max(min_group, 1):
        return None
    return quantile(sorted(values), 0.5)
