"""History derived from page dates (tracker.history), on the real OPIC values of 2015-03-14."""

from __future__ import annotations

from datetime import date

import pytest

from tests.test_eif import load_opic_2015, replace_participant
from tracker.domain import ChangeKind, ConsentKind, TreatyStatus
from tracker.history import parties_over_time, status_at, timeline


@pytest.fixture
def opic() -> TreatyStatus:
    return load_opic_2015()


def test_parties_at_entry_into_force_and_at_the_snapshot(opic: TreatyStatus) -> None:
    assert status_at(opic, date(2014, 4, 14)).counts.parties == 10
    at_snapshot = status_at(opic, date(2015, 3, 14))
    assert at_snapshot.counts.parties == 16  # every consent in the 2015 table
    assert at_snapshot.counts.signatories == 48  # every signature in the 2015 table
    assert at_snapshot.counts == opic.row_counts()
    assert at_snapshot.not_yet == ()
    assert len(at_snapshot.signed) == 51 - 16


def test_belgium_becomes_a_party_on_the_day_of_its_ratification(opic: TreatyStatus) -> None:
    before = status_at(opic, date(2014, 5, 29))
    on_the_day = status_at(opic, date(2014, 5, 30))
    assert "BEL" in {p.code for p in before.signed}
    assert "BEL" not in {p.code for p in before.parties}
    assert "BEL" in {p.code for p in on_the_day.parties}
    assert before.counts.parties is not None
    assert on_the_day.counts.parties == before.counts.parties + 1 == 11


def test_before_the_opening_for_signature_nobody_participates(opic: TreatyStatus) -> None:
    view = status_at(opic, date(2012, 2, 27))
    assert view.counts.parties == 0 and view.counts.signatories == 0
    assert len(view.not_yet) == 51
    opening_day = status_at(opic, date(2012, 2, 28))  # opened for signature 28 Feb 2012
    assert opening_day.counts.signatories == sum(
        1 for p in opic.participants if p.signature == date(2012, 2, 28)
    )
    assert opening_day.counts.signatories == 20
    # An accession without signature: Bolivia is "not yet" until 2 Apr 2013.
    assert "BOL" in {p.code for p in status_at(opic, date(2013, 4, 1)).not_yet}
    assert "BOL" in {p.code for p in status_at(opic, date(2013, 4, 2)).parties}


def test_views_keep_page_order(opic: TreatyStatus) -> None:
    view = status_at(opic, date(2015, 3, 14))
    order = [p.code for p in opic.participants]
    assert [p.code for p in view.parties] == [
        c for c in order if c in {p.code for p in view.parties}
    ]


def test_parties_over_time(opic: TreatyStatus) -> None:
    points = parties_over_time(opic)
    assert points[0] == (date(2012, 9, 25), 2)  # Gabon and Thailand on the same day
    assert points[-1] == (date(2015, 2, 23), 16)  # Uruguay
    assert (date(2014, 1, 14), 10) in points  # Costa Rica, the tenth instrument
    days = [d for d, _ in points]
    counts = [n for _, n in points]
    assert days == sorted(set(days))
    assert counts == sorted(counts)
    for day, n in points:
        assert status_at(opic, day).counts.parties == n


def test_a_withdrawn_participant_is_never_counted_as_a_party(opic: TreatyStatus) -> None:
    status = replace_participant(opic, "DEU", withdrawn=True)  # edit: Germany in brackets
    view = status_at(status, date(2015, 3, 14))
    assert view.counts.parties == 15
    assert [p.code for p in view.withdrawn] == ["DEU"]
    assert view.counts.signatories == 47  # as TreatyStatus.row_counts(): withdrawn left out
    assert view.counts == status.row_counts()
    assert "DEU" in {p.code for p in status_at(status, date(2013, 2, 27)).signed}
    assert parties_over_time(status)[-1] == (date(2015, 2, 23), 15)


def test_timeline_lists_every_dated_act(opic: TreatyStatus) -> None:
    events = timeline(opic)
    assert len(events) == 48 + 16
    assert [e.date for e in events] == sorted(e.date for e in events)
    assert events[0].date == date(2012, 2, 28) and events[0].kind is ChangeKind.SIGNATURE
    bolivia = [e for e in events if e.code == "BOL"]
    assert bolivia == [
        (
            date(2013, 4, 2),
            "BOL",
            "Bolivia (Plurinational State of)",
            ChangeKind.CONSENT,
            ConsentKind.ACCESSION,
        )
    ]
    # Ireland signed and ratified on 24 Sep 2014: the signature comes first.
    ireland = [e.kind for e in events if e.code == "IRL"]
    assert ireland == [ChangeKind.SIGNATURE, ChangeKind.CONSENT]
    belgium = [(e.date, e.kind, e.consent_kind) for e in events if e.code == "BEL"]
    assert belgium == [
        (date(2012, 2, 28), ChangeKind.SIGNATURE, None),
        (date(2014, 5, 30), ChangeKind.CONSENT, ConsentKind.RATIFICATION),
    ]
