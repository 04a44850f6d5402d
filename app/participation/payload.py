"""Strict reading of untrusted map JSON, before the analysis core sees it.

Python's json module accepts NaN and Infinity, lets a repeated key silently
overwrite the first, and turns 1e999 into infinity. None of that is JSON a
participant's client should send, so each is refused with a message that
names the place. Text may hold any Unicode a person types (emoji, right-to-left
marks, combining accents) but no NUL or other control characters: PostgreSQL
cannot store NUL, and the rest only hides what a label really says.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

MAX_DEPTH = 12
# Control characters, and lone UTF-16 surrogates ("\\udfff" is valid JSON, not valid text).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


class PayloadError(ValueError):
    """A request body that is not acceptable JSON; `errors` are `path: problem` lines."""

    def __init__(self, errors: list[str], *, status_code: int = 422) -> None:
        self.errors = list(errors)
        self.status_code = status_code
        super().__init__("; ".join(self.errors))


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):  # a key repeated: name the first one
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return result


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text[:20]} is too large")
    return value


def parse_json(raw: bytes) -> Any:
    """Decode a JSON body strictly, then check every string in it."""
    if not raw.strip():
        raise PayloadError(["body: expected a JSON object, got an empty body"], status_code=400)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PayloadError([f"body: not valid UTF-8 (byte {exc.start})"], status_code=400) from exc
    try:
        data = json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_constant=_reject_constant,
            parse_float=_finite_float,
        )
    except _DuplicateKey as exc:
        raise PayloadError([f"body: the field {exc.args[0]!r} appears twice"]) from exc
    except RecursionError as exc:
        raise PayloadError(["body: nested too deeply"]) from exc
    except ValueError as exc:  # JSONDecodeError, NaN, huge numbers, huge integers
        raise PayloadError([f"body: not valid JSON ({_short(exc)})"], status_code=400) from exc
    if _SUSPECT_TEXT.search(text) is None and _plainly_valid(data):
        return data  # what check_values would say, without walking it by path
    errors: list[str] = []
    check_values(data, "", errors, depth=0)
    if errors:
        raise PayloadError(errors)
    return data


# A decoded string can hold a control character or a lone surrogate only if the text has
# it raw (DEL; the others are refused by the JSON parser, and UTF-8 cannot encode a
# surrogate) or as an escape (\b, \f, \u0000-\u001f, \u007f, \ud800-\udfff). This
# finds every such place, and a few harmless ones (an escaped backslash before "u001f",
# a tab written \u0009): those are then checked one by one, as any body is when this
# finds something.
_SUSPECT_TEXT = re.compile(r"\x7f|\\(?:[bf]|u(?:00[01]|007[fF]|[dD][89a-fA-F]))")
_MAX_SAFE_INT = 2**53


def _plainly_valid(data: Any) -> bool:
    """True when `check_values` would find nothing to say about the numbers and the
    depth of `data` (a fast walk, no paths). False means: walk it with check_values."""
    if isinstance(data, dict | list):
        return _plain_container(data, 0)
    return not (type(data) is int and abs(data) > _MAX_SAFE_INT)


def _plain_container(value: dict[str, Any] | list[Any], depth: int) -> bool:
    items = value.values() if isinstance(value, dict) else value
    child_depth = depth + 1
    for item in items:
        if child_depth > MAX_DEPTH:
            return False
        if isinstance(item, dict | list):
            if not _plain_container(item, child_depth):
                return False
        elif type(item) is int and abs(item) > _MAX_SAFE_INT:
            return False
    return True


def check_values(value: Any, path: str, errors: list[str], *, depth: int) -> None:
    """Collect `path: problem` for control characters in text and numbers out of range."""
    if depth > MAX_DEPTH:
        errors.append(f"{path or 'body'}: nested too deeply")
        return
    if isinstance(value, str):
        if _CONTROL.search(value):
            errors.append(f"{path or 'body'}: must not contain control characters such as NUL")
    elif isinstance(value, bool):
        return
    elif isinstance(value, int):
        if abs(value) > 2**53:
            errors.append(f"{path or 'body'}: number too large")
    elif isinstance(value, dict):
        for key, item in value.items():
            if _CONTROL.search(key):
                errors.append(f"{path or 'body'}: a field name contains control characters")
                continue
            check_values(item, f"{path}.{key}" if path else key, errors, depth=depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            check_values(item, f"{path}[{index}]", errors, depth=depth + 1)


def _short(exc: ValueError) -> str:
    message = str(exc)
    return message if len(message) <= 120 else message[:117] + "..."
