"""Shared test data and builders for the analysis tests (imported by test modules)."""

from __future__ import annotations

from typing import Any

from app.analysis import NetworkMap, parse_map

DESIGN_EXAMPLE: dict[str, Any] = {
    "contacts": [
        {
            "id": "a",
            "label": "M.R.",
            "purpose": "growth",
            "roles": ["mentor"],
            "origin": "former_job",
            "organization": "outside",
            "function": "Finance",
            "industry": "Health",
            "qualities": ["energizes"],
            "closeness": 4,
            "last_contact": "2025-09",
            "i_helped": True,
            "they_helped": False,
            "introduced": False,
        }
    ],
    "ties": [],
    "commitments": [{"text": "Lunch with M.R.", "contact": "a"}],
}


def contact(contact_id: str, **fields: Any) -> dict[str, Any]:
    """A contact with every field filled in; keyword arguments override."""
    data: dict[str, Any] = {
        "id": contact_id,
        "label": f"L-{contact_id}",
        "purpose": "growth",
        "roles": ["peer"],
        "origin": "profession",
        "organization": "outside",
        "function": "Finance",
        "industry": "Health",
        "qualities": ["energizes"],
        "closeness": 3,
        "last_contact": "2025-08",
        "i_helped": True,
        "they_helped": True,
        "introduced": True,
    }
    data.update(fields)
    return data


def build_map(
    contacts: list[dict[str, Any]],
    ties: list[tuple[str, str]] | None = None,
    commitments: list[dict[str, Any]] | None = None,
) -> NetworkMap:
    data = {
        "contacts": contacts,
        "ties": [list(tie) for tie in ties or []],
        "commitments": commitments or [],
    }
    return parse_map(data).map


def healthy_contacts() -> list[dict[str, Any]]:
    """Ten contacts that pass every default threshold as of 2025-09-15."""
    functions = ["Finance", "Sales", "HR", "IT", "Legal", "Marketing", "Design", "Ops", "R&D", "PR"]
    industries = ["Health", "Banking", "Retail", "Energy", "Media"]
    origins = ["current_job", "former_job", "profession", "education", "personal"]
    roles = [
        ["mentor"],
        ["way_shower"],
        ["community"],
        ["friend"],
        ["peer"],
        ["client"],
        ["sponsor"],
        ["industry"],
        ["peer"],
        ["community"],
    ]
    return [
        contact(
            f"h{i}",
            purpose=["growth", "both", "company"][i % 3],
            roles=roles[i],
            origin=origins[i % 5],
            organization="inside" if i % 2 else "outside",
            function=functions[i],
            industry=industries[i % 5],
            qualities=["energizes"] if i % 2 else ["challenges", "nurtures"],
            closeness=1 + i % 5,
            last_contact="2025-06",
            i_helped=i % 2 == 0,
            they_helped=True,
            introduced=i % 3 == 0,
        )
        for i in range(10)
    ]
