"""Real reference files read from ../shared (never copied into the repository), and a stored
ICESCR status built from the real 2015 participants table.

``shared_file`` skips a test when the file is missing, except under CI (``CI`` set), where a
missing file fails it: CI runs with ../shared beside the clone.

The ICESCR status is made of **direct domain objects**, not a page: each row of
``untc/data/untreaties-2015/treaties_4-3.csv`` (the participants table as parsed from the MTDSG
XML on 2015-03-14, real values) becomes a Participant; the title and address are the real ones
of that data set's ``index.csv``; the verification time 2015-03-14 09:01:22 UTC stands for the
day the data were gathered (the hour is not known).
"""

from __future__ import annotations

import csv
import os
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlmodel import Session

from tracker import countries, eif, store
from tracker.domain import SUFFIX_TO_KIND, Consent, Participant, PollOutcome, TreatyStatus
from tracker.models import Poll

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
OHCHR_XLS = SHARED / "depositaries" / "ohchr" / "UnderlyingData_ICESCR_OHCHR_02_07_2026.xls"
OHCHR_CELLS = OHCHR_XLS.with_suffix(".cells.csv")
ICESCR_2015 = SHARED / "untc" / "data" / "untreaties-2015" / "treaties_4-3.csv"
ICESCR_TITLE = "International Covenant on Economic, Social and Cultural Rights"
ICESCR_URL = (
    "http://treaties.un.org/pages/ViewDetails.aspx?src=TREATY&mtdsg_no=IV-3&chapter=4&lang=en"
)
GATHERED_AT = datetime(2015, 3, 14, 9, 1, 22, tzinfo=UTC)


def shared_file(path: Path) -> Path:
    """``path`` (under ../shared) if it exists; else skip, or fail under CI."""
    if not path.is_file():
        message = f"{path} is missing (the shared reference data must sit beside the repository)"
        if os.environ.get("CI"):
            pytest.fail(message + "; CI is set, so this test must run", pytrace=False)
        pytest.skip(message)
    return path


def _action(text: str) -> tuple[date, str] | None:
    """ "24 Jan 1983 a" -> (1983-01-24, "a"); "" -> None."""
    text = " ".join(text.split())
    if not text:
        return None
    parts = text.split(" ")
    day = datetime.strptime(" ".join(parts[:3]), "%d %b %Y").date()
    return day, " ".join(parts[3:])


def icescr_2015_status() -> TreatyStatus:
    """The ICESCR participants table of 2015 as a TreatyStatus (see the module docstring)."""
    participants = []
    with shared_file(ICESCR_2015).open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        assert header[:2] == ["Participant", "Signature"], header
        for name, signature_text, consent_text in reader:
            code = countries.code_for(name)
            assert code is not None, name
            signature = _action(signature_text)
            consent = _action(consent_text)
            participants.append(
                Participant(
                    name=name,
                    code=code,
                    signature=None if signature is None else signature[0],
                    consent=None
                    if consent is None
                    else Consent(consent[0], SUFFIX_TO_KIND[consent[1]]),
                )
            )
    return TreatyStatus(
        mtdsg_no="IV-3",
        language="en",
        title=ICESCR_TITLE,
        url=ICESCR_URL,
        participants=tuple(participants),
    )


def store_status(session: Session, status: TreatyStatus, *, verified_at: datetime) -> None:
    """Store ``status`` as the baseline of its treaty, as a first successful poll would."""
    poll = Poll(
        mtdsg_no=status.mtdsg_no,
        url=status.url,
        language=status.language,
        started_at=verified_at,
        finished_at=verified_at,
        http_status=200,
        outcome=str(PollOutcome.NEW),
    )
    store.add_poll(session=session, poll=poll)
    treaty = store.upsert_treaty(session=session, status=status, verified_at=verified_at)
    store.apply_status(
        session=session,
        treaty=treaty,
        status=status,
        poll=poll,
        in_force=eif.entry_into_force_by_participant(status),
        seen_at=verified_at,
    )
    session.commit()
