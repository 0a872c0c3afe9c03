"""The Health view's messages: one per cause, naming the treaties it concerns.

PURE: rows of :func:`tracker.queries.health` and ``now`` in, messages out. Thirteen treaties
that have only the bundled snapshot make ONE message ("13 treaties: no live poll yet — data
from the bundled snapshot of 14 Mar 2015: IV-2, IV-3 …"), not thirteen identical boxes.
Failures are grouped by what went wrong (the error with its addresses left out, so the same
refusal on two pages is one cause). Unknown is never "fine": a treaty never polled is its own
cause.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tracker.i18n import check_language, readable_date
from tracker.poll_job import Progress
from tracker.queries.health import HealthRow

logger = logging.getLogger(__name__)

#: levels, most urgent first (the view shows error / warning / info / success boxes)
LEVELS = ("error", "warning", "info", "success")

_LABELS: dict[str, tuple[str, str]] = {
    "treaties": ("{n} treaties", "{n} traités"),
    "treaty": ("1 treaty", "1 traité"),
    "failing": (
        "{who}: the last poll failed ({outcome}: {cause}), {times} in a row",
        "{who} : la dernière interrogation a échoué ({outcome} : {cause}), {times} de suite",
    ),
    "times_one": ("once", "une fois"),
    "times_many": ("{n} times", "{n} fois"),
    "times_range": ("{low} to {high} times", "{low} à {high} fois"),
    "no_cause": ("no reason recorded", "aucune raison enregistrée"),
    "never_polled": (
        "{who}: never polled — no data yet",
        "{who} : jamais interrogé — pas encore de données",
    ),
    "no_success": (
        "{who}: polled, but no poll has succeeded yet — no data yet",
        "{who} : interrogé, mais aucune interrogation n'a encore réussi — pas encore de données",
    ),
    "snapshot": (
        "{who}: no live poll yet — data from the bundled snapshot of {date}",
        "{who} : pas encore d'interrogation en direct — données de l'instantané fourni du {date}",
    ),
    "stale": (
        "{who}: not verified for more than {days} days (last on {oldest})",
        "{who} : non vérifiés depuis plus de {days} jours (dernière fois le {oldest})",
    ),
    "counts": (
        "{who}: the page's stated counts disagree with its rows (kept as found)",
        "{who} : les totaux indiqués par la page ne correspondent pas à ses lignes "
        "(conservés tels quels)",
    ),
    "accepted": (
        "{who}: a suspect page was accepted by an operator",
        "{who} : une page suspecte a été acceptée par un opérateur",
    ),
    "live": (
        "{who}: live data, verified between {oldest} and {newest}",
        "{who} : données en direct, vérifiées entre le {oldest} et le {newest}",
    ),
    "progress": (
        "Polling: {done} of {total} pages recorded",
        "Interrogation : {done} pages enregistrées sur {total}",
    ),
    "finished": (
        "Poll finished: {done} of {total} pages recorded ({outcomes}).",
        "Interrogation terminée : {done} pages enregistrées sur {total} ({outcomes}).",
    ),
    "finished_failed": (
        "Poll finished with failures: {done} of {total} pages recorded ({outcomes}); "
        "failed: {failed}.",
        "Interrogation terminée avec des échecs : {done} pages enregistrées sur {total} "
        "({outcomes}) ; en échec : {failed}.",
    ),
    "finished_nothing": (
        "The poll ended without recording any page (exit status {status}); its log follows.",
        "L'interrogation s'est terminée sans enregistrer de page (code de sortie {status}) ; "
        "son journal suit.",
    ),
    "outcome_new": ("{n} first poll", "{n} première interrogation"),
    "outcome_changed": ("{n} changed", "{n} modifiée(s)"),
    "outcome_unchanged": ("{n} unchanged", "{n} inchangée(s)"),
    "outcome_suspect": ("{n} suspect", "{n} suspecte(s)"),
    "outcome_error": ("{n} failed", "{n} en échec"),
    "live_one_day": (
        "{who}: live data, verified on {newest}",
        "{who} : données en direct, vérifiées le {newest}",
    ),
}


def _l(key: str, language: str, **values: object) -> str:
    text = _LABELS[key][0 if check_language(language) == "en" else 1]
    return text.format(**values) if values else text


@dataclass(frozen=True, slots=True)
class HealthMessage:
    """One cause: its ``level`` (:data:`LEVELS`), the sentence, the treaties it concerns and,
    where each treaty has its own detail (a count discrepancy, who accepted a page), one line
    per treaty."""

    level: str
    cause: str
    text: str
    treaties: tuple[str, ...]
    details: tuple[str, ...] = ()


def _who(treaties: Sequence[str], language: str) -> str:
    n = len(treaties)
    return _l("treaty", language) if n == 1 else _l("treaties", language, n=n)


_URL = re.compile(r"\b[a-z][a-z0-9+.-]*://\S+", re.IGNORECASE)


def error_cause(row: HealthRow) -> str:
    """The error of a failed poll, with page addresses and the treaty's own number left out,
    so the same failure on several pages reads the same."""
    text = _URL.sub("…", row.error or "")
    text = re.sub(rf"(?<![\w-]){re.escape(row.mtdsg_no)}(?![\w-])", "…", text)
    return " ".join(text.split())


def _times(counts: Iterable[int], language: str) -> str:
    values = sorted(set(counts))
    if len(values) > 1:
        return _l("times_range", language, low=values[0], high=values[-1])
    if values == [1]:
        return _l("times_one", language)
    return _l("times_many", language, n=values[0])


def messages(
    rows: Sequence[HealthRow],
    *,
    now: datetime,
    stale_after: timedelta,
    language: str = "en",
) -> list[HealthMessage]:
    """One message per cause over ``rows``, most urgent first; a treaty may be in several
    (failing now, and its data still the snapshot)."""
    lang = check_language(language)
    result: list[HealthMessage] = []

    failing: dict[tuple[str, str], list[HealthRow]] = {}
    for row in rows:
        if row.failures_in_a_row:
            failing.setdefault((row.outcome or "error", error_cause(row)), []).append(row)
    for (outcome, cause), group in failing.items():
        numbers = tuple(r.mtdsg_no for r in group)
        text = _l(
            "failing",
            lang,
            who=_who(numbers, lang),
            outcome=outcome,
            cause=cause or _l("no_cause", lang),
            times=_times((r.failures_in_a_row for r in group), lang),
        )
        result.append(HealthMessage("error", f"failing:{outcome}:{cause}", text, numbers))

    never = tuple(r.mtdsg_no for r in rows if r.last_poll_at is None and r.last_success_at is None)
    if never:
        text = _l("never_polled", lang, who=_who(never, lang))
        result.append(HealthMessage("warning", "never_polled", text, never))
    no_success = tuple(
        r.mtdsg_no for r in rows if r.last_poll_at is not None and r.last_success_at is None
    )
    if no_success:
        text = _l("no_success", lang, who=_who(no_success, lang))
        result.append(HealthMessage("warning", "no_success", text, no_success))

    by_snapshot: dict[date | None, list[str]] = {}
    for r in rows:
        if r.last_success_at is not None and r.from_snapshot:
            by_snapshot.setdefault(r.published_on, []).append(r.mtdsg_no)
    for published, snapshot_rows in by_snapshot.items():
        text = _l(
            "snapshot",
            lang,
            who=_who(snapshot_rows, lang),
            date=readable_date(published, lang) if published else "?",
        )
        result.append(HealthMessage("info", "snapshot", text, tuple(snapshot_rows)))

    live = [r for r in rows if r.last_success_at is not None and not r.from_snapshot]
    stale = [
        r for r in live if r.last_verified_at is None or now - r.last_verified_at > stale_after
    ]
    if stale:
        known = [r.last_verified_at for r in stale if r.last_verified_at is not None]
        text = _l(
            "stale",
            lang,
            who=_who([r.mtdsg_no for r in stale], lang),
            days=stale_after.days,
            oldest=readable_date(min(known), lang) if known else "?",
        )
        result.append(HealthMessage("warning", "stale", text, tuple(r.mtdsg_no for r in stale)))

    counts = [r for r in rows if r.count_discrepancy]
    if counts:
        text = _l("counts", lang, who=_who([r.mtdsg_no for r in counts], lang))
        details = tuple(f"{r.mtdsg_no}: {note}" for r in counts for note in r.count_discrepancy)
        result.append(
            HealthMessage("warning", "counts", text, tuple(r.mtdsg_no for r in counts), details)
        )

    accepted = [r for r in rows if r.accepted_by]
    if accepted:
        text = _l("accepted", lang, who=_who([r.mtdsg_no for r in accepted], lang))
        details = tuple(
            f"{r.mtdsg_no}: {r.accepted_by}, {readable_date(r.accepted_at, lang)}" for r in accepted
        )
        result.append(
            HealthMessage("info", "accepted", text, tuple(r.mtdsg_no for r in accepted), details)
        )

    fresh = [r for r in live if r not in stale and r.last_verified_at is not None]
    if fresh:
        verified = [r.last_verified_at for r in fresh if r.last_verified_at is not None]
        oldest, newest = readable_date(min(verified), lang), readable_date(max(verified), lang)
        who = _who([r.mtdsg_no for r in fresh], lang)
        text = (
            _l("live_one_day", lang, who=who, newest=newest)
            if oldest == newest
            else _l("live", lang, who=who, oldest=oldest, newest=newest)
        )
        result.append(HealthMessage("success", "live", text, tuple(r.mtdsg_no for r in fresh)))

    result.sort(key=lambda m: LEVELS.index(m.level))
    return result


def progress_text(p: Progress, language: str = "en") -> tuple[str, str]:
    """``(level, sentence)`` for a "poll now" job: running ("info"), finished well
    ("success"), with failures or nothing recorded ("error"). No Python representation."""
    lang = check_language(language)
    if not p.finished:
        return "info", _l("progress", lang, done=p.done, total=p.total)
    outcomes = ", ".join(
        _l(f"outcome_{name}", lang, n=n) if f"outcome_{name}" in _LABELS else f"{n} {name}"
        for name, n in sorted(p.outcomes.items())
    )
    if not p.done:
        return "error", _l("finished_nothing", lang, status=p.exit_status)
    if p.failed or p.exit_status:
        failed = ", ".join(p.failed) or "?"
        return "error", _l(
            "finished_failed", lang, done=p.done, total=p.total, outcomes=outcomes, failed=failed
        )
    return "success", _l("finished", lang, done=p.done, total=p.total, outcomes=outcomes)
