"""Entry into force: for a treaty, and for each State that joined it.

PURE: standard library only, no clock, no I/O.

Each default treaty has an :class:`EifRule` in :data:`RULES`, read from its final
clauses: the treaty enters into force a delay after the deposit of the n-th instrument of
ratification or accession, and for each State that joins later a delay after that State's
own instrument. Two kinds of delay occur:

* "on the thirtieth day after/following the date of deposit" = deposit date + 30 days
  (checked on the CRC: 20th instrument 3 Aug 1990, in force 2 Sep 1990);
* "three months after the date of deposit" = the same day three months later, clamped to
  the month's last day (OPIC: 10th instrument, Costa Rica, 14 Jan 2014 -> 14 Apr 2014);
* the CMW adds "the first day of the month following a period of three months".

Limits, stated once here:

* The date of a succession on the page is the date of the notification; a succession
  takes effect from the date of the succession of States (given in the notes), which may be
  earlier. Dates computed for successions are flagged in :attr:`EifResult.warnings`.
* The amendment to article 43(2) of the CRC (IV-11-a) entered into force for the
  Convention as a whole once two thirds of the States parties had accepted it (art. 50(2)
  CRC); that threshold moved with the number of States parties, so it is not computed: the
  page's stated date is used. Under art. 50(3) it binds the States that accepted it, so a
  State that accepted later is given the date of its acceptance.
* Dates of withdrawal are only in the notes of a page: a withdrawn participant's instrument
  still counts as deposited, and the date the treaty entered into force for it is kept.
"""

from __future__ import annotations

import calendar
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from tracker.domain import ConsentKind, Participant, TreatyStatus

logger = logging.getLogger(__name__)


def add_months(value: date, months: int) -> date:
    """``value`` moved by ``months`` calendar months, the day clamped to the month's end."""
    index = value.year * 12 + (value.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    day = min(value.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


@dataclass(frozen=True, slots=True)
class Delay:
    """A delay after a deposit: ``days`` and/or ``months``; then, if ``first_of_next_month``,
    the first day of the month that follows."""

    days: int = 0
    months: int = 0
    first_of_next_month: bool = False

    def after(self, deposit: date) -> date:
        result = add_months(deposit, self.months) + timedelta(days=self.days)
        if self.first_of_next_month:
            result = add_months(result.replace(day=1), 1)
        return result


THIRTIETH_DAY = Delay(days=30)
THREE_MONTHS = Delay(months=3)
ONE_MONTH = Delay(months=1)
FIRST_OF_MONTH_AFTER_THREE_MONTHS = Delay(months=3, first_of_next_month=True)
NO_DELAY = Delay()


@dataclass(frozen=True, slots=True)
class EifRule:
    """How one treaty enters into force.

    ``instruments`` is the number of instruments needed (None: not computed per State, see
    the module docstring); ``treaty_delay`` runs from the n-th instrument, ``later_delay``
    from the instrument of each State that joins after it.
    """

    mtdsg_no: str
    short_name: str
    instruments: int | None
    treaty_delay: Delay
    later_delay: Delay
    article: str
    source: str


#: The rule of each default treaty (tracker.config.DEFAULT_TREATIES), from its final clauses.
RULES: dict[str, EifRule] = {
    rule.mtdsg_no: rule
    for rule in (
        EifRule(
            "IV-11",
            "CRC",
            20,
            THIRTIETH_DAY,
            THIRTIETH_DAY,
            "art. 49",
            "CRC (GA res. 44/25) art. 49: 30th day after the 20th instrument; "
            "for a later State, 30th day after its own instrument.",
        ),
        EifRule(
            "IV-11-a",
            "CRC amendment art. 43(2)",
            None,
            NO_DELAY,
            NO_DELAY,
            "CRC art. 50(2)",
            "Amendment adopted 12 Dec 1995 (GA res. 50/155); in force when accepted by two "
            "thirds of the States parties (CRC art. 50(2)): the page's date is used.",
        ),
        EifRule(
            "IV-11-b",
            "OPAC",
            10,
            THREE_MONTHS,
            ONE_MONTH,
            "art. 10",
            "OPAC (GA res. 54/263) art. 10: 3 months after the 10th instrument; "
            "for a later State, 1 month after its own instrument.",
        ),
        EifRule(
            "IV-11-c",
            "OPSC",
            10,
            THREE_MONTHS,
            ONE_MONTH,
            "art. 14",
            "OPSC (GA res. 54/263) art. 14: 3 months after the 10th instrument; "
            "for a later State, 1 month after its own instrument.",
        ),
        EifRule(
            "IV-11-d",
            "OPIC",
            10,
            THREE_MONTHS,
            THREE_MONTHS,
            "art. 19",
            "OPIC (GA res. 66/138) art. 19: 3 months after the 10th instrument; "
            "for a later State, 3 months after its own instrument.",
        ),
        EifRule(
            "IV-2",
            "ICERD",
            27,
            THIRTIETH_DAY,
            THIRTIETH_DAY,
            "art. 19",
            "ICERD (GA res. 2106 (XX)) art. 19: 30th day after the 27th instrument; "
            "for a later State, 30th day after its own instrument.",
        ),
        EifRule(
            "IV-3",
            "ICESCR",
            35,
            THREE_MONTHS,
            THREE_MONTHS,
            "art. 27",
            "ICESCR (GA res. 2200A (XXI)) art. 27: 3 months after the 35th instrument; "
            "for a later State, 3 months after its own instrument.",
        ),
        EifRule(
            "IV-4",
            "ICCPR",
            35,
            THREE_MONTHS,
            THREE_MONTHS,
            "art. 49",
            "ICCPR (GA res. 2200A (XXI)) art. 49: 3 months after the 35th instrument; "
            "for a later State, 3 months after its own instrument.",
        ),
        EifRule(
            "IV-8",
            "CEDAW",
            20,
            THIRTIETH_DAY,
            THIRTIETH_DAY,
            "art. 27",
            "CEDAW (GA res. 34/180) art. 27: 30th day after the 20th instrument; "
            "for a later State, 30th day after its own instrument.",
        ),
        EifRule(
            "IV-9",
            "CAT",
            20,
            THIRTIETH_DAY,
            THIRTIETH_DAY,
            "art. 27",
            "CAT (GA res. 39/46) art. 27: 30th day after the 20th instrument; "
            "for a later State, 30th day after its own instrument.",
        ),
        EifRule(
            "IV-13",
            "CMW",
            20,
            FIRST_OF_MONTH_AFTER_THREE_MONTHS,
            FIRST_OF_MONTH_AFTER_THREE_MONTHS,
            "art. 87",
            "CMW (GA res. 45/158) art. 87: first day of the month following a period of "
            "3 months after the 20th instrument; the same after a later State's instrument.",
        ),
        EifRule(
            "IV-15",
            "CRPD",
            20,
            THIRTIETH_DAY,
            THIRTIETH_DAY,
            "art. 45",
            "CRPD (GA res. 61/106) art. 45: 30th day after the 20th instrument; "
            "for a later State, 30th day after its own instrument.",
        ),
        EifRule(
            "IV-16",
            "CED",
            20,
            THIRTIETH_DAY,
            THIRTIETH_DAY,
            "art. 39",
            "CED (GA res. 61/177) art. 39: 30th day after the 20th instrument; "
            "for a later State, 30th day after its own instrument.",
        ),
        EifRule(
            "CETS-201",
            "Lanzarote Convention",
            5,
            FIRST_OF_MONTH_AFTER_THREE_MONTHS,
            FIRST_OF_MONTH_AFTER_THREE_MONTHS,
            "art. 45",
            "Lanzarote Convention (CETS 201) art. 45(3)-(4): first day of the month after three "
            "months from the 5th consent (at least three member States); for a later State, "
            "the same from its own consent. The Council states each State's date: it is used.",
        ),
    )
}


def rule_for(mtdsg_no: str) -> EifRule | None:
    """The rule for a treaty number (case-insensitive), or None if it is not catalogued."""
    wanted = mtdsg_no.strip().casefold()
    for key, rule in RULES.items():
        if key.casefold() == wanted:
            return rule
    return None


def instruments_in_order(participants: Iterable[Participant]) -> list[Participant]:
    """Participants with a consent date, by that date (page order breaks ties).

    Withdrawn participants are included: their instruments were deposited.
    """
    with_consent = [p for p in participants if p.consent is not None]
    return sorted(with_consent, key=lambda p: p.consent.date if p.consent else date.max)


def treaty_entry_into_force(
    rule: EifRule, participants: Iterable[Participant]
) -> tuple[date, Participant] | None:
    """The date the n-th instrument brings, and the participant that deposited it.

    None when fewer than n instruments are on the page, or when the rule is not computed
    (``rule.instruments is None``).
    """
    if rule.instruments is None:
        return None
    ordered = instruments_in_order(participants)
    if len(ordered) < rule.instruments:
        return None
    nth = ordered[rule.instruments - 1]
    assert nth.consent is not None
    return rule.treaty_delay.after(nth.consent.date), nth


def in_force_for(rule: EifRule, treaty_eif: date, consent: date) -> date:
    """The date the treaty enters into force for a State whose instrument is dated
    ``consent``: the later of the treaty's own date and the later-joiner delay."""
    return max(treaty_eif, rule.later_delay.after(consent))


@dataclass(frozen=True, slots=True)
class EifResult:
    """Entry into force of one treaty, as far as its status page tells.

    ``treaty_date`` is the page's stated date when there is one, else the computed one;
    ``source`` says which ("page", "computed" or "unknown"). ``by_participant`` maps the
    code of every participant with a consent date to the date the treaty entered (or
    enters) into force for it. ``warnings`` are findings worth a human look.
    """

    mtdsg_no: str
    rule: EifRule | None
    treaty_date: date | None
    source: str
    stated_date: date | None
    computed_date: date | None
    nth_instrument: Participant | None
    by_participant: dict[str, date]
    warnings: tuple[str, ...]


def entry_into_force(status: TreatyStatus) -> EifResult:
    """Entry into force of ``status``'s treaty, overall and for each participant."""
    rule = rule_for(status.mtdsg_no)
    stated = None if status.entry_into_force is None else status.entry_into_force.date
    warnings: list[str] = []

    computed: tuple[date, Participant] | None = None
    if rule is None:
        warnings.append(f"No entry-into-force rule is catalogued for {status.mtdsg_no}.")
    else:
        computed = treaty_entry_into_force(rule, status.participants)

    computed_date = None if computed is None else computed[0]
    nth = None if computed is None else computed[1]
    if stated is not None and computed_date is not None and stated != computed_date:
        assert nth is not None and nth.consent is not None and rule is not None
        warnings.append(
            f"The page states entry into force on {stated.isoformat()}, but instrument "
            f"no. {rule.instruments} ({nth.name}, {nth.consent.date.isoformat()}) gives "
            f"{computed_date.isoformat()} under {rule.article}."
        )

    if stated is not None:
        treaty_date, source = stated, "page"
    elif computed_date is not None:
        treaty_date, source = computed_date, "computed"
    else:
        treaty_date, source = None, "unknown"

    # A date the source states for a participant (the Council of Europe gives one per State)
    # is taken as it is; the rule computes the others.
    by_participant: dict[str, date] = {
        p.code: p.in_force for p in status.participants if p.in_force is not None
    }
    if rule is not None and treaty_date is not None:
        successions: list[str] = []
        for p in status.participants:
            if p.consent is None or p.code in by_participant:
                continue
            by_participant[p.code] = in_force_for(rule, treaty_date, p.consent.date)
            if p.consent.kind is ConsentKind.SUCCESSION:
                successions.append(p.name)
        if successions:
            warnings.append(
                "Dates for successions are computed from the notification date on the page; "
                "a succession takes effect from the date of succession given in the notes: "
                + ", ".join(successions)
                + "."
            )

    for w in warnings:
        logger.info("%s: %s", status.mtdsg_no, w)
    return EifResult(
        mtdsg_no=status.mtdsg_no,
        rule=rule,
        treaty_date=treaty_date,
        source=source,
        stated_date=stated,
        computed_date=computed_date,
        nth_instrument=nth,
        by_participant=by_participant,
        warnings=tuple(warnings),
    )


def entry_into_force_by_participant(status: TreatyStatus) -> dict[str, date]:
    """Participant code -> date the treaty entered (or enters) into force for it.

    Only participants with a consent date, or with a date the source states
    (``Participant.in_force``, which wins over the computed one); withdrawn participants
    included (the date is a historic fact; check ``Participant.withdrawn``). Computed dates
    need the treaty's own date and a catalogued rule. See :func:`entry_into_force` for the
    warnings.
    """
    return entry_into_force(status).by_participant


@dataclass(frozen=True, slots=True)
class InForceOn:
    """Whether a treaty was in force at the end of day ``at``, as far as its page tells.

    ``in_force`` is None when it cannot be known (no date of entry into force on the page
    and not enough known to compute one). ``treaty_date``/``source`` are those of
    :class:`EifResult`. ``instruments_needed`` is the number of instruments its entry into
    force needed (None: not a fixed number, or no rule catalogued: see ``rule``);
    ``deposited`` counts the instruments deposited by ``at`` (withdrawn participants' too).
    """

    mtdsg_no: str
    at: date
    in_force: bool | None
    treaty_date: date | None
    source: str
    instruments_needed: int | None
    deposited: int
    rule: EifRule | None


def in_force_on(status: TreatyStatus, at: date) -> InForceOn:
    """Whether ``status``'s treaty was in force on ``at`` and what its entry into force
    needed (see :class:`InForceOn`)."""
    result = entry_into_force(status)
    rule = result.rule
    deposited = sum(
        1 for p in instruments_in_order(status.participants) if p.consent and p.consent.date <= at
    )
    needed = rule.instruments if rule is not None else None
    in_force: bool | None
    if result.treaty_date is not None:
        in_force = result.treaty_date <= at
    elif needed is not None and deposited < needed:
        in_force = False  # not enough instruments by then: it cannot have been in force
    else:
        in_force = None
    return InForceOn(
        mtdsg_no=status.mtdsg_no,
        at=at,
        in_force=in_force,
        treaty_date=result.treaty_date,
        source=result.source,
        instruments_needed=needed,
        deposited=deposited,
        rule=rule,
    )
