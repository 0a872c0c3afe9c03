"""Dates written for people (tracker.dates): the one module that owns month names and date
wording, in English and French. Reading dates is tested in tests/test_parsing.py."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from tracker import dates, i18n
from tracker.changes import format_date as format_date_of_changes


def test_sentences_write_full_month_names() -> None:
    assert dates.format_date(date(2014, 5, 30)) == "30 May 2014"
    assert dates.format_date(date(2012, 2, 28), "fr") == "28 février 2012"
    assert dates.format_date(date(2014, 8, 1), "fr") == "1er août 2014"
    assert dates.format_date(date(2014, 8, 1)) == "1 August 2014"
    assert format_date_of_changes is dates.format_date


def test_tables_write_short_month_names() -> None:
    assert dates.readable_date(date(2012, 2, 1), "fr") == "1er févr. 2012"
    assert dates.readable_date(datetime(2015, 3, 14, 23, 59, tzinfo=UTC)) == "14 Mar 2015"
    assert dates.readable_date(None, "de") == ""
    at = datetime(2015, 3, 14, 6, 5, tzinfo=UTC)
    assert dates.readable_datetime(at) == "14 Mar 2015 06:05 UTC"
    assert dates.readable_datetime(at, "fr") == "14 mars 2015 06:05 UTC"
    # the app's labels module hands out the same functions: one wording of dates
    assert i18n.readable_date is dates.readable_date
    assert i18n.readable_datetime is dates.readable_datetime


def test_every_month_written_can_be_read_back() -> None:
    for language in dates.LANGUAGES:
        for month in range(1, 13):
            day = date(2013, month, 1)
            for text in (dates.format_date(day, language), dates.readable_date(day, language)):
                assert dates.parse_date(text) == day, text


def test_an_unknown_language_is_an_error_not_english() -> None:
    with pytest.raises(ValueError, match="language"):
        dates.format_date(date(2014, 5, 30), "de")
    with pytest.raises(ValueError, match="language"):
        dates.readable_date(date(2014, 5, 30), "de")


def test_cli_times_are_utc_to_the_minute() -> None:
    new_york = timezone(timedelta(hours=-4))
    assert dates.iso_minute_utc(datetime(2015, 3, 14, 5, 1, 22, tzinfo=new_york)) == (
        "2015-03-14 09:01 UTC"
    )
