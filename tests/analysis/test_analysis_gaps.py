from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from app.analysis import DEFAULT_GAP_IDS, MapAnalysis, NetworkMap, Program, advice, analyze_map
from tests.analysis.analysis_support import build_map, contact, healthy_contacts
from tests.texts import EN, IT, en, it

AS_OF = date(2025, 9, 15)


def gap_ids(analysis: MapAnalysis) -> list[str]:
    return [gap.id for gap in analysis.gaps]


def only_gap(analysis: MapAnalysis, gap_id: str) -> Any:
    matches = [gap for gap in analysis.gaps if gap.id == gap_id]
    assert len(matches) == 1, gap_ids(analysis)
    return matches[0]


def with_thresholds(program: Program, **changes: Any) -> Program:
    return program.model_copy(update={"thresholds": program.thresholds.model_copy(update=changes)})


def any_size(program: Program) -> Program:
    """The program with every map judged in full, to test one detector on a short map."""
    return with_thresholds(program, min_map_size=1)


def test_default_gap_ids() -> None:
    assert DEFAULT_GAP_IDS == (
        "resilience_deficit",
        "missing_developmental_roles",
        "dormant_ties",
        "insular_network",
        "narrow_network",
        "closed_network",
        "one_way_relationships",
        "not_a_connector",
        "no_personal_life",
        "draining_ties",
    )


def test_healthy_map_has_no_gaps(program: Program) -> None:
    analysis = analyze_map(build_map(healthy_contacts()), program, AS_OF)
    assert analysis.gaps == [], [(g.id, g.evidence) for g in analysis.gaps]


def test_empty_map_gets_a_small_sensible_set(program: Program) -> None:
    analysis = analyze_map(NetworkMap(), program, AS_OF)
    assert gap_ids(analysis)[0] == "map_too_small"
    assert set(gap_ids(analysis)) == {
        "map_too_small",
        "missing_developmental_roles",
        "no_personal_life",
    }
    too_small = only_gap(analysis, "map_too_small")
    assert too_small.severity == "high"
    assert "empty" in en(too_small.next_step) and "vuota" in it(too_small.next_step)
    assert [gap.severity for gap in analysis.gaps[1:]] == ["medium", "medium"]
    assert analysis.reconnect == []


def test_every_gap_carries_both_languages(program: Program) -> None:
    # A deliberately poor map that triggers every default gap.
    ids = "abcdef"
    contacts = [
        contact(
            c,
            purpose="company",
            roles=["client"],
            origin="current_job",
            organization="inside",
            function="Sales",
            industry="Retail",
            qualities=["drains"] if c in "ab" else ["challenges"],
            closeness=5 - i % 5,
            last_contact="2023-05" if c in "abc" else "2025-08",
            i_helped=False,
            they_helped=c in "cd",
            introduced=False,
        )
        for i, c in enumerate(ids)
    ]
    ties = [(x, y) for i, x in enumerate(ids) for y in ids[i + 1 :] if {x, y} != {"d", "e"}]
    analysis = analyze_map(build_map(contacts, ties), program, AS_OF)
    assert set(gap_ids(analysis)) == set(DEFAULT_GAP_IDS)
    scores = [gap.score for gap in analysis.gaps]
    assert scores == sorted(scores, reverse=True)
    known = {c["id"] for c in contacts}
    for gap in analysis.gaps:
        assert gap.severity in ("high", "medium", "low")
        assert 0.0 <= gap.score <= 1.0
        assert en(gap.title) and it(gap.title) and en(gap.title) != it(gap.title)
        assert en(gap.next_step) and it(gap.next_step)
        assert en(gap.next_step) != it(gap.next_step)
        assert gap.evidence
        assert set(gap.contacts) <= known
        for contact_id in gap.contacts:  # every named contact appears in the text
            label = f"L-{contact_id}"
            assert label in en(gap.next_step) and label in it(gap.next_step)
        data = gap.to_json(IT)
        assert list(data) == ["id", "title", "severity", "evidence", "next_step", "contacts"]
        assert data["title"] == it(gap.title)
    json.dumps(analysis.to_json(IT))


def test_dormant_gap_names_closest_dormant_contacts(program: Program) -> None:
    contacts = [
        contact("far", closeness=1, last_contact="2022-01"),
        contact("close_company", closeness=5, purpose="company", last_contact="2024-01"),
        contact("close_growth", closeness=5, purpose="growth", last_contact="2024-06"),
        contact("mid", closeness=3, last_contact="2024-02"),
        contact("recent", closeness=5, last_contact="2025-08"),
    ]
    analysis = analyze_map(build_map(contacts), program, AS_OF)
    assert [item.contact_id for item in analysis.reconnect] == [
        "close_growth",
        "close_company",
        "mid",
        "far",
    ]
    assert analysis.reconnect[0].months_since == 15
    gap = only_gap(analysis, "dormant_ties")
    assert gap.contacts == ["close_growth", "close_company", "mid"]
    assert "L-close_growth, L-close_company and L-mid" in en(gap.next_step)
    assert "L-close_growth, L-close_company e L-mid" in it(gap.next_step)
    assert gap.evidence["dormant_count"] == 4
    assert gap.evidence["dormant_share"] == pytest.approx(0.8)
    # (0.8 - 0.25) / (1 - 0.25) = 0.733...
    assert gap.score == pytest.approx(0.55 / 0.75)
    assert gap.severity == "high"


def test_thresholds_come_from_the_program(program: Program) -> None:
    contacts = healthy_contacts()
    m = build_map(contacts)
    assert "resilience_deficit" not in gap_ids(analyze_map(m, program, AS_OF))
    strict = with_thresholds(program, min_growth_share=0.9)
    gap = only_gap(analyze_map(m, strict, AS_OF), "resilience_deficit")
    assert gap.evidence["threshold"] == 0.9
    assert gap.evidence["growth_share"] == pytest.approx(0.7)
    shorter = with_thresholds(program, dormant_months=2)
    assert analyze_map(m, shorter, AS_OF).metrics["dormant_count"] == 10


def test_severity_grows_with_distance(program: Program) -> None:
    def resilience_for(growth: int) -> Any:
        contacts = [
            contact(f"c{i}", purpose="growth" if i < growth else "company") for i in range(20)
        ]
        return only_gap(analyze_map(build_map(contacts), program, AS_OF), "resilience_deficit")

    # score = (0.4 - growth_share) / 0.4; high from 0.5, medium from 0.25
    assert resilience_for(7).severity == "low"  # 0.35 -> 0.125
    assert resilience_for(5).severity == "medium"  # 0.25 -> 0.375
    assert resilience_for(3).severity == "high"  # 0.15 -> 0.625
    assert resilience_for(7).score < resilience_for(5).score < resilience_for(0).score == 1.0


def test_missing_roles_gap(program: Program) -> None:
    contacts = [
        contact("a", roles=["mentor"]),
        contact("b", roles=["peer"], qualities=["challenges"], closeness=5),
        contact("c", roles=["friend"]),
    ]
    gap = only_gap(analyze_map(build_map(contacts), program, AS_OF), "missing_developmental_roles")
    assert gap.evidence["missing"] == "way_shower, community"
    assert gap.score == pytest.approx(2 / 3)
    assert "Way-shower and Community of practice" in en(gap.next_step)
    assert "Apripista e Comunità di pratica" in it(gap.next_step)
    assert gap.contacts == ["b"]
    assert "L-b already challenges or supports you" in en(gap.next_step)


def test_insular_gap(program: Program) -> None:
    contacts = [contact(f"in{i}", organization="inside") for i in range(8)]
    contacts += [contact("out", organization="outside", closeness=4)]
    gap = only_gap(analyze_map(build_map(contacts), program, AS_OF), "insular_network")
    assert gap.evidence["inside"] == 8 and gap.evidence["outside"] == 1
    assert gap.evidence["ei_index"] == pytest.approx(-7 / 9)
    assert gap.contacts == ["out"]
    assert "8 of your 9 contacts work inside" in en(gap.next_step)
    assert "L-out, who already works elsewhere" in en(gap.next_step)


def test_narrow_gap_names_the_dominant_value_and_bridges(program: Program) -> None:
    contacts = [
        contact(f"c{i}", function=" finance ", industry="Banking", origin="current_job")
        for i in range(6)
    ]
    contacts.append(contact("other", function="Design", industry="Banking", origin="current_job"))
    gap = only_gap(analyze_map(build_map(contacts), program, AS_OF), "narrow_network")
    assert gap.evidence["narrowest"] in ("industry", "origin")
    assert gap.evidence["mean_iqv"] < 0.5
    assert "100%" in en(gap.next_step)


def test_narrow_gap_needs_filled_in_values(program: Program) -> None:
    # function and industry left blank: not judged as narrow for lack of data
    contacts = [
        contact(f"c{i}", function=None, industry=None, origin=o)
        for i, o in enumerate(["current_job", "former_job", "education", "personal"])
    ]
    analysis = analyze_map(build_map(contacts), program, AS_OF)
    assert "narrow_network" not in gap_ids(analysis)


def test_closed_gap_only_from_minimum_size(program: Program) -> None:
    ids = [f"c{i}" for i in range(6)]
    ties = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :]]
    contacts = [contact(c) for c in ids]
    contacts.append(contact("loner", closeness=1))
    gap = only_gap(analyze_map(build_map(contacts, ties), program, AS_OF), "closed_network")
    assert gap.contacts == ["loner"]
    assert gap.evidence["density"] == pytest.approx(15 / 21)
    small = build_map([contact("a"), contact("b")], [("a", "b")])
    assert "closed_network" not in gap_ids(analyze_map(small, program, AS_OF))


def test_one_way_gap_names_people_who_helped(program: Program) -> None:
    contacts = [
        contact("giver", i_helped=False, they_helped=True, closeness=2),
        contact("quiet", i_helped=False, they_helped=False, closeness=5),
        contact("both", i_helped=True, they_helped=True),
        contact("x", i_helped=False, they_helped=False),
        contact("y", i_helped=False, they_helped=False),
    ]
    gap = only_gap(analyze_map(build_map(contacts), program, AS_OF), "one_way_relationships")
    assert gap.contacts == ["giver"]
    assert gap.evidence["helped_share"] == pytest.approx(0.2)
    assert gap.evidence["helped_by_share"] == pytest.approx(0.4)
    assert "il 20%" in it(gap.next_step) and "il 40%" in it(gap.next_step)


def test_connector_gap_suggests_an_untied_pair(program: Program) -> None:
    contacts = [
        contact("a", introduced=False, closeness=5),
        contact("b", introduced=False, closeness=5),
        contact("c", introduced=False, closeness=4),
    ]
    m = build_map(contacts, [("a", "b")])
    gap = only_gap(analyze_map(m, any_size(program), AS_OF), "not_a_connector")
    assert gap.contacts == ["a", "c"]
    assert "L-a and L-c, who don't know each other yet" in en(gap.next_step)


def test_personal_life_counts_origin_or_friend_role(program: Program) -> None:
    work = [contact(f"w{i}", origin="current_job", roles=["peer"]) for i in range(3)]
    assert "no_personal_life" in gap_ids(analyze_map(build_map(work), program, AS_OF))
    friend = [*work, contact("f", origin="education", roles=["friend"])]
    assert "no_personal_life" not in gap_ids(analyze_map(build_map(friend), program, AS_OF))
    neighbour = [*work, contact("n", origin="personal", roles=["peer"])]
    assert "no_personal_life" not in gap_ids(analyze_map(build_map(neighbour), program, AS_OF))
    two = with_thresholds(program, min_personal_contacts=2)
    gap = only_gap(analyze_map(build_map(friend), two, AS_OF), "no_personal_life")
    assert gap.score == 0.5 and "Only 1 of your contacts comes" in en(gap.next_step)


def test_draining_gap_names_drainers_and_an_energizer(program: Program) -> None:
    contacts = [
        contact("d1", qualities=["drains"], closeness=2),
        contact("d2", qualities=["drains"], closeness=4),
        contact("e", qualities=["energizes"], closeness=5),
        contact("n", qualities=[]),
    ]
    gap = only_gap(analyze_map(build_map(contacts), any_size(program), AS_OF), "draining_ties")
    assert gap.contacts == ["d2", "d1", "e"]
    assert "2 of your contacts leave you drained (L-d2 and L-d1)" in en(gap.next_step)
    assert "(per esempio L-e)" in it(gap.next_step)


def test_text_helpers() -> None:
    assert EN.join([]) == ""
    assert EN.join(["A"]) == "A"
    assert EN.join(["A", "B", "C"]) == "A, B and C"
    assert IT.join(["A", "B"]) == "A e B"
    assert EN.percent(0.33) == "33%"
    assert [IT.percent(v) for v in (0, 0.01, 0.08, 0.11, 0.33, 0.8, 0.89, 1.0)] == [
        "lo 0%",
        "l'1%",
        "l'8%",
        "l'11%",
        "il 33%",
        "l'80%",
        "l'89%",
        "il 100%",
    ]


def test_dormant_next_step_skips_draining_contacts(program: Program) -> None:
    contacts = [
        contact("drainer", qualities=["drains"], closeness=5, last_contact="2023-01"),
        contact("friendly", qualities=["energizes"], closeness=2, last_contact="2023-01"),
        contact("recent", last_contact="2025-08"),
    ]
    analysis = analyze_map(build_map(contacts), any_size(program), AS_OF)
    assert [item.contact_id for item in analysis.reconnect] == ["friendly"]
    gap = only_gap(analysis, "dormant_ties")
    assert gap.contacts == ["friendly"]
    assert "the dormant contact you were closest to" in en(gap.next_step)
    assert "il contatto dormiente con cui" in it(gap.next_step)

    only_drainers = [contacts[0], contacts[2]]
    analysis = analyze_map(build_map(only_drainers), any_size(program), AS_OF)
    assert analysis.reconnect == []
    gap = only_gap(analysis, "dormant_ties")
    assert gap.contacts == []
    assert "Pick the dormant contact" in en(gap.next_step)
    assert ", ," not in en(gap.next_step) and "to ," not in en(gap.next_step)


def test_zero_shares_read_naturally(program: Program) -> None:
    contacts = [contact(c, purpose="company", i_helped=False) for c in "abc"]
    analysis = analyze_map(build_map(contacts), any_size(program), AS_OF)
    resilience = only_gap(analysis, "resilience_deficit")
    assert en(resilience.next_step).startswith("None of your contacts")
    assert it(resilience.next_step).startswith("Nessuno dei tuoi contatti")
    one_way = only_gap(analysis, "one_way_relationships")
    assert "you helped none of your contacts" in en(one_way.next_step)
    assert "non hai aiutato nessuno" in it(one_way.next_step)
    for gap in analysis.gaps:
        assert " 0%" not in en(gap.next_step)


@pytest.mark.parametrize(("inside", "size", "en", "it"), [
    (8, 8, "All 8 of your contacts work", "Tutti e 8 i tuoi contatti lavorano"),
    (7, 8, "7 of your 8 contacts work", "7 dei tuoi 8 contatti lavorano"),
    (1, 1, "Your one contact works", "Il tuo unico contatto lavora"),
])
def test_insular_wording_reads_naturally(inside: int, size: int, en: str, it: str) -> None:
    text = advice.insular_network(inside, size, [])
    assert EN(text).startswith(en) and IT(text).startswith(it)
