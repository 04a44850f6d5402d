"""Domain errors: what a service raises when it cannot do what was asked.

Services raise these and never build HTTP responses; the app's exception
handlers (app/core/handlers.py) turn them into 404, 409 and 422 answers in one
place, and the CLI turns them into exit code 2 with a one-line reason.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import ValidationError


class NotFound(LookupError):
    """No such object, or not one the caller may see: the same answer for both."""


class Conflict(Exception):
    """The request clashes with the current state (e.g. something was created twice)."""


class Invalid(ValueError):
    """Invalid input. `errors` lists every problem, each as "field: what is wrong"."""

    def __init__(self, errors: Sequence[str] | str) -> None:
        self.errors = [errors] if isinstance(errors, str) else list(errors)
        super().__init__("; ".join(self.errors))


def pydantic_errors(exc: ValidationError, prefix: str = "") -> list[str]:
    """A pydantic ValidationError as "field: problem" lines."""
    messages = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"])
        message = str(error["msg"]).removeprefix("Value error, ")
        messages.append(f"{prefix}{where}: {message}" if where else f"{prefix}{message}")
    return messages
