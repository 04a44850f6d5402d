"""The pack's cover: what is in it, and on which pages of the pack each report starts."""

from __future__ import annotations

from typing import Any

from app.analysis import Program
from app.reports.rendering.common import page_meta
from app.reports.rendering.formatting import Formatter


def cover_context(inputs: dict[str, Any]) -> dict[str, Any]:
    """`inputs`: the group report's inputs plus ``entries`` [{title, first, last}] (pack pages)."""
    program = Program.model_validate(inputs["program"])
    fmt = Formatter(inputs["language"])
    ctx = page_meta(inputs, fmt, program)
    entries = [
        {
            "title": entry["title"],
            "pages": (fmt._("page %(n)s") % {"n": entry["first"]} if entry["first"] == entry["last"]
                      else fmt._("pages %(first)s–%(last)s") % {"first": entry["first"],
                                                                 "last": entry["last"]}),
        }
        for entry in inputs["entries"]
    ]
    ctx.update(
        document_title=fmt._("Session pack") + f" · {inputs['cohort']['name']}",
        entries=entries,
        reports=max(0, len(entries) - 1),
    )
    return ctx
