"""A one-page country brief to print or attach to a letter: HTML with print styles (A4).

What it says, in English or French: where the country stands on every tracked treaty
(signature, consent date and kind, in force for it), the gaps (signed but not ratified, not
signed, no data yet), declarations and reservations (present / none stated / unknown),
recent changes, and per row the source page and when it was last verified, then the
caveats (bundled snapshot, stale rows, counts that disagree with their rows).

:func:`collect` reads through :mod:`tracker.queries`; :func:`render` is PURE (the data and
``generated_at`` in, the HTML out; no clock, no I/O but the packaged template). Everything
scraped is escaped by Jinja2's autoescaping. Unknown is never "none": a treaty with no data
yet says "no data yet" in every column, and its declarations are "unknown".
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

import jinja2
from sqlmodel import Session

from tracker import coverage, queries, treaty_names
from tracker.i18n import (
    check_language,
    consent_kind_label,
    readable_date,
    readable_datetime,
    status_label,
    t,
)

logger = logging.getLogger(__name__)

#: how many recent change events the brief lists
RECENT_EVENTS = 8
#: declaration texts longer than this are cut (the source page has them in full)
DECLARATION_CHARS = 240

_LABELS: dict[str, tuple[str, str]] = {
    "title": ("Treaty status brief: {country}", "Note sur l'état des traités : {country}"),
    "generated": (
        "Prepared on {date} by treaty-tracker from the UN Treaty Collection "
        "(treaties.un.org), the authoritative record; check the source pages before quoting.",
        "Établie le {date} par treaty-tracker à partir de la Collection des traités des "
        "Nations Unies (treaties.un.org), qui fait foi ; vérifiez les pages sources avant de "
        "citer.",
    ),
    "summary": (
        "{country} is a party to {parties} of the {total} tracked treaties.",
        "{country} est partie à {parties} des {total} traités suivis.",
    ),
    "summary_unknown": (
        "For {n} of them there is no data yet: nothing is known of its status there.",
        "Pour {n} d'entre eux, aucune donnée pour l'instant : son statut y est inconnu.",
    ),
    "status_heading": ("Status on each treaty", "Statut pour chaque traité"),
    "gaps_heading": ("Gaps", "Lacunes"),
    "declarations_heading": ("Declarations and reservations", "Déclarations et réserves"),
    "changes_heading": ("Recent changes", "Changements récents"),
    "sources_heading": ("Sources and verification", "Sources et vérification"),
    "caveats_heading": ("How far to trust this", "Limites de ces données"),
    "decl_present": ("present", "oui"),
    "decl_none": ("none stated", "aucune indiquée"),
    "decl_unknown": ("unknown (no data yet)", "inconnu (pas encore de données)"),
    "decl_not_read": (
        "present; text not read — see the source page",
        "oui ; texte non lu — voir la page source",
    ),
    "decl_cut": ("… (full text on the source page)", "… (texte complet sur la page source)"),
    "no_declarations": (
        "None stated on the pages read.",
        "Aucune indiquée sur les pages lues.",
    ),
    "no_changes": (
        "No change recorded for {country} since the tracker started.",
        "Aucun changement enregistré pour {country} depuis le début du suivi.",
    ),
    "catch_up": (
        "found by a catch-up poll: it happened on its effective date",
        "trouvé par une interrogation de rattrapage : il date de sa date d'effet",
    ),
    "origin_live": ("live poll", "interrogation en direct"),
    "origin_snapshot": ("bundled snapshot", "instantané fourni"),
    "origin_none": ("no data yet", "pas encore de données"),
    "not_known": ("not known", "inconnue"),
    "not_in_force": ("not in force for it", "pas en vigueur pour lui"),
    "download": (
        "Download the country brief (HTML, to print)",
        "Télécharger la note pays (HTML, à imprimer)",
    ),
    "print_hint": (
        "To make a PDF, print this page from the browser and choose “Save as PDF”.",
        "Pour obtenir un PDF, imprimez cette page depuis le navigateur et choisissez "
        "« Enregistrer au format PDF ».",
    ),
    "row_unknown": (
        "page not read yet: nothing is known",
        "page pas encore lue : rien n'est connu",
    ),
}


def label(key: str, language: str, **values: object) -> str:
    text = _LABELS[key][0 if check_language(language) == "en" else 1]
    return text.format(**values) if values else text


@dataclass(frozen=True, slots=True)
class BriefData:
    """What a brief is made from: the country's row per treaty, its recent change events and
    how long a live verification stays fresh."""

    code: str
    country: str
    language: str
    rows: tuple[queries.CountryTreatyRow, ...]
    events: tuple[queries.EventRow, ...] = ()
    stale_after: timedelta = timedelta(days=30)
    extra_caveats: tuple[str, ...] = field(default=())


def collect(
    *,
    session: Session,
    code: str,
    treaties: Sequence[str],
    language: str = "en",
    stale_after: timedelta = timedelta(days=30),
) -> BriefData:
    """Read what the brief of ``code`` needs: its row on each tracked treaty (``treaties``,
    included even without data; the other stored treaties are left out), and its recent
    change events."""
    # the tracked treaties only (read only those): one page, even with every treaty stored
    rows = queries.country_overview(
        session=session, code=code, treaties=treaties, language=language,
        every_stored=not treaties,
    )  # fmt: skip
    events = queries.events(session=session, country=code, limit=RECENT_EVENTS)
    return BriefData(
        code=code,
        country=queries.country_name(code, language),
        language=check_language(language),
        rows=tuple(rows),
        events=tuple(events),
        stale_after=stale_after,
    )


@dataclass(frozen=True, slots=True)
class _Row:
    mtdsg_no: str
    short: str  # the common short name ("OPIC", "PF-CIDE-PC"), "" when it is the title
    title: str
    status: str
    known: bool
    signature: str
    consent: str
    consent_kind: str
    in_force: str
    declarations: str
    source_url: str | None
    verified: str
    origin: str


def _date_cell(value: date | None, known: bool, language: str) -> str:
    if not known:
        return "?"
    return readable_date(value, language) if value else "—"


def _row(r: queries.CountryTreatyRow, language: str) -> _Row:
    known = r.status != coverage.NO_DATA
    in_force = _date_cell(r.in_force_date, known, language)
    if known and r.status == "party" and r.in_force_date is None:
        in_force = label("not_known", language)
    if known and r.status in ("not_signed", "signed"):
        in_force = label("not_in_force", language)
    if not known:
        declarations = label("decl_unknown", language)
    elif r.has_declarations:
        declarations = label("decl_present", language)
    else:
        declarations = label("decl_none", language)
    if not known:
        origin = label("origin_none", language)
    elif r.source == coverage.SNAPSHOT:
        origin = label("origin_snapshot", language)
    else:
        origin = label("origin_live", language)
    short = treaty_names.short_name(r.mtdsg_no, language, r.title)
    return _Row(
        mtdsg_no=r.mtdsg_no,
        short="" if short in (r.title, r.mtdsg_no) else short,
        title=r.title,
        status=status_label(r.status, language),
        known=known,
        signature=_date_cell(r.signature_date, known, language),
        consent=_date_cell(r.consent_date, known, language),
        consent_kind=consent_kind_label(r.consent_kind, language) if known else "?",
        in_force=in_force,
        declarations=declarations,
        source_url=r.source_url,
        verified=readable_date(r.last_verified_at, language) or t("never", language),
        origin=origin,
    )


def _declaration_text(r: queries.CountryTreatyRow, language: str) -> str:
    text = " ".join((r.declaration_text or "").split())
    if not text:
        return label("decl_not_read", language)
    if len(text) <= DECLARATION_CHARS:
        return text
    return text[:DECLARATION_CHARS].rsplit(" ", 1)[0] + " " + label("decl_cut", language)


def _gap_line(found: Sequence[str], gaps: coverage.Gaps, titles: dict[str, str], lang: str) -> str:
    if not found:
        return coverage.empty_gap_text(gaps, lang)
    return "; ".join(treaty_names.label(no, lang, titles[no]) for no in found)


def context(data: BriefData, *, generated_at: datetime) -> dict[str, object]:
    """The values the template shows (PURE; tested on their own)."""
    lang = data.language
    rows = list(data.rows)
    gaps = coverage.gaps(rows)
    fresh = coverage.freshness(rows, now=generated_at, stale_after=data.stale_after)
    titles = {r.mtdsg_no: r.title for r in rows}
    parties = sum(1 for r in rows if r.status == "party")
    summary = [label("summary", lang, country=data.country, parties=parties, total=len(rows))]
    if gaps.unknown:
        summary.append(label("summary_unknown", lang, n=len(gaps.unknown)))
    caveats = coverage.freshness_lines(fresh, lang)
    caveats += [
        f"{r.mtdsg_no}: {t('count_discrepancy', lang, detail=note)}"
        for r in rows
        for note in r.count_discrepancy
    ]
    caveats += list(data.extra_caveats)
    events = [
        {
            "sentence": e.sentence(lang),
            "effective": readable_date(e.effective_date, lang),
            "observed": readable_date(e.observed_at, lang),
            "source_url": e.source_url,
            "catch_up": label("catch_up", lang) if e.catch_up else "",
        }
        for e in data.events
    ]
    return {
        "lang": lang,
        "title": label("title", lang, country=f"{data.country} ({data.code})"),
        "generated": label("generated", lang, date=readable_datetime(generated_at, lang)),
        "summary": summary,
        "rows": [_row(r, lang) for r in rows],
        "gaps": [
            (t("signed_not_ratified", lang), _gap_line(gaps.signed, gaps, titles, lang)),
            (t("not_signed", lang), _gap_line(gaps.not_signed, gaps, titles, lang)),
        ],
        "gaps_unknown": coverage.unknown_gap_text(gaps, lang),
        "declarations": [
            (
                f"{treaty_names.label(r.mtdsg_no, lang, r.title)} — {r.title}",
                _declaration_text(r, lang),
            )
            for r in rows
            if r.has_declarations
        ],
        "events": events,
        "no_changes": label("no_changes", lang, country=data.country),
        "caveats": caveats,
        "L": {key: label(key, lang) for key in _LABELS if "{" not in _LABELS[key][0]},
        "T": {
            key: t(key, lang)
            for key in (
                "col_treaty",
                "col_status",
                "col_signature",
                "col_consent",
                "col_consent_kind",
                "col_in_force",
                "col_declarations",
                "col_source",
                "col_verified",
                "col_effective",
                "col_observed",
                "col_what",
            )
        },  # fmt: skip
    }


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("tracker", "templates"),
        autoescape=True,  # every value is escaped: scraped text never becomes markup
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(data: BriefData, *, generated_at: datetime) -> str:
    """The brief as one HTML document (print styles for A4 inside)."""
    template = _environment().get_template("brief.html")
    return template.render(context(data, generated_at=generated_at))


def file_name(code: str, language: str, generated_at: datetime) -> str:
    return f"brief-{code}-{language}-{generated_at.date().isoformat()}.html"
