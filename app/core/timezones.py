"""Cohort time zones: IANA names, deadlines at the end of a local day, and how they are shown.

Deadlines are stored in UTC; a cohort's time zone decides what "the end of 31 January"
means and how every deadline reads, to facilitators and participants alike:
"31 Jan 2027, 23:59 CET".
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel.dates import format_datetime

from app.core.errors import Invalid

DEFAULT_TIME_ZONE = "UTC"
END_OF_DAY = time(23, 59)


@cache
def time_zone_names() -> tuple[str, ...]:
    """Every IANA name this machine knows, sorted (for the cohort form)."""
    return tuple(sorted(available_timezones()))


def check_time_zone(name: str, field: str = "time_zone") -> str:
    """The name if it is a known IANA time zone, else Invalid naming the field."""
    name = (name or "").strip()
    if not name or len(name) > 64 or name not in time_zone_names():
        raise Invalid([
            f"{field}: {name!r} is not a known time zone; use an IANA name such as "
            "Europe/Rome or America/New_York"
        ])
    return name


def zone(name: str | None) -> ZoneInfo:
    """The zone for a stored name; UTC for an empty or unknown one."""
    try:
        return ZoneInfo(name or DEFAULT_TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIME_ZONE)


def as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def end_of_local_day(day: date, name: str | None) -> datetime:
    """23:59 of `day` in the zone, in UTC."""
    return datetime.combine(day, END_OF_DAY, tzinfo=zone(name)).astimezone(UTC)


def local(moment: datetime, name: str | None) -> datetime:
    return as_utc(moment).astimezone(zone(name))


def local_date(moment: datetime, name: str | None) -> date:
    return local(moment, name).date()


def format_local(moment: datetime, name: str | None, lang: str) -> str:
    """E.g. "31 Jan 2027, 23:59 CET" or "31 gen 2027, 23:59 CET"."""
    here = local(moment, name)
    abbreviation = here.tzname() or name or DEFAULT_TIME_ZONE
    return f"{format_datetime(here, 'd MMM y, HH:mm', locale=lang)} {abbreviation}"
