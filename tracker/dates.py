"""Reading dates as the UN Treaty Collection writes them, in English and French.

PURE: functions and tables only, no I/O, no clock. The status pages write dates in three ways:

* in the participants tables, a day, a three- or four-letter month and a year, with a TAB or
  spaces between them and often a suffix after: ``"29 May\\t 2013"``, ``" 2 Apr 2013 a"``,
  ``"28 févr 2012 A"``, ``"24 sept 2012"`` (:func:`parse_date_cell`);
* in the header fields, full month names: ``"14 April 2014, in accordance with ..."``,
  ``"1er mai 2014"`` (:func:`parse_date`);
* the "Status as at" time, ``"14-03-2015 05:01:22 EDT"`` (:func:`status_time`).

It is also the one module that writes dates for people, in each language: in sentences
(alerts, change events: "30 May 2014", "1er août 2014", :func:`format_date`) and in the app's
tables ("30 May 2014", "1er févr. 2014", :func:`readable_date`, :func:`readable_datetime`).
Dates in data are ISO 8601.

Month names are looked up case-insensitively, with or without a final full stop and with or
without accents: English (``Jan`` ... ``Dec``, ``Sept``, full names) and French (``janv``,
``fév``, ``févr``, ``mars``, ``avr``, ``mai``, ``juin``, ``juil``, ``juill``, ``août``,
``sept``, ``oct``, ``nov``, ``déc`` and full names).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from datetime import UTC, date, datetime, timedelta, timezone

logger = logging.getLogger(__name__)

__all__ = [
    "LANGUAGES",
    "MONTHS",
    "MONTH_ABBREVIATIONS",
    "MONTH_NAMES",
    "TIME_ZONES",
    "format_date",
    "iso_minute_utc",
    "month_number",
    "parse_date",
    "parse_date_cell",
    "readable_date",
    "readable_datetime",
    "status_time",
]

#: The languages dates are written in.
LANGUAGES: tuple[str, ...] = ("en", "fr")

#: Month names as sentences write them ("30 May 2014", "1er août 2014").
MONTH_NAMES: dict[str, tuple[str, ...]] = {
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
    "fr": (
        "janvier", "février", "mars", "avril", "mai", "juin",
        "juillet", "août", "septembre", "octobre", "novembre", "décembre",
    ),
}  # fmt: skip
#: Month names as the app's tables write them ("30 May 2014", "1er févr. 2014").
MONTH_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "fr": (
        "janv.", "févr.", "mars", "avr.", "mai", "juin",
        "juil.", "août", "sept.", "oct.", "nov.", "déc.",
    ),
}  # fmt: skip

#: Month word (lower case, no final full stop) -> month number. Accent-free forms are added
#: below, so "fevr" and "aout" are known too.
MONTHS: dict[str, int] = {
    # English: the tables use three-letter abbreviations, the texts full names
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
    "january": 1, "february": 2, "march": 3, "april": 4, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    # French: abbreviations as the French pages write them, then full names
    "janv": 1, "fév": 2, "févr": 2, "mars": 3, "avr": 4, "mai": 5, "juin": 6,
    "juil": 7, "juill": 7, "août": 8, "déc": 12,
    "janvier": 1, "février": 2, "avril": 4, "juillet": 7,
    "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12,
}  # fmt: skip


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


MONTHS.update({_fold(k): v for k, v in list(MONTHS.items())})

#: Time-zone abbreviations of the "Status as at" line -> hours from UTC. UNTC writes New York
#: time (EDT in summer, EST in winter); the others are accepted because they are unambiguous.
TIME_ZONES: dict[str, int] = {
    "EDT": -4, "EST": -5, "UTC": 0, "GMT": 0, "Z": 0, "CET": 1, "CEST": 2,
}  # fmt: skip

_DATE = re.compile(r"(\d{1,2})(?:er)?\s+([^\W\d_]+)\.?\s+(\d{4})")
# A table cell: the whole text is a date, maybe followed by a suffix of one or two letters
# ("a", "AA", "n", "P" ...), maybe in parentheses, maybe followed by footnote numbers ("3",
# "3, 4": markers written as text; they are not kept). White space of any kind (TAB, NBSP).
_CELL = re.compile(
    r"\s*(\d{1,2})(?:er)?\s+([^\W\d_]+)\.?\s+(\d{4})(?:\s*\(?\s*([A-Za-z]{1,2})\s*\)?)?"
    r"(?:\s+\d{1,3}(?:\s*,\s*\d{1,3})*)?\s*\Z"
)
_STATUS_TIME = re.compile(
    r"(\d{2})-(\d{2})-(\d{4})\s*(\d{2}):(\d{2}):(\d{2})[ \t\xa0]*([A-Z]{1,5}(?![A-Za-z]))?"
)


def month_number(word: str) -> int | None:
    """The month a word names ("Feb", "févr.", "Fevrier", "sept") or None."""
    key = word.lower().rstrip(".")
    month = MONTHS.get(key)
    return month if month is not None else MONTHS.get(_fold(key))


def _make(day: str, month_word: str, year: str) -> date | None:
    month = month_number(month_word)
    if month is None:
        return None
    try:
        return date(int(year), month, int(day))
    except ValueError:
        return None


def parse_date(text: str) -> date | None:
    """The first date in ``text`` ("28 Feb 2012", "24 sept 2012", "1er mai 2014") or None."""
    for m in _DATE.finditer(text):
        found = _make(*m.groups())
        if found is not None:
            return found
    return None


def parse_date_cell(text: str) -> tuple[date, str] | None:
    """A date cell of a participants table -> (date, suffix); ``None`` for an empty cell.

    The suffix is the letters written after the date ("a", "AA", "s", "n", "P" ...), ``""``
    for a bare date; what it means is for the column's heading to say. Raises ``ValueError``
    (saying what was found) for a cell that holds something else than one date.
    """
    m = _CELL.match(text)
    if m is None:
        if not text or text.isspace():
            return None
        raise ValueError(f"cannot read the date {' '.join(text.split())!r}")
    day, month_word, year, suffix = m.groups()
    when = _make(day, month_word, year)
    if when is None:
        if month_number(month_word) is None:
            raise ValueError(f"unknown month {month_word!r} in {' '.join(text.split())!r}")
        raise ValueError(f"no such day: {' '.join(text.split())!r}")
    return when, suffix or ""


def status_time(text: str) -> tuple[datetime, str | None] | None:
    """The first "DD-MM-YYYY HH:MM:SS ZONE" in ``text`` -> (aware datetime, problem).

    The datetime carries the zone's offset (EDT -04:00, EST -05:00 ...). A zone that is
    missing or not in :data:`TIME_ZONES` is read as UTC, and ``problem`` says so (it is None
    when the zone is known). None when there is no such time, or it is not a real one.
    """
    m = _STATUS_TIME.search(text)
    if m is None:
        return None
    day, month, year, hh, mm, ss, zone = m.groups()
    problem = None
    offset = TIME_ZONES.get((zone or "").upper())
    if offset is None:
        offset = 0
        problem = (
            f"the time zone {zone!r} of the status time is unknown; it was read as UTC"
            if zone
            else "the status time gives no time zone; it was read as UTC"
        )
    try:
        when = datetime(
            int(year), int(month), int(day), int(hh), int(mm), int(ss),
            tzinfo=timezone(timedelta(hours=offset)),
        )  # fmt: skip
    except ValueError:
        return None
    return when, problem


def _months(table: dict[str, tuple[str, ...]], language: str) -> tuple[str, ...]:
    try:
        return table[language]
    except KeyError:
        raise ValueError(
            f"language must be one of {', '.join(LANGUAGES)}, not {language!r}"
        ) from None


def _write(value: date, months: tuple[str, ...], language: str) -> str:
    day = "1er" if language == "fr" and value.day == 1 else str(value.day)
    return f"{day} {months[value.month - 1]} {value.year}"


def format_date(value: date, language: str = "en") -> str:
    """A date in a sentence: "30 May 2014" / "30 mai 2014" ("1er mai 2014" in French).
    ``ValueError`` for a language other than "en" or "fr"."""
    return _write(value, _months(MONTH_NAMES, language), language)


def readable_date(value: date | datetime | None, language: str = "en") -> str:
    """A date in the app's tables: "30 May 2014" / "1er févr. 2014"; a datetime is shown by
    its date; None -> "". ``ValueError`` for a language other than "en" or "fr"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    return _write(value, _months(MONTH_ABBREVIATIONS, language), language)


def iso_minute_utc(value: datetime) -> str:
    """A time for the CLI's plain output, in UTC to the minute: "2015-03-14 09:01 UTC"."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def readable_datetime(value: datetime | None, language: str = "en") -> str:
    """A time in the app's tables: "14 Mar 2015 06:00 UTC" (the time as stored, which is
    UTC); None -> ""."""
    if value is None:
        return ""
    return f"{readable_date(value, language)} {value.hour:02d}:{value.minute:02d} UTC"
