from __future__ import annotations

import csv
import io
from pathlib import Path

import networkx as nx

from app.analysis import NetworkMap, egor_tables, graphml
from app.analysis.exports import ALTER_COLUMNS
from tests.analysis.analysis_support import build_map, contact


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def sample_map() -> NetworkMap:
    return build_map(
        [
            contact("a", label="M.R. & <co>", roles=["mentor", "peer"], closeness=4),
            contact("b", label="Zoë", i_helped=False, function=None, qualities=[]),
            contact("c", label="N.D."),
        ],
        ties=[("a", "b"), ("b", "c")],
    )


def test_graphml_round_trips_through_networkx(tmp_path: Path) -> None:
    path = tmp_path / "map.graphml"
    path.write_text(graphml(sample_map(), ego_label="Participant 7"), encoding="utf-8")
    graph = nx.read_graphml(path)
    assert set(graph.nodes) == {"ego", "a", "b", "c"}
    assert graph.number_of_edges() == 3 + 2
    assert graph.nodes["ego"] == {"label": "Participant 7", "kind": "ego"}
    a = graph.nodes["a"]
    assert a["label"] == "M.R. & <co>"
    assert a["roles"] == "mentor;peer"
    assert a["closeness"] == 4 and isinstance(a["closeness"], int)
    assert a["i_helped"] is True
    assert graph.nodes["b"]["i_helped"] is False
    assert "function" not in graph.nodes["b"]  # missing values are left out
    assert graph.edges["ego", "a"]["kind"] == "ego"
    assert graph.edges["a", "b"]["kind"] == "tie"
    assert not graph.is_directed()


def test_graphml_ego_id_never_collides() -> None:
    m = build_map([contact("ego"), contact("ego_")])
    graph = nx.parse_graphml(graphml(m))
    assert set(graph.nodes) == {"ego", "ego_", "ego__"}
    assert graph.nodes["ego__"]["kind"] == "ego"
    assert graph.nodes["ego"]["kind"] == "contact"


def test_graphml_of_empty_map() -> None:
    graph = nx.parse_graphml(graphml(NetworkMap()))
    assert list(graph.nodes) == ["ego"]


def test_egor_tables() -> None:
    maps = {"p1": sample_map(), "p2": build_map([contact("x")])}
    tables = egor_tables(maps, {"p1": {"organization": "Banca", "cohort": 1}, "p2": {}})
    assert set(tables) == {"egos.csv", "alters.csv", "alter_ties.csv"}

    egos = rows(tables["egos.csv"])
    assert egos == [
        {"egoID": "p1", "organization": "Banca", "cohort": "1"},
        {"egoID": "p2", "organization": "", "cohort": ""},
    ]

    alters = rows(tables["alters.csv"])
    assert list(alters[0]) == ["egoID", "alterID", *ALTER_COLUMNS]
    assert [(r["egoID"], r["alterID"]) for r in alters] == [
        ("p1", "a"),
        ("p1", "b"),
        ("p1", "c"),
        ("p2", "x"),
    ]
    assert alters[0]["roles"] == "mentor;peer"
    assert alters[0]["i_helped"] == "TRUE" and alters[1]["i_helped"] == "FALSE"
    assert alters[1]["function"] == "" and alters[1]["qualities"] == ""
    assert "label" not in alters[0]
    for label in ("M.R.", "Zoë", "N.D."):
        assert label not in tables["alters.csv"]

    ties = rows(tables["alter_ties.csv"])
    assert ties == [
        {"egoID": "p1", "Source": "a", "Target": "b"},
        {"egoID": "p1", "Source": "b", "Target": "c"},
    ]


def test_egor_tables_without_ego_attributes() -> None:
    tables = egor_tables({"p1": NetworkMap()})
    assert tables["egos.csv"].splitlines() == ["egoID", "p1"]
    assert tables["alters.csv"].splitlines()[1:] == []
