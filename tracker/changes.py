"""What changed between the stored state of a treaty and a newly parsed status page.

PURE: no clock, no I/O. :func:`diff` lists the change events, :func:`assess` lists the
reasons a parsed page must not be trusted (the service then records the poll as
``suspect`` and applies nothing), and :func:`describe` turns one event into a sentence
for alerts and the app (English or French).

Participants are matched by their stable code, never by display name, so a renamed
State gives one ``rename`` event and not a withdrawal plus a new party.

What the page's "Signatories" and "Parties" count is taken from
:meth:`tracker.domain.TreatyStatus.row_counts`, the project's single convention:
participants not withdrawn (withdrawn ones are shown in brackets) with a signature date,
and with a consent date (ratification, accession, succession ...). A later ratification
does not remove a participant from the signatories.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date, datetime

from tracker.domain import (
    Action,
    ActionKind,
    Change,
    ChangeKind,
    ConsentKind,
    Participant,
    TreatyStatus,
)

logger = logging.getLogger(__name__)

#: A page that keeps fewer than this share of the participants listed last time is suspect.
MIN_KEEP_RATIO = 0.9
#: ... and so is one that loses more than this many listed participants, whatever the share
#: (for small treaties 10 % is less than one row: losing one or two rows is still allowed).
MAX_LOST_FLOOR = 2


# --------------------------------------------------------------------------------------
# diff
# --------------------------------------------------------------------------------------


def diff(
    previous: TreatyStatus | None,
    current: TreatyStatus,
    *,
    observed_at: datetime,
    unlisted: frozenset[str] = frozenset(),
) -> list[Change]:
    """The change events from ``previous`` (the stored state) to ``current`` (the new page).

    ``previous`` may hold participants that had already disappeared from the page; their
    codes are in ``unlisted``. Such a participant that is still missing gives nothing; one
    that comes back is compared like any other (same values: nothing).

    ``previous is None`` (first poll: the baseline) gives ``[]``, and so does
    ``diff(x, x)``. Events come in a fixed order: participants in page order (for each:
    rename, signature, consent, date corrections, withdrawal, declaration), then
    participants missing from the page (in stored order), then the treaty-level event.

    Notes on choices made:

    * A rename is reported only when both pages are in the same language (the EN and FR
      pages spell every name differently). A rename alone gives exactly one event; if the
      same poll also shows a new date for that participant, that event is reported too.
    * When the languages differ, declaration texts cannot be compared (they are
      translations): only a participant that had no text before and has one now gives a
      ``declaration`` event.
    * A withdrawn participant that reappears without brackets and with a new consent date
      has deposited a new instrument: that is a ``consent`` event. Brackets removed with
      the same dates is a correction of the record: ``date_correction`` with
      ``detail="withdrawn"``.
    """
    if previous is None:
        return []

    def change(
        kind: ChangeKind,
        participant: Participant | None,
        *,
        old: str | None = None,
        new: str | None = None,
        effective: date | None = None,
        consent_kind: ConsentKind | None = None,
        detail: str | None = None,
    ) -> Change:
        return Change(
            kind=kind,
            mtdsg_no=current.mtdsg_no,
            participant_code=None if participant is None else participant.code,
            participant_name=None if participant is None else participant.name,
            old_value=old,
            new_value=new,
            effective_date=effective,
            observed_at=observed_at,
            source_url=current.url,
            consent_kind=consent_kind,
            detail=detail,
        )

    same_language = previous.language == current.language
    before = _by_code(previous.participants)
    now = _by_code(current.participants)
    events: list[Change] = []

    for code, cur in now.items():
        old = before.get(code)
        if old is None:
            # A participant new to the stored state.
            if cur.signature is not None:
                events.append(
                    change(
                        ChangeKind.SIGNATURE,
                        cur,
                        new=cur.signature.isoformat(),
                        effective=cur.signature,
                    )
                )
            if cur.consent is not None:
                events.append(
                    change(
                        ChangeKind.CONSENT,
                        cur,
                        new=cur.consent.date.isoformat(),
                        effective=cur.consent.date,
                        consent_kind=cur.consent.kind,
                    )
                )
            if cur.withdrawn:
                events.append(change(ChangeKind.WITHDRAWAL, cur, old=None, new=str(cur.status)))
            text = current.declarations.get(code)
            if text:
                events.append(change(ChangeKind.DECLARATION, cur, new=text))
            events.extend(_action_changes((), cur, change))
            continue

        if same_language and old.name != cur.name:
            events.append(change(ChangeKind.RENAME, cur, old=old.name, new=cur.name))

        # Signature.
        if old.signature != cur.signature:
            if old.signature is None and cur.signature is not None:
                events.append(
                    change(
                        ChangeKind.SIGNATURE,
                        cur,
                        new=cur.signature.isoformat(),
                        effective=cur.signature,
                    )
                )
            else:
                events.append(
                    change(
                        ChangeKind.DATE_CORRECTION,
                        cur,
                        old=_iso(old.signature),
                        new=_iso(cur.signature),
                        effective=cur.signature,
                        detail="signature",
                    )
                )

        # Consent.
        re_joined = old.withdrawn and not cur.withdrawn
        if old.consent != cur.consent:
            if cur.consent is not None and (
                old.consent is None or (re_joined and old.consent.date != cur.consent.date)
            ):
                events.append(
                    change(
                        ChangeKind.CONSENT,
                        cur,
                        old=None if old.consent is None else old.consent.date.isoformat(),
                        new=cur.consent.date.isoformat(),
                        effective=cur.consent.date,
                        consent_kind=cur.consent.kind,
                    )
                )
                re_joined = False  # explained by the new instrument
            else:
                old_date = None if old.consent is None else old.consent.date
                new_date = None if cur.consent is None else cur.consent.date
                if old_date != new_date:
                    events.append(
                        change(
                            ChangeKind.DATE_CORRECTION,
                            cur,
                            old=_iso(old_date),
                            new=_iso(new_date),
                            effective=new_date,
                            consent_kind=None if cur.consent is None else cur.consent.kind,
                            detail="consent",
                        )
                    )
                if (
                    old.consent is not None
                    and cur.consent is not None
                    and old.consent.kind != cur.consent.kind
                ):
                    events.append(
                        change(
                            ChangeKind.DATE_CORRECTION,
                            cur,
                            old=str(old.consent.kind),
                            new=str(cur.consent.kind),
                            effective=cur.consent.date,
                            consent_kind=cur.consent.kind,
                            detail="consent_kind",
                        )
                    )

        # Withdrawal.
        if cur.withdrawn and not old.withdrawn:
            events.append(change(ChangeKind.WITHDRAWAL, cur, old=str(old.status), new="withdrawn"))
        elif re_joined:
            events.append(
                change(ChangeKind.DATE_CORRECTION, cur, old="true", new="false", detail="withdrawn")
            )

        # Actions (provisional application, notifications ...).
        events.extend(_action_changes(old.actions, cur, change))

        # Declarations.
        old_text = previous.declarations.get(code) or None
        new_text = current.declarations.get(code) or None
        if old_text != new_text and (same_language or old_text is None):
            if new_text is not None:
                events.append(change(ChangeKind.DECLARATION, cur, old=old_text, new=new_text))
            else:
                events.append(
                    change(ChangeKind.DECLARATION, cur, old=old_text, new=None, detail="removed")
                )

    # Listed participants missing from the page: flagged for review, never a withdrawal.
    for code, old in before.items():
        if code in now or code in unlisted:
            continue
        events.append(change(ChangeKind.DISAPPEARED, old, old=str(old.status), new=None))

    # Treaty level.
    old_eif = None if previous.entry_into_force is None else previous.entry_into_force.date
    new_eif = None if current.entry_into_force is None else current.entry_into_force.date
    if new_eif is not None and new_eif != old_eif:
        events.append(
            change(
                ChangeKind.TREATY_IN_FORCE,
                None,
                old=_iso(old_eif),
                new=new_eif.isoformat(),
                effective=new_eif,
            )
        )

    logger.debug("diff %s: %d change(s)", current.mtdsg_no, len(events))
    return events


def _action_changes(
    before: tuple[Action, ...], cur: Participant, change: Callable[..., Change]
) -> list[Change]:
    """``action`` events: an action of a kind and column not there before (new), one whose
    date changed (old and new date), one no longer shown (new value None). ``detail`` is
    ``"<kind>: <column heading>"``."""
    old = {(a.kind, a.column): a for a in before}
    now = {(a.kind, a.column): a for a in cur.actions}
    out = []
    for key, action in now.items():
        was = old.get(key)
        if was is None or was.date != action.date:
            out.append(
                change(
                    ChangeKind.ACTION,
                    cur,
                    old=None if was is None else was.date.isoformat(),
                    new=action.date.isoformat(),
                    effective=action.date,
                    detail=f"{action.kind}: {action.column}",
                )
            )
    for key, was in old.items():
        if key not in now:
            out.append(
                change(
                    ChangeKind.ACTION,
                    cur,
                    old=was.date.isoformat(),
                    new=None,
                    detail=f"{was.kind}: {was.column}",
                )
            )
    return out


def _by_code(participants: Iterable[Participant]) -> dict[str, Participant]:
    """Participants by code, in order; a repeated code keeps its first row (see assess)."""
    out: dict[str, Participant] = {}
    for p in participants:
        out.setdefault(p.code, p)
    return out


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


# --------------------------------------------------------------------------------------
# assess
# --------------------------------------------------------------------------------------


def assess(
    previous: TreatyStatus | None,
    current: TreatyStatus,
    *,
    expected_mtdsg_no: str | None = None,
    expected_language: str | None = None,
    unlisted: frozenset[str] = frozenset(),
) -> list[str]:
    """The reasons ``current`` must not be trusted; ``[]`` when it looks sound.

    Checks: the page's own counts against its rows (``TreatyStatus.row_counts()``; a
    count the page does not give is skipped, and a disagreement already present, with the
    same offset, in the stored state is a known quirk of that page and
    is not reported again), no participants, a code listed twice, far fewer participants
    than the stored state (more than ``max(MAX_LOST_FLOOR, (1 - MIN_KEEP_RATIO) * n)`` of
    the ``n`` listed participants missing; codes in ``unlisted`` had already disappeared
    and are not counted), all declaration texts gone, another treaty or another language
    than expected (or than the stored state).
    """
    reasons: list[str] = []
    rows = current.participants

    if not rows:
        reasons.append("The page lists no participants.")

    reasons.extend(count_mismatches(previous, current))

    codes = [p.code for p in rows]
    repeated = sorted(c for c, n in Counter(codes).items() if n > 1)
    if repeated:
        reasons.append(
            f"The page lists {len(repeated)} participant code(s) more than once: "
            + ", ".join(repeated)
            + "."
        )

    if previous is not None:
        listed = [p.code for p in previous.participants if p.code not in unlisted]
        listed_set = set(listed)
        present = set(codes)
        lost = sorted(listed_set - present)
        allowed = max(MAX_LOST_FLOOR, math.floor((1 - MIN_KEEP_RATIO) * len(listed_set)))
        if rows and len(lost) > allowed:
            reasons.append(
                f"{len(lost)} of the {len(listed_set)} participants listed last time are "
                f"missing from the page (at most {allowed} may go missing at once)."
            )
        if previous.declarations and not current.declarations:
            reasons.append(
                f"The stored state has declarations for {len(previous.declarations)} "
                "participant(s); the page has none."
            )
        if _norm(previous.mtdsg_no) != _norm(current.mtdsg_no):
            reasons.append(
                f"The page is for treaty {current.mtdsg_no}, but the stored state is for "
                f"{previous.mtdsg_no}."
            )

    if expected_mtdsg_no is not None and _norm(expected_mtdsg_no) != _norm(current.mtdsg_no):
        reasons.append(
            f"The page is for treaty {current.mtdsg_no}, but {expected_mtdsg_no} was requested."
        )
    if expected_language is not None and _norm(expected_language) != _norm(current.language):
        reasons.append(
            f"The page is in language {current.language!r}, but {expected_language!r} "
            "was requested."
        )
    return reasons


def count_mismatches(previous: TreatyStatus | None, current: TreatyStatus) -> list[str]:
    """The page's own counts against its rows (``TreatyStatus.row_counts()``), one sentence
    per disagreement; a count the page does not give is skipped, and a disagreement already
    present, with the same offset, in ``previous`` (the stored state) is a known quirk of that
    page and is not reported again. Part of :func:`assess`."""
    reasons: list[str] = []
    implied = current.row_counts()
    for label, stated, actual in (
        ("signatories", current.counts.signatories, implied.signatories),
        ("parties", current.counts.parties, implied.parties),
    ):
        if stated is None or actual is None or stated == actual:
            continue
        if _offset(previous, label) == stated - actual:
            logger.info(
                "%s: page states %d %s, rows give %d, as in the stored state; not suspect",
                current.mtdsg_no,
                stated,
                label,
                actual,
            )
            continue
        reasons.append(f"The page states {stated} {label} but its rows give {actual}.")
    return reasons


def _offset(status: TreatyStatus | None, which: str) -> int | None:
    """Stated count minus the count from the rows, in a stored state (None if unknown)."""
    if status is None:
        return None
    implied = status.row_counts()
    if which == "signatories":
        stated, actual = status.counts.signatories, implied.signatories
    else:
        stated, actual = status.counts.parties, implied.parties
    return None if stated is None or actual is None else stated - actual


def _norm(value: str) -> str:
    return value.strip().casefold()


# --------------------------------------------------------------------------------------
# describe
# --------------------------------------------------------------------------------------

_MONTHS_EN: tuple[str, ...] = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTHS_FR: tuple[str, ...] = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

_VERB_EN: dict[ConsentKind, str] = {
    ConsentKind.RATIFICATION: "ratified",
    ConsentKind.ACCESSION: "acceded to",
    ConsentKind.SUCCESSION: "succeeded to",
    ConsentKind.ACCEPTANCE: "accepted",
    ConsentKind.APPROVAL: "approved",
    ConsentKind.FORMAL_CONFIRMATION: "formally confirmed",
    ConsentKind.DEFINITIVE_SIGNATURE: "signed definitively",
    ConsentKind.CONSENT_TO_BE_BOUND: "consented to be bound by",
    ConsentKind.PARTICIPATION: "became a participant in",
    ConsentKind.SIMPLIFIED_PROCEDURE: "joined, by the simplified procedure,",
    ConsentKind.RATIFICATION_OR_ACCESSION: "ratified or acceded to",
}
_NOUN_EN: dict[ConsentKind, str] = {
    ConsentKind.RATIFICATION: "ratification",
    ConsentKind.ACCESSION: "accession",
    ConsentKind.SUCCESSION: "succession",
    ConsentKind.ACCEPTANCE: "acceptance",
    ConsentKind.APPROVAL: "approval",
    ConsentKind.FORMAL_CONFIRMATION: "formal confirmation",
    ConsentKind.DEFINITIVE_SIGNATURE: "definitive signature",
    ConsentKind.CONSENT_TO_BE_BOUND: "consent to be bound",
    ConsentKind.PARTICIPATION: "participation",
    ConsentKind.SIMPLIFIED_PROCEDURE: "simplified procedure",
    ConsentKind.RATIFICATION_OR_ACCESSION: "ratification or accession",
}
_NOUN_FR: dict[ConsentKind, str] = {
    ConsentKind.RATIFICATION: "ratification",
    ConsentKind.ACCESSION: "adhésion",
    ConsentKind.SUCCESSION: "succession",
    ConsentKind.ACCEPTANCE: "acceptation",
    ConsentKind.APPROVAL: "approbation",
    ConsentKind.FORMAL_CONFIRMATION: "confirmation formelle",
    ConsentKind.DEFINITIVE_SIGNATURE: "signature définitive",
    ConsentKind.CONSENT_TO_BE_BOUND: "consentement à être lié",
    ConsentKind.PARTICIPATION: "participation",
    ConsentKind.SIMPLIFIED_PROCEDURE: "procédure simplifiée",
    ConsentKind.RATIFICATION_OR_ACCESSION: "ratification ou adhésion",
}
#: Kinds of action (provisional application ...), as nouns.
_ACTION_EN: dict[ActionKind, str] = {
    ActionKind.PROVISIONAL_APPLICATION: "provisional application",
    ActionKind.PROVISIONAL_ACCEPTANCE: "provisional acceptance",
    ActionKind.NOTIFICATION: "notification",
    ActionKind.TERRITORIAL_APPLICATION: "application or extension",
    ActionKind.SIGNATURE_CONFIRMATION: "confirmation of signature",
    ActionKind.OTHER: "other action",
}
_ACTION_FR: dict[ActionKind, str] = {
    ActionKind.PROVISIONAL_APPLICATION: "application provisoire",
    ActionKind.PROVISIONAL_ACCEPTANCE: "acceptation provisoire",
    ActionKind.NOTIFICATION: "notification",
    ActionKind.TERRITORIAL_APPLICATION: "application ou extension",
    ActionKind.SIGNATURE_CONFIRMATION: "confirmation de signature",
    ActionKind.OTHER: "autre formalité",
}


def consent_noun(kind: ConsentKind, language: str = "en") -> str:
    """The noun for a kind of consent: "accession" / "adhésion"."""
    return (_NOUN_FR if language == "fr" else _NOUN_EN)[kind]


def action_noun(kind: ActionKind | str, language: str = "en") -> str:
    """The noun for a kind of action: "provisional application" / "application provisoire";
    a kind this version does not know is returned as it is."""
    try:
        return (_ACTION_FR if language == "fr" else _ACTION_EN)[ActionKind(kind)]
    except ValueError:
        return str(kind)


def _action_detail(detail: str | None, language: str) -> tuple[str, str]:
    """An action event's detail ("provisional_application: Provisional application(n)") ->
    (noun of the kind, column heading)."""
    kind, _, column = (detail or "").partition(": ")
    return action_noun(kind, language), column


def format_date(value: date, language: str = "en") -> str:
    """A readable date: "30 May 2014" / "30 mai 2014" ("1er mai 2014" in French)."""
    if language == "fr":
        day = "1er" if value.day == 1 else str(value.day)
        return f"{day} {_MONTHS_FR[value.month - 1]} {value.year}"
    return f"{value.day} {_MONTHS_EN[value.month - 1]} {value.year}"


def describe(change: Change, *, language: str = "en", treaty_title: str | None = None) -> str:
    """One readable sentence for ``change`` in English (``"en"``) or French (``"fr"``).

    With ``treaty_title`` the treaty is named by title and number, e.g. "the Optional
    Protocol to ... (IV-11-d)"; otherwise by number ("treaty IV-11-d").
    """
    if language == "fr":
        return _describe_fr(change, treaty_title)
    if language != "en":
        raise ValueError(f"No wording for language {language!r}; use 'en' or 'fr'.")
    return _describe_en(change, treaty_title)


def _value_date(value: str | None, language: str) -> str:
    """An ISO date string made readable; other strings are returned as they are."""
    if value is None:
        return "(none)" if language == "en" else "(aucune)"
    try:
        return format_date(date.fromisoformat(value), language)
    except ValueError:
        return value


def _describe_en(c: Change, title: str | None) -> str:
    if title:
        article = "" if title.lower().startswith("the ") else "the "
        treaty = f"{article}{title} ({c.mtdsg_no})"
    else:
        treaty = f"treaty {c.mtdsg_no}"
    name = c.participant_name or c.participant_code or "A participant"
    when = "" if c.effective_date is None else f" on {format_date(c.effective_date)}"
    seen = format_date(c.observed_at.date())
    kind = c.kind

    if kind is ChangeKind.SIGNATURE:
        return f"{name} signed {treaty}{when}."
    if kind is ChangeKind.CONSENT:
        verb = _VERB_EN[c.consent_kind or ConsentKind.RATIFICATION]
        return f"{name} {verb} {treaty}{when}."
    if kind is ChangeKind.WITHDRAWAL:
        return (
            f"{name} is now shown as withdrawn from {treaty} (seen on {seen}; the date of "
            "withdrawal is in the notes of the status page)."
        )
    if kind is ChangeKind.DATE_CORRECTION:
        if c.detail == "consent_kind":
            return (
                f"The type of consent of {name} for {treaty} was corrected from "
                f"{_kind_noun(c.old_value, _NOUN_EN)} to {_kind_noun(c.new_value, _NOUN_EN)}."
            )
        if c.detail == "withdrawn":
            return f"{name} is no longer shown as withdrawn from {treaty} (seen on {seen})."
        what = "signature" if c.detail == "signature" else "consent"
        if c.new_value is None:
            return (
                f"The {what} date of {name} for {treaty} ({_value_date(c.old_value, 'en')}) "
                f"was removed from the status page (seen on {seen})."
            )
        return (
            f"The {what} date of {name} for {treaty} was corrected from "
            f"{_value_date(c.old_value, 'en')} to {_value_date(c.new_value, 'en')}."
        )
    if kind is ChangeKind.DECLARATION:
        if c.new_value is None:
            return f"The declarations or reservations of {name} on {treaty} were removed."
        if c.old_value is None:
            return f"{name} has a new declaration or reservation on {treaty}."
        return f"The declarations or reservations of {name} on {treaty} changed."
    if kind is ChangeKind.RENAME:
        return f"{c.old_value} is now listed as {c.new_value} on {treaty}."
    if kind is ChangeKind.DISAPPEARED:
        return (
            f"{name} is no longer listed on the status page of {treaty} (seen on {seen}); "
            "this needs review and is not a withdrawal."
        )
    if kind is ChangeKind.ACTION:
        noun, column = _action_detail(c.detail, "en")
        where = f" (column “{column}”)" if column else ""
        if c.new_value is None:
            return (
                f"The {noun} of {name} for {treaty}{where} ({_value_date(c.old_value, 'en')}) "
                f"is no longer shown on the status page (seen on {seen})."
            )
        if c.old_value is not None:
            return (
                f"The date of the {noun} of {name} for {treaty}{where} was corrected from "
                f"{_value_date(c.old_value, 'en')} to {_value_date(c.new_value, 'en')}."
            )
        return f"{name}: {noun} of {treaty}{when}{where}; this is not a ratification."
    if kind is ChangeKind.TREATY_IN_FORCE:
        eif = c.effective_date
        if eif is None:
            return f"{treaty[0].upper()}{treaty[1:]} has a new entry-into-force date."
        verb = "enters" if eif > c.observed_at.date() else "entered"
        return f"{treaty[0].upper()}{treaty[1:]} {verb} into force on {format_date(eif)}."
    return f"{name}: {kind} on {treaty}."


def _kind_noun(value: str | None, nouns: dict[ConsentKind, str]) -> str:
    """The noun for a stored consent-kind value ("accession" / "adhésion")."""
    if value is None:
        return "(none)"
    try:
        return nouns[ConsentKind(value)]
    except ValueError:
        return value


def _describe_fr(c: Change, title: str | None) -> str:
    treaty = f"{title} ({c.mtdsg_no})" if title else f"traité {c.mtdsg_no}"
    name = c.participant_name or c.participant_code or "Participant"
    when = "" if c.effective_date is None else f" le {format_date(c.effective_date, 'fr')}"
    seen = format_date(c.observed_at.date(), "fr")
    kind = c.kind

    if kind is ChangeKind.SIGNATURE:
        return f"{name} : signature{when} — {treaty}."
    if kind is ChangeKind.CONSENT:
        noun = _NOUN_FR[c.consent_kind or ConsentKind.RATIFICATION]
        return f"{name} : {noun}{when} — {treaty}."
    if kind is ChangeKind.WITHDRAWAL:
        return (
            f"{name} : retrait — {treaty} (constaté le {seen} ; la date du retrait figure "
            "dans les notes de la page d'état)."
        )
    if kind is ChangeKind.DATE_CORRECTION:
        if c.detail == "consent_kind":
            return (
                f"{name} : type de consentement corrigé ({_kind_noun(c.old_value, _NOUN_FR)} "
                f"→ {_kind_noun(c.new_value, _NOUN_FR)}) — {treaty}."
            )
        if c.detail == "withdrawn":
            return f"{name} : n'est plus indiqué comme retiré — {treaty} (constaté le {seen})."
        what = "signature" if c.detail == "signature" else "consentement"
        if c.new_value is None:
            return (
                f"{name} : date de {what} ({_value_date(c.old_value, 'fr')}) retirée de la "
                f"page d'état — {treaty} (constaté le {seen})."
            )
        return (
            f"{name} : date de {what} corrigée du {_value_date(c.old_value, 'fr')} au "
            f"{_value_date(c.new_value, 'fr')} — {treaty}."
        )
    if kind is ChangeKind.DECLARATION:
        if c.new_value is None:
            return f"{name} : déclarations ou réserves retirées — {treaty}."
        if c.old_value is None:
            return f"{name} : nouvelle déclaration ou réserve — {treaty}."
        return f"{name} : déclarations ou réserves modifiées — {treaty}."
    if kind is ChangeKind.RENAME:
        return f"{c.old_value} : désormais désigné « {c.new_value} » — {treaty}."
    if kind is ChangeKind.DISAPPEARED:
        return (
            f"{name} : ne figure plus sur la page d'état — {treaty} (constaté le {seen}) ; "
            "à vérifier, ce n'est pas un retrait."
        )
    if kind is ChangeKind.ACTION:
        noun, column = _action_detail(c.detail, "fr")
        where = f" (colonne « {column} »)" if column else ""
        if c.new_value is None:
            return (
                f"{name} : {noun} ({_value_date(c.old_value, 'fr')}) ne figure plus sur la "
                f"page d'état — {treaty}{where} (constaté le {seen})."
            )
        if c.old_value is not None:
            return (
                f"{name} : date de {noun} corrigée du {_value_date(c.old_value, 'fr')} au "
                f"{_value_date(c.new_value, 'fr')} — {treaty}{where}."
            )
        return f"{name} : {noun}{when} — {treaty}{where} ; ce n'est pas une ratification."
    if kind is ChangeKind.TREATY_IN_FORCE:
        if c.effective_date is None:
            return f"{treaty} : nouvelle date d'entrée en vigueur."
        return f"{treaty} : entrée en vigueur{when}."
    return f"{name} : {kind} — {treaty}."
