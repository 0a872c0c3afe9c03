"""Domain objects of the tracker: frozen dataclasses and enums, no I/O.

A parsed status page is a :class:`TreatyStatus`; a difference between two of them is a
list of :class:`Change`. Dates are :class:`datetime.date`; ``to_json`` renders them as
ISO 8601 strings.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

logger = logging.getLogger(__name__)


class ConsentKind(StrEnum):
    """How a State expressed its consent to be bound (the suffix after the date on UNTC)."""

    RATIFICATION = "ratification"  # bare date
    ACCESSION = "accession"  # "a"
    SUCCESSION = "succession"  # "d"
    ACCEPTANCE = "acceptance"  # "A"
    APPROVAL = "approval"  # "AA"
    FORMAL_CONFIRMATION = "formal_confirmation"  # "c"
    DEFINITIVE_SIGNATURE = "definitive_signature"  # "s" in a consent column
    CONSENT_TO_BE_BOUND = "consent_to_be_bound"  # "P" under a "Consent to be bound" heading
    PARTICIPATION = "participation"  # "P" under a "Participation" heading
    SIMPLIFIED_PROCEDURE = "simplified_procedure"  # "p"
    #: The source gives one date for the instrument of consent and does not say which kind it
    #: was (the Council of Europe's ``DateConsentement``, OHCHR's "Ratification/Accession"):
    #: ratification, acceptance, approval or accession. Never guessed into one of the above.
    RATIFICATION_OR_ACCESSION = "ratification_or_accession"


#: The suffix UNTC writes after a consent date -> the kind of consent it usually means.
#: Case-sensitive. The column's heading has the last word ("Consent to be bound(P)" makes P a
#: consent to be bound): see :mod:`tracker.sources.untc.columns`.
SUFFIX_TO_KIND: dict[str, ConsentKind] = {
    "": ConsentKind.RATIFICATION,
    "a": ConsentKind.ACCESSION,
    "d": ConsentKind.SUCCESSION,
    "A": ConsentKind.ACCEPTANCE,
    "AA": ConsentKind.APPROVAL,
    "c": ConsentKind.FORMAL_CONFIRMATION,
    "s": ConsentKind.DEFINITIVE_SIGNATURE,
    "P": ConsentKind.PARTICIPATION,
    "p": ConsentKind.SIMPLIFIED_PROCEDURE,
}
KIND_TO_SUFFIX: dict[ConsentKind, str] = {v: k for k, v in SUFFIX_TO_KIND.items()}
KIND_TO_SUFFIX[ConsentKind.CONSENT_TO_BE_BOUND] = "P"


class SignatureKind(StrEnum):
    """What a date in a signature column is (the suffix after it)."""

    SIGNATURE = "signature"  # bare date
    SUCCESSION = "succession"  # "d": succession to signature
    AD_REFERENDUM = "ad_referendum"  # "s" in a signature column: signature ad referendum


class ActionKind(StrEnum):
    """A dated entry of a status table that is neither a signature nor a consent.

    Never counted as consent: a State that has only actions is not a party.
    """

    PROVISIONAL_APPLICATION = "provisional_application"  # "Provisional application(n)"
    PROVISIONAL_ACCEPTANCE = "provisional_acceptance"  # "Provisional acceptance/accession"
    NOTIFICATION = "notification"  # "Notification under article 25"
    TERRITORIAL_APPLICATION = "territorial_application"  # "Application", "Extension"
    SIGNATURE_CONFIRMATION = "signature_confirmation"  # of a signature ad referendum
    OTHER = "other"  # a column whose heading the parser does not know (kept, with a warning)


class ParticipationStatus(StrEnum):
    """Where one participant stands on one treaty."""

    NOT_SIGNED = "not_signed"
    SIGNED = "signed"
    PARTY = "party"
    WITHDRAWN = "withdrawn"


class ChangeKind(StrEnum):
    """The kinds of change event the tracker records."""

    SIGNATURE = "signature"
    CONSENT = "consent"
    WITHDRAWAL = "withdrawal"
    DATE_CORRECTION = "date_correction"
    DECLARATION = "declaration"
    RENAME = "rename"
    DISAPPEARED = "disappeared"
    TREATY_IN_FORCE = "treaty_in_force"
    ACTION = "action"  # a new, changed or removed action (provisional application ...)


class PollOutcome(StrEnum):
    """How one poll of one treaty ended (after urlwatch: exactly one of these)."""

    NEW = "new"  # first poll of the treaty: the baseline, no alerts
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    SUSPECT = "suspect"  # parsed, but not trusted (counts disagree, far fewer rows ...)
    ERROR = "error"  # fetch or parse failed


class PollSource(StrEnum):
    """Where the page of a poll came from."""

    LIVE = "live"  # fetched from the UN Treaty Collection (or a capture of it)
    SNAPSHOT = "snapshot"  # the bundled snapshot (data/snapshot): values as published on a date


class ParseError(ValueError):
    """The text is not a usable status page (a UNTC page, a Council of Europe answer ...). The
    message says what was missing and where."""

    def __init__(self, message: str, *, url: str | None = None) -> None:
        self.reason = message
        self.url = url
        super().__init__(f"{message} (in {url})" if url else message)


@dataclass(frozen=True, slots=True)
class Consent:
    date: date
    kind: ConsentKind


@dataclass(frozen=True, slots=True)
class Action:
    """A dated entry that is not a signature or a consent, e.g. a provisional application.

    ``column`` is the heading of the column it was read from, as the page writes it;
    ``suffix`` the letters after the date ("n"), ``""`` if none.
    """

    kind: ActionKind
    date: date
    column: str
    suffix: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": str(self.kind),
            "date": self.date.isoformat(),
            "column": self.column,
            "suffix": self.suffix,
        }


@dataclass(frozen=True, slots=True)
class TerritorialApplication:
    """One row of a page's territorial-application table: a participant's notification that
    the treaty applies to territories. Never a consent: it makes no one a party.

    ``participant`` is the name as the table writes it, ``code`` its code; ``date`` the
    notification's date (None when the cell held no readable date, with a warning);
    ``territories`` the territories cell as the page writes it; ``column`` the heading of the
    date column.
    """

    participant: str
    code: str
    date: date | None
    territories: str
    column: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "participant": self.participant,
            "code": self.code,
            "date": _iso(self.date),
            "territories": self.territories,
            "column": self.column,
        }

    def to_action(self) -> dict[str, str]:
        """The row as its participant's stored actions keep it (the ``actions`` JSON of
        migration 0003): an action of kind ``territorial_application`` with its
        ``territories``; an unknown date is ``""``."""
        return {
            "kind": str(ActionKind.TERRITORIAL_APPLICATION),
            "date": "" if self.date is None else self.date.isoformat(),
            "column": self.column,
            "suffix": "",
            "territories": self.territories,
        }

    @classmethod
    def from_action(cls, name: str, code: str, value: dict[str, str]) -> TerritorialApplication:
        """The row back from a stored action made by :meth:`to_action`."""
        when = value.get("date") or ""
        return cls(
            participant=name,
            code=code,
            date=date.fromisoformat(when) if when else None,
            territories=value.get("territories", ""),
            column=value.get("column", ""),
        )


def is_territorial_row(value: dict[str, str]) -> bool:
    """Whether a stored action is a territorial-application table row (it has territories)."""
    return "territories" in value


@dataclass(frozen=True, slots=True)
class Participant:
    """One row of a status table.

    ``signature_kind`` is None exactly when ``signature`` is (a signature given without a
    kind is a plain signature). ``actions`` are the row's other dates, in column order.
    """

    name: str  # display name exactly as the UN writes it, without footnote markers/brackets
    code: str  # stable participant code (tracker.countries)
    footnotes: tuple[str, ...] = ()
    signature: date | None = None
    consent: Consent | None = None
    withdrawn: bool = False
    has_declarations: bool = False
    signature_kind: SignatureKind | None = None
    actions: tuple[Action, ...] = ()
    # Dates some sources state per participant (the Council of Europe does; UNTC pages do not,
    # and their reader leaves these None, which means "not stated", never "none").
    in_force: date | None = None  # the treaty entered (or enters) into force for it
    denounced: date | None = None  # denunciation notified (then ``withdrawn`` is True)
    denunciation_effective: date | None = None  # the denunciation takes effect
    suspended: date | None = None  # participation suspended

    def __post_init__(self) -> None:
        if self.signature is None:
            if self.signature_kind is not None:
                object.__setattr__(self, "signature_kind", None)
        elif self.signature_kind is None:
            object.__setattr__(self, "signature_kind", SignatureKind.SIGNATURE)

    @property
    def status(self) -> ParticipationStatus:
        if self.withdrawn:
            return ParticipationStatus.WITHDRAWN
        if self.consent is not None:
            return ParticipationStatus.PARTY
        if self.signature is not None:
            return ParticipationStatus.SIGNED
        return ParticipationStatus.NOT_SIGNED


@dataclass(frozen=True, slots=True)
class Conclusion:
    """Place and date of conclusion, e.g. "New York, 19 December 2011"."""

    text: str
    place: str | None = None
    date: date | None = None


@dataclass(frozen=True, slots=True)
class EntryIntoForce:
    date: date | None
    text: str


@dataclass(frozen=True, slots=True)
class Counts:
    signatories: int | None = None
    parties: int | None = None


def row_counts(participants: Iterable[Participant]) -> Counts:
    """The counts the rows imply: signatories = listed rows with a signature date,
    parties = rows with a consent date that have not withdrawn."""
    signatories = parties = 0
    for p in participants:
        if not p.withdrawn:
            signatories += p.signature is not None
            parties += p.consent is not None
    return Counts(signatories=signatories, parties=parties)


@dataclass(frozen=True, slots=True)
class TreatyStatus:
    """Everything one status page says about one treaty."""

    mtdsg_no: str
    language: str  # "en" or "fr"
    title: str
    url: str
    conclusion: Conclusion | None = None
    chapter: str | None = None
    status_as_at: datetime | None = None
    entry_into_force: EntryIntoForce | None = None
    registration: str | None = None
    counts: Counts = field(default_factory=Counts)
    participants: tuple[Participant, ...] = ()
    declarations: dict[str, str] = field(default_factory=dict)  # participant code -> text
    warnings: tuple[str, ...] = ()
    #: the rows of the page's territorial-application table(s), in page order
    territorial_applications: tuple[TerritorialApplication, ...] = ()

    def row_counts(self) -> Counts:
        return row_counts(self.participants)

    def participant(self, code: str) -> Participant | None:
        for p in self.participants:
            if p.code == code:
                return p
        return None

    def to_json(self) -> dict[str, Any]:
        """The JSON form printed by ``treaty-tracker parse --json`` (exact top-level keys;
        ``territorial_applications`` is added only for a page that has such a table)."""
        data: dict[str, Any] = {
            "mtdsg_no": self.mtdsg_no,
            "language": self.language,
            "title": self.title,
            "conclusion": (
                None
                if self.conclusion is None
                else {
                    "text": self.conclusion.text,
                    "place": self.conclusion.place,
                    "date": _iso(self.conclusion.date),
                }
            ),
            "status_as_at": _iso(self.status_as_at),
            "entry_into_force": (
                None
                if self.entry_into_force is None
                else {
                    "date": _iso(self.entry_into_force.date),
                    "text": self.entry_into_force.text,
                }
            ),
            "registration": self.registration,
            "counts": {"signatories": self.counts.signatories, "parties": self.counts.parties},
            "participants": [participant_to_json(p) for p in self.participants],
            "declarations": dict(self.declarations),
            "warnings": list(self.warnings),
        }
        if self.territorial_applications:
            data["territorial_applications"] = [t.to_json() for t in self.territorial_applications]
        return data


#: Participant dates only some sources state; ``participant_to_json`` adds their keys only for
#: a participant that has one, so the JSON of a UNTC page keeps exactly its documented keys.
STATED_DATES: tuple[str, ...] = ("in_force", "denounced", "denunciation_effective", "suspended")


def participant_to_json(p: Participant) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": p.name,
        "code": p.code,
        "footnotes": list(p.footnotes),
        "signature": _iso(p.signature),
        "consent": (
            None
            if p.consent is None
            else {"date": _iso(p.consent.date), "kind": str(p.consent.kind)}
        ),
        "withdrawn": p.withdrawn,
        "has_declarations": p.has_declarations,
        "signature_kind": None if p.signature_kind is None else str(p.signature_kind),
        "actions": [a.to_json() for a in p.actions],
    }
    stated = {name: getattr(p, name) for name in STATED_DATES}
    if any(value is not None for value in stated.values()):
        data.update({name: _iso(value) for name, value in stated.items()})
    return data


@dataclass(frozen=True, slots=True)
class Change:
    """One change between the stored state of a treaty and a newly polled page.

    ``old_value``/``new_value`` are strings (ISO dates, names, declaration texts);
    ``effective_date`` is the date the page gives for the action, when it gives one.
    """

    kind: ChangeKind
    mtdsg_no: str
    participant_code: str | None
    participant_name: str | None
    old_value: str | None
    new_value: str | None
    effective_date: date | None
    observed_at: datetime
    source_url: str
    consent_kind: ConsentKind | None = None
    detail: str | None = None


def _iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """What one fetch of one status page brought back (the crawler's output, the service's input).

    ``body`` is None when the fetch failed (then ``error`` says why). ``content_hash`` is the
    SHA-256 hex digest of ``body`` (also the raw-archive key).
    """

    mtdsg_no: str
    url: str
    fetched_at: datetime
    http_status: int | None
    body: bytes | None
    content_hash: str | None = None
    error: str | None = None
    started_at: datetime | None = None
    encoding: str = "utf-8"
