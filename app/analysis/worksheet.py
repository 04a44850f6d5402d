"""The paper worksheet's layout, shared by the printed sheet and the entry grid.

One row per person, the columns in SHEET_COLUMNS order; a choice from one of the
program's lists is written as its number in that list (1, 2, 3 ...), several
choices as several numbers ("1 4"). The printed key and the grid take their codes
from the same program, so an adapted program prints, and reads back, its own sheet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.analysis.program import Program

SHEET_ROWS = 15
SHEET_COMMITMENTS = 3


@dataclass(frozen=True)
class SheetColumn:
    name: str  # the map field (or "knows": the row numbers of the people this one knows)
    kind: str  # text | choice | choices | closeness | month | flag | rows
    options: str = ""  # the program's list, for choice and choices


SHEET_COLUMNS: tuple[SheetColumn, ...] = (
    SheetColumn("label", "text"),
    SheetColumn("purpose", "choice", "purposes"),
    SheetColumn("organization", "choice", "organizations"),
    SheetColumn("origin", "choice", "origins"),
    SheetColumn("closeness", "closeness"),
    SheetColumn("last_contact", "month"),
    SheetColumn("roles", "choices", "roles"),
    SheetColumn("function", "text"),
    SheetColumn("industry", "text"),
    SheetColumn("qualities", "choices", "qualities"),
    SheetColumn("i_helped", "flag"),
    SheetColumn("they_helped", "flag"),
    SheetColumn("introduced", "flag"),
    SheetColumn("knows", "rows"),
)

_NUMBERS = re.compile(r"[\s,;/+]+")


def option_codes(program: Program, list_name: str) -> list[tuple[int, str]]:
    """(code, option id) in the program's order: the code is the option's place, from 1."""
    return [(number, option.id) for number, option in enumerate(program.options(list_name), 1)]


def code_of(program: Program, list_name: str, option_id: str) -> str:
    for number, candidate in option_codes(program, list_name):
        if candidate == option_id:
            return str(number)
    return ""


def split_numbers(text: str) -> list[str]:
    """ "1 4", "1,4", "1;4" or "1/4" -> ["1", "4"]."""
    return [part for part in _NUMBERS.split(text.strip()) if part]


def decode_choices(program: Program, list_name: str, text: str) -> tuple[list[str], list[str]]:
    """Option ids for the codes in ``text``, and the codes that are not in the list."""
    by_code = {str(number): option_id for number, option_id in option_codes(program, list_name)}
    chosen: list[str] = []
    unknown: list[str] = []
    for part in split_numbers(text):
        option_id = by_code.get(part.lstrip("0") or "0")
        if option_id is None:
            unknown.append(part)
        elif option_id not in chosen:
            chosen.append(option_id)
    return chosen, unknown
