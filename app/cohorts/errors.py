"""The cohorts domain's input error."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import ValidationError


class CohortError(ValueError):
    """Invalid cohort input. `errors` lists every problem, each naming its place."""

    def __init__(self, errors: Sequence[str]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(self.errors))


def pydantic_errors(exc: ValidationError, prefix: str) -> list[str]:
    messages = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"])
        message = str(error["msg"]).removeprefix("Value error, ")
        messages.append(f"{prefix}{where}: {message}" if where else f"{prefix}{message}")
    return messages
