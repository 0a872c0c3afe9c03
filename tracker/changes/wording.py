"""Event wording: one sentence per change event, and the names of kinds of change, of
consent and of action, in English and French. The one place that words change events:
alerts, the feed, the app's queries and the CLI all use it. PURE: no clock, no I/O.
Dates are written by :func:`tracker.dates.format_date`.
"""

from __future__ import annotations

import logging
from datetime import date

from tracker.dates import format_date
from tracker.domain import ActionKind, Change, ChangeKind, ConsentKind

logger = logging.getLogger(__name__)

#: The name of each kind of change (alert titles, the app's filters and columns).
KIND_NAMES: dict[str, dict[ChangeKind, str]] = {
    "en": {
        ChangeKind.SIGNATURE: "signature",
        ChangeKind.CONSENT: "ratification or accession",
        ChangeKind.WITHDRAWAL: "withdrawal",
        ChangeKind.DATE_CORRECTION: "correction",
        ChangeKind.DECLARATION: "declaration or reservation",
        ChangeKind.RENAME: "new name",
        ChangeKind.DISAPPEARED: "no longer listed",
        ChangeKind.TREATY_IN_FORCE: "entry into force",
        ChangeKind.ACTION: "provisional application or other action",
    },
    "fr": {
        ChangeKind.SIGNATURE: "signature",
        ChangeKind.CONSENT: "ratification ou adhésion",
        ChangeKind.WITHDRAWAL: "retrait",
        ChangeKind.DATE_CORRECTION: "correction",
        ChangeKind.DECLARATION: "déclaration ou réserve",
        ChangeKind.RENAME: "nouveau nom",
        ChangeKind.DISAPPEARED: "ne figure plus",
        ChangeKind.TREATY_IN_FORCE: "entrée en vigueur",
        ChangeKind.ACTION: "application provisoire ou autre formalité",
    },
}


def kind_name(kind: ChangeKind | str, language: str = "en") -> str:
    """The name of a kind of change: "withdrawal" / "retrait"; a kind this version does not
    know is returned as it is. ``ValueError`` for a language other than "en" or "fr"."""
    names = _names(KIND_NAMES, language)
    try:
        return names[ChangeKind(kind)]
    except ValueError:
        return str(kind)


def _names(table: dict[str, dict[ChangeKind, str]], language: str) -> dict[ChangeKind, str]:
    if language not in table:
        raise ValueError(f"No wording for language {language!r}; use 'en' or 'fr'.")
    return table[language]


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


def describe(
    change: Change,
    *,
    language: str = "en",
    treaty_title: str | None = None,
    in_force_date: date | None = None,
) -> str:
    """One readable sentence for ``change`` in English (``"en"``) or French (``"fr"``).

    With ``treaty_title`` the treaty is named by title and number, e.g. "the Optional
    Protocol to ... (IV-11-d)"; otherwise by number ("treaty IV-11-d"). With
    ``in_force_date``, a ratification or accession also says when the treaty enters (or
    entered) into force for the participant.
    """
    if language == "fr":
        text = _describe_fr(change, treaty_title)
    elif language == "en":
        text = _describe_en(change, treaty_title)
    else:
        raise ValueError(f"No wording for language {language!r}; use 'en' or 'fr'.")
    if change.kind is ChangeKind.CONSENT and in_force_date is not None:
        text = text.rstrip(".") + _in_force_for(change, in_force_date, language)
    return text


def _in_force_for(c: Change, in_force_date: date, language: str) -> str:
    when = format_date(in_force_date, language)
    if language == "fr":
        return f" ; entrée en vigueur à son égard le {when}."
    name = c.participant_name or c.participant_code or ""
    verb = "enters" if in_force_date > c.observed_at.date() else "entered"
    return f"; it {verb} into force for {name} on {when}."


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
