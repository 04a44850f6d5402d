"""Numbers, dates and words in the report's language (Babel + the reports catalog)."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from app.analysis.text import Message, Texts
from app.core.i18n import N_, get_translations, normalize_language

__all__ = ["N_", "Formatter", "texts"]


def texts(lang: str) -> Texts:
    """The analysis's messages (gap titles, next steps) rendered with the catalog of ``lang``."""
    code = normalize_language(lang)
    return Texts(code, get_translations(code))


class Formatter:
    """Everything language-dependent that charts and context builders need."""

    def __init__(self, lang: str) -> None:
        self.lang = normalize_language(lang)
        self._translations = get_translations(self.lang)
        self.texts = texts(self.lang)

    def _(self, message: str) -> str:
        return str(self._translations.gettext(message))

    def n_(self, singular: str, plural: str, n: int) -> str:
        return str(self._translations.ngettext(singular, plural, n))

    def text(self, message: Message) -> str:
        """A message of the analysis (a gap's title or next step) in this language."""
        return self.texts(message)

    def pct(self, value: float | None) -> str:
        if value is None:
            return "–"
        return str(format_percent(value, format="#,##0%", locale=self.lang))

    def pct_the(self, value: float | None) -> str:
        """A share as a noun: "24%" in English, with its article in Italian.

        Italian puts the article before a percentage and chooses it by how the
        number is read: "lo 0%" (zero), "l'8%", "l'11%", "l'80%" (otto, undici,
        ottanta), "il 24%". Translations write "{share}" where English has no
        article and Italian needs one.
        """
        text = self.pct(value)
        if self.lang != "it" or value is None:
            return text
        digits = "".join(ch for ch in text if ch.isdigit())
        if digits == "0":
            return "lo " + text
        if digits in ("1", "8", "11") or (len(digits) == 2 and digits[0] == "8"):
            return "l'" + text
        return "il " + text

    @staticmethod
    def sentence(text: str) -> str:
        """The first letter upper-case: "l'83% dei…" opens a sentence as "L'83% dei…"."""
        return text[:1].upper() + text[1:]

    def dec(self, value: float | None, digits: int = 2) -> str:
        if value is None:
            return "–"
        pattern = "#,##0." + "0" * digits if digits else "#,##0"
        return str(format_decimal(value, format=pattern, locale=self.lang))

    def signed(self, value: float, *, percent: bool = False, digits: int = 1) -> str:
        """A change: "+12 pts" for shares (percentage points), "+1.5" for counts."""
        if percent:
            points = round(value * 100)
            sign = "+" if points > 0 else ("−" if points < 0 else "±")
            unit = self._("pts")
            return f"{sign}{abs(points)} {unit}"
        rounded = round(value, digits)
        sign = "+" if rounded > 0 else ("−" if rounded < 0 else "±")
        text = self.dec(abs(rounded), digits if rounded != int(rounded) else 0)
        return f"{sign}{text}"

    def day(self, value: date) -> str:
        return str(format_date(value, format="long", locale=self.lang))

    def month(self, value: date) -> str:
        return str(format_date(value, format="MMMM y", locale=self.lang))
