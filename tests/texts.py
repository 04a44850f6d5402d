"""The analysis's messages rendered as a reader sees them, for assertions."""

from __future__ import annotations

from app.analysis.text import Message, Texts
from app.reports.rendering.formatting import texts

EN: Texts = texts("en")
IT: Texts = texts("it")


def en(message: Message) -> str:
    return EN(message)


def it(message: Message) -> str:
    return IT(message)
