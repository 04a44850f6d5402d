"""Translatable text of the analysis: messages that are rendered where they are shown.

The analysis core imports nothing else from the app, so it cannot open the Babel
catalog. It returns :class:`Message` values instead: an English message id, an
optional plural form and count, and named parameters, which may themselves be
messages, shares, decimals or lists of names. The app renders them in one
language with the catalog (``app.core.i18n.texts(lang)``), exactly as it
renders its own strings; ``bin/i18n`` extracts the message ids from the calls to
:func:`_` and :func:`ngettext` in this package, like any other ``gettext`` call.

This is the lazy-gettext pattern: the words are chosen where the facts are
known, and translated where the reader's language is known.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from babel.numbers import format_decimal


@dataclass(frozen=True)
class Share:
    """A share in [0, 1] printed as a whole percentage.

    In Italian a percentage in a sentence takes its article ("il 33%", "l'80%",
    "lo 0%"), so the advice's Italian sentences are written without one.
    """

    value: float


@dataclass(frozen=True)
class Decimal2:
    """A number printed with two decimals in the reader's convention (0.40, 0,40)."""

    value: float


@dataclass(frozen=True)
class Names:
    """Contact labels or option labels joined as "A, B and C" in the reader's language.

    Each item is plain text (a contact's label, shown as typed) or a message.
    """

    items: tuple[str | Label | Message, ...]

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)


@dataclass(frozen=True)
class Label:
    """A label the program file gives in several languages, e.g. an option's name.

    It is data, not a message of the catalog: the language falls back to English.
    """

    translations: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, text: Mapping[str, str]) -> Label:
        return cls(tuple(text.items()))

    def get(self, lang: str) -> str:
        found = dict(self.translations)
        return found.get(lang) or found.get("en") or next(iter(found.values()), "")


Param = str | int | Share | Decimal2 | Names | Label


@dataclass(frozen=True)
class Message:
    """A message id with its parameters, translated only when it is rendered."""

    msgid: str
    plural: str | None = None
    n: int | None = None
    params: tuple[tuple[str, Param | Message], ...] = ()


def _(msgid: str, /, **params: Param | Message) -> Message:
    """A message to translate; ``%(name)s`` placeholders take ``params``."""
    return Message(msgid, params=tuple(params.items()))


def ngettext(singular: str, plural: str, n: int, /, **params: Param | Message) -> Message:
    """A message with plural forms chosen by ``n``, which is also the ``%(n)s`` parameter."""
    return Message(singular, plural, n, tuple({"n": n, **params}.items()))


def names(items: Sequence[str | Label | Message]) -> Names:
    return Names(tuple(items))


class Catalog(Protocol):
    """What rendering needs of a translation catalog (Babel's Translations has it)."""

    def gettext(self, message: str, /) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int, /) -> str: ...


@dataclass(frozen=True)
class Texts:
    """Renders messages in one language with that language's catalog."""

    lang: str
    catalog: Catalog

    def __call__(self, message: Message) -> str:
        if not message.msgid:
            return ""  # an empty clause; gettext("") would return the catalog's header
        if message.plural is not None and message.n is not None:
            template = self.catalog.ngettext(message.msgid, message.plural, message.n)
        else:
            template = self.catalog.gettext(message.msgid)
        if not message.params:
            return template
        return template % {key: self._format(value) for key, value in message.params}

    def _format(self, value: Param | Message) -> str | int:
        if isinstance(value, Message):
            return self(value)
        if isinstance(value, Share):
            return self.percent(value.value)
        if isinstance(value, Decimal2):
            return format_decimal(value.value, format="0.00", locale=self.lang)
        if isinstance(value, Names):
            return self.join([self._format(item) if not isinstance(item, str) else item
                              for item in value.items])
        if isinstance(value, Label):
            return value.get(self.lang)
        return value

    def percent(self, share: float) -> str:
        """A whole percentage; in Italian with its article ("il 33%", "l'80%", "lo 0%")."""
        number = round(share * 100)
        if self.lang != "it":
            return f"{number}%"
        if number == 0:
            return "lo 0%"
        if number in (1, 8, 11) or 80 <= number <= 89:
            return f"l'{number}%"
        return f"il {number}%"

    def join(self, items: Sequence[str | int]) -> str:
        """"A", "A and B", "A, B and C" (the conjunction comes from the catalog)."""
        words = [str(item) for item in items]
        if len(words) <= 1:
            return "".join(words)
        return self.catalog.gettext("%(items)s and %(last)s") % {
            "items": ", ".join(words[:-1]), "last": words[-1],
        }
