"""Shapes every API shares."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


def examples(*items: dict[str, Any]) -> ConfigDict:
    """A model config whose JSON schema carries these examples (shown at /docs)."""
    return ConfigDict(json_schema_extra={"examples": list(items)})


class ErrorMessage(BaseModel):
    model_config = examples({"detail": "cohort 42: not found"})

    detail: str


Responses = dict[int | str, dict[str, Any]]

SESSION_ERRORS: Responses = {
    401: {"model": ErrorMessage, "description": "Not signed in"},
    404: {"model": ErrorMessage, "description": "No such session among your cohorts"},
}
PDF_RESPONSES: Responses = {
    200: {"content": {"application/pdf": {}}, "description": "The PDF"},
    304: {"description": "Not modified (ETag)"},
}
ZIP_RESPONSES: Responses = {
    200: {"content": {"application/zip": {}}, "description": "A ZIP archive"}
}
CSV_RESPONSES: Responses = {
    200: {"content": {"text/csv": {}}, "description": "CSV (UTF-8 with BOM)"}
}
