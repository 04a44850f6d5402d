"""Exports for researchers: egor-style CSV tables and GraphML.

egor (the R package for ego-centred network analysis) reads three tables:
egos, alters (one row per ego-alter pair) and alter-alter ties. Lists are
joined with ";", booleans are written TRUE/FALSE (R's logicals), missing
values are empty cells. Contact labels are left out of the CSV tables so a
research dataset carries no nicknames or initials; GraphML, which is one
participant's own graph, keeps them as node labels.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from xml.etree import ElementTree as ET

from app.analysis.measures import distinct_ties
from app.analysis.model import Contact, NetworkMap
from app.analysis.program import CONTACT_FIELDS

# Every contact field but the participant's own id and label: labels stay private.
ALTER_COLUMNS: tuple[str, ...] = tuple(f for f in CONTACT_FIELDS if f not in ("id", "label"))
_GRAPHML_TYPES: dict[str, str] = {
    "label": "string",
    "kind": "string",
    **dict.fromkeys(ALTER_COLUMNS, "string"),
    "closeness": "int",
    "i_helped": "boolean",
    "they_helped": "boolean",
    "introduced": "boolean",
}
# Characters XML 1.0 cannot carry at all.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, list | tuple):
        return ";".join(str(item) for item in value)
    return str(value)


def _csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([_cell(value) for value in row] for row in rows)
    return buffer.getvalue()


def egor_tables(
    maps: Mapping[str, NetworkMap], egos: Mapping[str, dict[str, Any]] | None = None
) -> dict[str, str]:
    """A session's maps as egor-style tables, keyed by participant (ego) id.

    Returns ``{"egos.csv", "alters.csv", "alter_ties.csv"}``:
    - egos.csv: ``egoID`` and the attributes given in ``egos`` (any keys,
      columns in first-seen order), one row per map;
    - alters.csv: ``egoID, alterID`` and the contact fields except the label;
    - alter_ties.csv: ``egoID, Source, Target``, distinct ties only.
    """
    egos = egos or {}
    ego_columns: list[str] = []
    for pid in maps:
        for key in egos.get(pid, {}):
            if key not in ego_columns and key != "egoID":
                ego_columns.append(key)
    ego_rows = [[pid, *(egos.get(pid, {}).get(key) for key in ego_columns)] for pid in maps]
    alter_rows = [
        [pid, contact.id, *(getattr(contact, column) for column in ALTER_COLUMNS)]
        for pid, m in maps.items()
        for contact in m.contacts
    ]
    tie_rows = [
        [pid, first, second] for pid, m in maps.items() for first, second in distinct_ties(m)
    ]
    return {
        "egos.csv": _csv(["egoID", *ego_columns], ego_rows),
        "alters.csv": _csv(["egoID", "alterID", *ALTER_COLUMNS], alter_rows),
        "alter_ties.csv": _csv(["egoID", "Source", "Target"], tie_rows),
    }


def _xml_text(value: str) -> str:
    return _XML_INVALID.sub("", value)


def _graphml_value(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return _xml_text(";".join(value)) if value else None
    return _xml_text(str(value))


def graphml(m: NetworkMap, ego_label: str = "ego") -> str:
    """One map as GraphML: ego and contacts as nodes, ego-contact and contact ties as edges.

    Contacts keep their ids as node ids and their fields as node attributes
    (lists joined with ";"); ego's node id is "ego" (with "_" appended while a
    contact already uses it) and its ``kind`` is "ego". Edges carry ``kind``
    "ego" (ego to contact) or "tie" (contact to contact). Readable by
    ``networkx.read_graphml`` and Gephi.
    """
    ET.register_namespace("", GRAPHML_NS)
    root = ET.Element(f"{{{GRAPHML_NS}}}graphml")
    for name, kind in _GRAPHML_TYPES.items():
        ET.SubElement(
            root,
            f"{{{GRAPHML_NS}}}key",
            {"id": f"n_{name}", "for": "node", "attr.name": name, "attr.type": kind},
        )
    ET.SubElement(
        root,
        f"{{{GRAPHML_NS}}}key",
        {"id": "e_kind", "for": "edge", "attr.name": "kind", "attr.type": "string"},
    )
    graph = ET.SubElement(root, f"{{{GRAPHML_NS}}}graph", {"id": "G", "edgedefault": "undirected"})

    ids = {contact.id for contact in m.contacts}
    ego_id = "ego"
    while ego_id in ids:
        ego_id += "_"
    _node(graph, ego_id, {"label": ego_label, "kind": "ego"})
    for contact in m.contacts:
        _node(graph, contact.id, _contact_attributes(contact))
    for contact in m.contacts:
        _edge(graph, ego_id, contact.id, "ego")
    for first, second in distinct_ties(m):
        _edge(graph, first, second, "tie")
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def _contact_attributes(contact: Contact) -> dict[str, Any]:
    attributes: dict[str, Any] = {"label": contact.label, "kind": "contact"}
    attributes.update({column: getattr(contact, column) for column in ALTER_COLUMNS})
    return attributes


def _node(graph: ET.Element, node_id: str, attributes: Mapping[str, Any]) -> None:
    node = ET.SubElement(graph, f"{{{GRAPHML_NS}}}node", {"id": _xml_text(node_id)})
    for name, value in attributes.items():
        text = _graphml_value(value)
        if text is not None:
            ET.SubElement(node, f"{{{GRAPHML_NS}}}data", {"key": f"n_{name}"}).text = text


def _edge(graph: ET.Element, source: str, target: str, kind: str) -> None:
    edge = ET.SubElement(
        graph,
        f"{{{GRAPHML_NS}}}edge",
        {"source": _xml_text(source), "target": _xml_text(target)},
    )
    ET.SubElement(edge, f"{{{GRAPHML_NS}}}data", {"key": "e_kind"}).text = kind
