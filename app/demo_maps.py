"""Demo maps with a recognisable profile each, coherent contact by contact.

A facilitator shows the demo to a client, so every map must hang together and
each participant must read as a type of networker that the course talks about:

- **builder**: invests in growth on purpose. Mentors, a way-shower and a
  community of practice; most ties outside the organization, across functions
  and industries; helps people and keeps in touch. Few or no gaps.
- **insider**: everything runs through the current employer. Colleagues in the
  same function and industry, all of whom know each other, almost all "for the
  company". Gaps: insular network, resilience deficit, narrow and closed network.
- **connector**: knows people in many separate worlds and introduces them to
  each other. Low density and constraint, high effective size, many
  introductions; strengths: a connector with a broad reach.
- **drifting**: a good network once, left to go quiet. Former colleagues and
  classmates not spoken to for a year or more, rarely helped lately. Gaps:
  dormant ties and one-way relationships.

Contacts are drawn per origin, and the rest follows the origin: a current
colleague is inside and there for the company (or both); a school friend is
outside, from personal life or education, and there for your growth.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from typing import Any

PROFILES = ("builder", "insider", "connector", "drifting")

FIRST_NAMES = [
    "Marta", "Luca", "Sofia", "Omar", "Hannah", "Diego", "Ines", "Kenji", "Lea", "Paolo",
    "Amara", "Jonas", "Clara", "Ravi", "Nadia", "Tomás", "Eva", "Malik", "Greta", "Yusuf",
    "Irene", "Felix", "Lina", "Bruno", "Sara", "Hugo", "Alba", "Piet", "Rosa", "Teo",
    "Mira", "Enzo", "Julia", "Sami", "Vera", "Ugo",
]
SURNAME_INITIALS = "BCDFGHKLMNPRSTVZ"
OTHER_FUNCTIONS = ["Finance", "Marketing", "Engineering", "Human Resources", "Sales",
                   "Operations", "Legal", "IT", "Consulting", "Education", "Procurement",
                   "Research and Development", "General Management", "Customer Service"]
OTHER_INDUSTRIES = ["Health", "Banking and Insurance", "Retail", "Energy", "Education",
                    "Technology", "Public Sector", "Manufacturing", "Professional Services",
                    "Non-profit", "Media and Culture", "Transport and Logistics"]

# Per origin: purposes (weights), roles to draw from, and whether the contact is inside.
PURPOSES = {
    "current_job": {"company": 0.6, "both": 0.35, "growth": 0.05},
    "former_job": {"both": 0.45, "growth": 0.35, "company": 0.2},
    "profession": {"growth": 0.55, "both": 0.4, "company": 0.05},
    "education": {"growth": 0.85, "both": 0.15},
    "personal": {"growth": 1.0},
}
ROLES = {
    "current_job": ["peer", "peer", "client", "sponsor"],
    "former_job": ["peer", "mentor", "way_shower", "industry"],
    "profession": ["community", "industry", "way_shower", "peer"],
    "education": ["friend", "peer"],
    "personal": ["friend"],
}


@dataclass(frozen=True)
class Profile:
    """How one kind of networker's map is drawn (see the module docstring)."""

    name: str
    size: int
    origins: dict[str, float]
    own_function: float  # chance a work contact shares the participant's function
    own_industry: float  # ... and industry
    quiet: dict[str, float]  # per origin: chance the contact is dormant (12+ months)
    tie_within: float  # chance two contacts of the same origin know each other
    tie_across: float  # ... of different origins
    helped: float
    introduced: float
    drains: float
    developmental: tuple[str, ...] = ()  # roles given for sure to the closest growth contacts
    commitments: tuple[str, ...] = field(default_factory=tuple)
    kept: tuple[bool | None, ...] = ()  # how they ticked last session's commitments
    purposes: dict[str, dict[str, float]] = field(default_factory=dict)  # per origin, if not
    roles: dict[str, list[str]] = field(default_factory=dict)  # ... the usual (PURPOSES, ROLES)
    tends_mentors: bool = True  # whether the developmental contacts are kept in touch


PROFILE_SPECS: dict[str, Profile] = {
    "builder": Profile(
        "builder", 24,
        {"current_job": 0.25, "former_job": 0.2, "profession": 0.3, "education": 0.1,
         "personal": 0.15},
        own_function=0.3, own_industry=0.3, quiet={"former_job": 0.15, "education": 0.2},
        tie_within=0.3, tie_across=0.03, helped=0.6, introduced=0.2, drains=0.0,
        developmental=("mentor", "way_shower", "community"),
        commitments=("Ask {label} for honest feedback on my plan for next year",
                     "Bring {label} to the next meetup of the product guild"),
        kept=(True, True),
    ),
    "insider": Profile(
        "insider", 18,
        {"current_job": 0.82, "former_job": 0.1, "personal": 0.08},
        own_function=0.8, own_industry=0.95, quiet={"former_job": 0.5},
        tie_within=0.75, tie_across=0.1, helped=0.45, introduced=0.05, drains=0.06,
        commitments=("Lunch with {label} to hear how their team works",
                     "Ask {label} how they keep in touch with people outside"),
        kept=(True, False),
        purposes={"current_job": {"company": 0.9, "both": 0.1},
                  "former_job": {"company": 0.6, "both": 0.4}},
        roles={"current_job": ["peer", "peer", "sponsor"]},
    ),
    "connector": Profile(
        "connector", 28,
        {"current_job": 0.2, "former_job": 0.2, "profession": 0.25, "education": 0.15,
         "personal": 0.2},
        own_function=0.2, own_industry=0.2, quiet={"former_job": 0.1, "education": 0.15},
        tie_within=0.2, tie_across=0.01, helped=0.55, introduced=0.45, drains=0.0,
        developmental=("mentor", "community"),
        commitments=("Introduce {label} to the analytics team",
                     "Send {label} the article on hybrid teams",
                     "Coffee with {label} before the conference"),
        kept=(True, True, None),
    ),
    "drifting": Profile(
        "drifting", 16,
        {"current_job": 0.25, "former_job": 0.4, "education": 0.2, "profession": 0.1,
         "personal": 0.05},
        own_function=0.5, own_industry=0.6,
        quiet={"former_job": 0.95, "education": 0.9, "profession": 0.7, "personal": 0.5},
        tie_within=0.35, tie_across=0.05, helped=0.7, introduced=0.25, drains=0.08,
        developmental=("mentor", "way_shower"), tends_mentors=False,
        commitments=("Call {label} to catch up after the move",
                     "Write to {label} about the reunion"),
        kept=(False, None),
    ),
}


def month(day: date, months_back: int) -> str:
    """The month ``months_back`` before ``day``, as YYYY-MM."""
    index = day.year * 12 + day.month - 1 - months_back
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _origins(profile: Profile, n: int) -> list[str]:
    """n origins in the profile's proportions (largest remainders), grouped by origin."""
    exact = {origin: weight * n / sum(profile.origins.values())
             for origin, weight in profile.origins.items()}
    counts = {origin: int(value) for origin, value in exact.items()}
    by_remainder = sorted(exact, key=lambda o: (counts[o] - exact[o], list(exact).index(o)))
    for origin in by_remainder[: n - sum(counts.values())]:
        counts[origin] += 1
    return [origin for origin in profile.origins for _ in range(counts[origin])]


def _labels(rng: random.Random, count: int) -> list[str]:
    names = rng.sample(FIRST_NAMES, k=min(count, len(FIRST_NAMES)))
    while len(names) < count:
        names.append(rng.choice(FIRST_NAMES))
    seen: set[str] = set()
    labels = []
    for name in names:
        label = f"{name} {rng.choice(SURNAME_INITIALS)}."
        while label in seen:
            label = f"{name} {rng.choice(SURNAME_INITIALS)}."
        seen.add(label)
        labels.append(label)
    return labels


def _contact(rng: random.Random, profile: Profile, origin: str, label: str, index: int,
             own: tuple[str, str], as_of: date) -> dict[str, Any]:
    own_function, own_industry = own
    work = origin in ("current_job", "former_job", "profession")
    roles = [rng.choice(profile.roles.get(origin) or ROLES[origin])]
    inside = origin == "current_job" and roles != ["client"]
    function = (own_function if work and rng.random() < profile.own_function
                else rng.choice([f for f in OTHER_FUNCTIONS if f != own_function]))
    industry = (own_industry if (inside or work) and rng.random() < profile.own_industry
                else rng.choice([i for i in OTHER_INDUSTRIES if i != own_industry]))
    if inside:
        industry = own_industry
    dormant = rng.random() < profile.quiet.get(origin, 0.0)
    since = rng.choice([12, 14, 18, 22, 30]) if dormant else rng.choice([0, 0, 1, 2, 3, 5, 8])
    purpose = _pick(rng, profile.purposes.get(origin) or PURPOSES[origin])
    qualities: list[str] = []
    if purpose != "company" or rng.random() < 0.3:
        qualities = rng.sample(["energizes", "nurtures", "challenges"], k=rng.choice([0, 1, 1, 2]))
    if rng.random() < profile.drains:
        qualities = ["drains"]
    return {
        "id": f"c{index + 1}",
        "label": label,
        "purpose": purpose,
        "roles": roles,
        "origin": origin,
        "organization": "inside" if inside else "outside",
        "function": function,
        "industry": industry,
        "qualities": qualities,
        "closeness": rng.choice([2, 3, 3, 4, 5]) if not dormant else rng.choice([2, 3, 4]),
        "last_contact": month(as_of, since),
        "i_helped": not dormant and rng.random() < profile.helped,
        "they_helped": not dormant and rng.random() < 0.5,
        "introduced": rng.random() < profile.introduced,
    }


def profile_map(rng: random.Random, profile_name: str, *, as_of: date,
                own_function: str = "Operations", own_industry: str = "Manufacturing",
                size: int | None = None) -> dict[str, Any]:
    """A map in the interchange format of DESIGN.md, drawn for one profile."""
    profile = PROFILE_SPECS[profile_name]
    n = size if size is not None else profile.size + rng.randint(-2, 2)
    origins = _origins(profile, n)
    labels = _labels(rng, n)
    contacts = [
        _contact(rng, profile, origin, labels[i], i, (own_function, own_industry), as_of)
        for i, origin in enumerate(origins)
    ]
    # The developmental roles go to the closest contacts there for growth.
    growth = sorted((c for c in contacts if c["purpose"] != "company"
                     and c["origin"] != "personal"), key=lambda c: -c["closeness"])
    for role, contact in zip(profile.developmental, growth, strict=False):
        contact["roles"] = [role]
        contact["qualities"] = sorted({*contact["qualities"], "challenges"} - {"drains"})
        if profile.tends_mentors:
            contact["last_contact"] = month(as_of, rng.choice([0, 1, 2]))
    for contact in contacts:
        if contact["origin"] == "personal":
            contact["roles"] = ["friend"]
    ties = [
        [a["id"], b["id"]]
        for i, a in enumerate(contacts)
        for b in contacts[i + 1:]
        if rng.random() < (profile.tie_within if a["origin"] == b["origin"]
                           else profile.tie_across)
    ]
    named = sorted(contacts, key=lambda c: (-c["closeness"], c["id"]))
    named = [c for c in named if "drains" not in c["qualities"]]
    commitments = [
        {"text": text.format(label=contact["label"]), "contact": contact["id"]}
        for text, contact in zip(profile.commitments, rng.sample(named[:8], k=len(named[:8])),
                                 strict=False)
    ]
    return {"contacts": contacts, "ties": ties, "commitments": commitments}


NEXT_COMMITMENTS = {
    "builder": ("Share my notes from the guild with {label}",),
    "insider": ("Go to an industry meetup outside the company with {label}",
                "Have a coffee with someone outside the company each month"),
    "connector": ("Introduce {label} to the new starters in the team",),
    "drifting": ("Send {label} one useful article this month",
                 "Put a monthly reminder in my calendar to write to one old colleague"),
}


def updated_map(rng: random.Random, profile_name: str, previous: dict[str, Any], *,
                as_of: date, own_function: str, own_industry: str) -> dict[str, Any]:
    """This month's update of last month's map, as the profile would make it.

    Contacts behind a kept commitment are in touch this month; a builder and a
    connector add people and reconnect; the drifting participant picks up one
    old tie; the insider adds one more colleague.
    """
    profile = PROFILE_SPECS[profile_name]
    contacts = [dict(c) for c in previous["contacts"]]
    by_id = {c["id"]: c for c in contacts}
    for commitment, kept in zip(previous.get("commitments", []), profile.kept, strict=False):
        contact = by_id.get(commitment.get("contact") or "")
        if kept and contact is not None:
            contact["last_contact"] = month(as_of, 0)
            contact["i_helped"] = True
    reconnect = {"builder": 2, "connector": 2, "drifting": 1, "insider": 0}[profile_name]
    dormant = sorted((c for c in contacts if c["last_contact"] <= month(as_of, 12)),
                     key=lambda c: (-c["closeness"], c["id"]))
    for contact in dormant[:reconnect]:
        contact["last_contact"] = month(as_of, 0)
    added_origins = {"builder": ["profession", "education"], "connector": ["profession",
                     "personal"], "drifting": ["current_job"], "insider": ["current_job"]}
    taken = {c["label"] for c in contacts}
    fresh = [label for label in _labels(rng, 12) if label not in taken]
    for offset, origin in enumerate(added_origins[profile_name]):
        contact = _contact(rng, profile, origin, fresh[offset], len(contacts),
                           (own_function, own_industry), as_of)
        contact["id"] = f"n{len(contacts) + 1}"
        contact["last_contact"] = month(as_of, 0)
        contacts.append(contact)
    closest = sorted((c for c in contacts if "drains" not in c["qualities"]),
                     key=lambda c: (-c["closeness"], c["id"]))
    commitments = []
    for text, contact in zip(NEXT_COMMITMENTS[profile_name], closest[3:], strict=False):
        if "{label}" in text:
            commitments.append({"text": text.format(label=contact["label"]),
                                "contact": contact["id"]})
        else:
            commitments.append({"text": text})
    return {"contacts": contacts, "ties": [list(t) for t in previous["ties"]],
            "commitments": commitments}


def review(profile_name: str, previous: dict[str, Any]) -> list[bool | None]:
    """How a participant of this profile ticked last session's commitments."""
    kept = PROFILE_SPECS[profile_name].kept
    return [kept[i] if i < len(kept) else None for i in range(len(previous["commitments"]))]
