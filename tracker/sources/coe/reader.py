"""Read the Council of Europe's answers about one treaty into a :class:`TreatyStatus`.

PURE: text + address in, domain objects out; no network, no clock.

What is read (``../shared/depositaries/COE.md``):

* the **signatures** answer, ``api/signatures?NumSte=201&langue=ENG``: a list of three lists
  (member States, non-member States, international organisations) of rows with ``CodePays``,
  ``LibPaysOrga``, ``NumSTE``, ``DateSignature``, ``DateConsentement``, ``DateEntreeVigueur``,
  ``DateDenonciation``, ``DateEffetDenonciation``, ``DateSuspension`` and the flags
  ``Reserves``, ``Declarations``, ``Objections``, ``Territoires``, ``Communications``;
* the **declarations** answer, ``api/conventions/getDeclarations?numSte=201&codeNature=0``:
  rows with ``code_Pays``, ``nature_Dec``, ``numero_Article``, ``date_Effet``,
  ``date_Effet_Retrait``, ``texte_Decl`` (HTML).

One poll fetches both; the crawler keeps them together, verbatim, in one **bundle**
(:func:`make_bundle`): that is the body archived and read, so that a poll stays one body with
one content hash. :func:`read` also takes a bare signatures answer (then no declaration text
is read, and a warning says so).

Each row becomes a :class:`Participant`:

* ``signature`` = ``DateSignature``;
* ``consent`` = ``DateConsentement`` of kind ``ratification_or_accession``: the Council gives
  one date for the instrument and does not say whether it was a ratification, acceptance,
  approval or accession, so the kind is not guessed;
* ``in_force`` = ``DateEntreeVigueur`` (the date the treaty entered into force for that State);
* ``denounced`` / ``denunciation_effective`` = ``DateDenonciation`` / ``DateEffetDenonciation``,
  and ``withdrawn`` as soon as a denunciation is recorded (a State that denounced stays
  "withdrawn" with its effect date, even while the effect date is ahead: the reader does not
  consult a clock, so the same answer always reads the same);
* ``suspended`` = ``DateSuspension``;
* ``has_declarations`` = the ``Reserves`` or ``Declarations`` flag, or texts for it.

Every member State has a row, acted or not; a row without any date is a participant that has
not signed (the Council says so), not a missing one.

An answer that is not JSON, not three lists, has rows without ``CodePays`` or a name, dates in
an unknown format, another treaty's number, far fewer member-State rows than the Council has
members, or a row whose cited Council code contradicts its name raises
:class:`~tracker.domain.ParseError`: the poll is recorded as failed and makes no event.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import lxml.html

from tracker.dates import format_date
from tracker.domain import (
    Conclusion,
    Consent,
    ConsentKind,
    EntryIntoForce,
    ParseError,
    Participant,
    TreatyStatus,
)
from tracker.sources.coe import codes, ids

logger = logging.getLogger(__name__)

__all__ = ["BUNDLE_FORMAT", "Declaration", "make_bundle", "read", "read_declarations"]

#: The ``format`` of a bundle; a bundle of another format is refused.
BUNDLE_FORMAT = "treaty-tracker/coe-answer/1"

GROUPS = ("member States", "non-member States", "international organisations")
#: Keys every signatures row must have (a value may be null); the others may be absent.
REQUIRED_KEYS = (
    "CodePays",
    "LibPaysOrga",
    "DateSignature",
    "DateConsentement",
    "DateEntreeVigueur",
)
DATE_KEYS = {
    "DateSignature": "signature",
    "DateConsentement": "consent",
    "DateEntreeVigueur": "in_force",
    "DateDenonciation": "denounced",
    "DateEffetDenonciation": "denunciation_effective",
    "DateSuspension": "suspended",
}
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T00:00:00(?:\.0+)?)?$")
#: DateConsentement does not say which kind of instrument it dates.
_KIND = ConsentKind.RATIFICATION_OR_ACCESSION
_FALSE_TEXTS = frozenset({"", "0", "n", "no", "non", "false", "faux"})


# --- the bundle ---------------------------------------------------------------------------


def make_bundle(
    *,
    treaty_id: str,
    language: str,
    signatures_url: str,
    signatures: str,
    declarations_url: str,
    declarations: str,
) -> bytes:
    """The body one poll records: both answers verbatim (as text), with their addresses.

    Deterministic (sorted keys, no time in it): the same answers give the same bytes, so an
    unchanged treaty is recognised by its content hash. Never put request headers in it (the
    service's key must not be archived).
    """
    bundle = {
        "format": BUNDLE_FORMAT,
        "treaty": ids.parse_treaty_id(treaty_id) or treaty_id,
        "language": language,
        "signatures": {"url": signatures_url, "body": signatures},
        "declarations": {"url": declarations_url, "body": declarations},
    }
    return json.dumps(bundle, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")


def _json(text: str, what: str, url: str) -> Any:
    if not text or text.isspace():
        raise ParseError(f"the {what} is empty", url=url)
    try:
        return json.loads(text)
    except ValueError as exc:
        raise ParseError(
            f"the {what} is not JSON (cut off, or an error page?): {exc}", url=url
        ) from None


def _part(bundle: Mapping[str, Any], key: str, url: str) -> tuple[str, str]:
    part = bundle.get(key)
    if not isinstance(part, Mapping) or not isinstance(part.get("body"), str):
        raise ParseError(f"the bundle has no {key} answer", url=url)
    return str(part.get("url") or ""), part["body"]


# --- reading --------------------------------------------------------------------------------


def read(text: str, url: str) -> TreatyStatus:
    """Read one treaty's answers (a bundle, or a bare signatures answer) recorded under
    ``url`` (the public chart address, which names the treaty and the language)."""
    data = _json(text, "answer", url)
    treaty_id = ids.treaty_id_from_url(url)
    language = ids.language_from_url(url)
    warnings: list[str] = []
    declarations: list[Declaration] | None = None
    title: str | None = None
    if isinstance(data, Mapping):
        if data.get("format") != BUNDLE_FORMAT:
            raise ParseError(
                f"not a Council of Europe answer bundle (format {data.get('format')!r})", url=url
            )
        bundled = ids.parse_treaty_id(str(data.get("treaty") or ""))
        if bundled is None:
            raise ParseError("the bundle does not name a treaty", url=url)
        if treaty_id is not None and treaty_id != bundled:
            raise ParseError(f"the bundle is for {bundled}, the address for {treaty_id}", url=url)
        treaty_id = bundled
        bundled_language = str(data.get("language") or language or "")
        if language is not None and bundled_language != language:
            warnings.append(
                f"The address asks for language {language!r} but the answers are in "
                f"{bundled_language!r}."
            )
        language = bundled_language
        signatures_url, signatures_text = _part(data, "signatures", url)
        declarations_url, declarations_text = _part(data, "declarations", url)
        _check_answer_language(signatures_url, language, url)
        signatures = _json(signatures_text, "signatures answer", url)
        declarations = read_declarations(declarations_text, url)
        title = data.get("title") if isinstance(data.get("title"), str) else None
    else:
        signatures = data
        warnings.append(
            "Only the signatures answer was read: reservation and declaration texts are unknown."
        )
    if treaty_id is None:
        raise ParseError("the address does not name a treaty (no treatynum=)", url=url)
    if language not in ids.LANGUAGES:
        raise ParseError(f"the answer's language is unknown ({language!r})", url=url)
    number = ids.treaty_number(treaty_id)
    rows = _rows(signatures, number, url)

    participants = []
    council_codes: dict[str, str] = {}  # Council code -> our code, for the declarations
    for group, row in rows:
        participant, council_code = _participant(row, group, url, warnings)
        council_codes[council_code] = participant.code
        participants.append(participant)

    texts: dict[str, str] = {}
    if declarations is not None:
        texts = _declaration_texts(declarations, council_codes, participants, language, warnings)
        participants = [
            p if p.has_declarations or p.code not in texts else replace(p, has_declarations=True)
            for p in participants
        ]
        for p in participants:
            if p.has_declarations and p.code not in texts:
                warnings.append(
                    f"{p.name}: the row flags reservations or declarations, but the "
                    "declarations answer has none for it."
                )

    entry = ids.CATALOGUE.get(number)
    return TreatyStatus(
        mtdsg_no=treaty_id,
        language=language,
        title=title or _title(entry, language, warnings, treaty_id),
        url=url,
        conclusion=_conclusion(entry, language),
        chapter=None,
        status_as_at=None,  # the service states no "as at" time
        entry_into_force=_entry_into_force(entry, participants, language, warnings),
        registration=None,
        participants=tuple(participants),
        declarations=texts,
        warnings=tuple(warnings),
    )


def _check_answer_language(answer_url: str, language: str, url: str) -> None:
    asked = ids.language_from_url(answer_url) if answer_url else None
    if asked is not None and asked != language:
        raise ParseError(
            f"the signatures answer was asked in {asked!r}, the bundle says {language!r}", url=url
        )


def _rows(data: Any, number: int, url: str) -> list[tuple[str, Mapping[str, Any]]]:
    """The rows of a signatures answer with their group, checked for shape."""
    if not isinstance(data, list) or len(data) != 3 or not all(isinstance(g, list) for g in data):
        shape = type(data).__name__ if not isinstance(data, list) else f"a list of {len(data)}"
        raise ParseError(
            "the signatures answer is not a list of three lists (member States, non-member "
            f"States, organisations): it is {shape}",
            url=url,
        )
    members = data[0]
    if len(members) < codes.MIN_MEMBER_ROWS:
        raise ParseError(
            f"the signatures answer lists {len(members)} member States; the Council has "
            f"{len(codes.MEMBERS)} and lists every one (partial answer?)",
            url=url,
        )
    out: list[tuple[str, Mapping[str, Any]]] = []
    for group, rows in zip(GROUPS, data, strict=True):
        for i, row in enumerate(rows):
            where = f"{group}, row {i + 1}"
            if not isinstance(row, Mapping):
                raise ParseError(f"{where} is not an object", url=url)
            missing = [k for k in REQUIRED_KEYS if k not in row]
            if missing:
                raise ParseError(f"{where} has no {', '.join(missing)} (changed answer?)", url=url)
            if not isinstance(row["CodePays"], str) or not row["CodePays"].strip():
                raise ParseError(f"{where} has no CodePays", url=url)
            if not isinstance(row["LibPaysOrga"], str) or not row["LibPaysOrga"].strip():
                raise ParseError(f"{where} ({row['CodePays']}) has no name", url=url)
            stated = row.get("NumSTE")
            if stated is not None and not _same_number(stated, number):
                raise ParseError(
                    f"{where} is for treaty {stated!r}, not {number} (another treaty's answer)",
                    url=url,
                )
            out.append((group, row))
    return out


def _same_number(value: Any, number: int) -> bool:
    text = str(value).strip()
    return text.isdigit() and int(text) == number


def _date(value: Any, field: str, who: str, url: str) -> date | None:
    if value is None:
        return None
    match = _DATE.match(value) if isinstance(value, str) else None
    if match is None:
        raise ParseError(f"{who}: {field} has an unknown date format {value!r}", url=url)
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise ParseError(f"{who}: {field} is not a date: {value!r}", url=url) from None


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().casefold() not in _FALSE_TEXTS
    return bool(value)


def _participant(
    row: Mapping[str, Any], group: str, url: str, warnings: list[str]
) -> tuple[Participant, str]:
    name = " ".join(row["LibPaysOrga"].split())
    council_code = row["CodePays"].strip()
    who = f"{name} ({council_code})"
    dates = {attr: _date(row.get(key), key, who, url) for key, attr in DATE_KEYS.items()}
    match = codes.participant_code(name, council_code)
    if match.conflict is not None:
        raise ParseError(match.conflict, url=url)
    code = match.code
    if code is None:
        code = "X-" + re.sub(r"[^A-Z0-9]+", "-", name.upper()).strip("-")
        warnings.append(
            f"unknown participant name {name!r} (Council code {council_code}, {group}): "
            "add it to tracker/sources/coe/codes.py"
        )
    if dates["in_force"] is not None and dates["consent"] is None:
        warnings.append(f"{name}: in force since {dates['in_force']} but no consent date.")
    notified, effective = dates["denounced"], dates["denunciation_effective"]
    if notified is not None and effective is not None and effective < notified:
        warnings.append(f"{name}: the denunciation takes effect before it was notified.")
    consent = dates["consent"]
    participant = Participant(
        name=name,
        code=code,
        signature=dates["signature"],
        consent=None
        if consent is None
        else Consent(consent, ConsentKind.RATIFICATION_OR_ACCESSION),
        withdrawn=notified is not None or effective is not None,
        has_declarations=_flag(row.get("Reserves")) or _flag(row.get("Declarations")),
        in_force=dates["in_force"],
        denounced=notified,
        denunciation_effective=effective,
        suspended=dates["suspended"],
    )
    return participant, council_code


# --- declarations -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Declaration:
    """One row of the declarations answer."""

    council_code: str | None  # the Council's code, when the answer gives one
    name: str | None  # the State's name, when the answer gives one
    nature: str  # "Reservation", "Declaration" ... as the Council writes it
    article: str | None
    effective: date | None
    withdrawn_effective: date | None
    text: str  # plain text, one paragraph a line

    def heading(self, language: str) -> str:
        """ "Reservation – Article 24:" / "Declaration – article 37 (retirée avec effet au …):"."""
        head = self.nature or "?"
        if self.article:
            head += f" – {'Article' if language == 'en' else 'article'} {self.article}"
        if self.withdrawn_effective is not None:
            when = format_date(self.withdrawn_effective, language)
            head += (
                f" (withdrawn with effect from {when})"
                if language == "en"
                else f" (retirée avec effet au {when})"
            )
        return head + ":"


def read_declarations(text: str, url: str) -> list[Declaration]:
    """The rows of a declarations answer. Raises ParseError if it is not a list of objects
    with a State and a text."""
    data = _json(text, "declarations answer", url)
    if not isinstance(data, list):
        raise ParseError(
            f"the declarations answer is not a list: it is {type(data).__name__}", url=url
        )
    out = []
    for i, row in enumerate(data):
        where = f"declaration {i + 1}"
        if not isinstance(row, Mapping) or "texte_Decl" not in row or "code_Pays" not in row:
            raise ParseError(f"{where} has no code_Pays or texte_Decl (changed answer?)", url=url)
        council_code, name = _state(row)
        if council_code is None and name is None:
            raise ParseError(f"{where} names no State or organisation", url=url)
        who = f"{where} ({name or council_code})"
        article = row.get("numero_Article")
        out.append(
            Declaration(
                council_code=council_code,
                name=name,
                nature=" ".join(str(row.get("nature_Dec") or "").split()),
                article=None if article is None else (" ".join(str(article).split()) or None),
                effective=_date(row.get("date_Effet"), "date_Effet", who, url),
                withdrawn_effective=_date(
                    row.get("date_Effet_Retrait"), "date_Effet_Retrait", who, url
                ),
                text=html_to_text(str(row["texte_Decl"] or "")),
            )
        )
    return out


def _text_or_none(value: Any) -> str | None:
    text = " ".join(str(value).split()) if value is not None else ""
    return None if text.casefold() in ("", "null") else text


def _state(row: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """(Council code, name) of a declaration's author. ``code_Pays`` as a string is a code; as
    an object (as a third-party client reads it) it has the name in ``Value`` and perhaps a
    code in ``Key``/``Code``. An organisation is named in ``code_Organisation`` (``Libelle``;
    the service writes the text "Null" for none)."""
    value = row.get("code_Pays")
    if isinstance(value, str):
        return _text_or_none(value), None
    if isinstance(value, Mapping):
        code = _text_or_none(value.get("Key") or value.get("Code") or value.get("CodePays"))
        name = _text_or_none(value.get("Value") or value.get("Libelle") or value.get("LibPaysOrga"))
        if code or name:
            return code, name
    organisation = row.get("code_Organisation")
    if isinstance(organisation, Mapping):
        return _text_or_none(organisation.get("Key")), _text_or_none(organisation.get("Libelle"))
    return None, None


_BREAKS = re.compile(r"(?i)<br\s*/?>|</p\s*>|</div\s*>|</li\s*>")


def html_to_text(html: str) -> str:
    """The text of an HTML fragment: one line per paragraph or line break, whitespace collapsed."""
    if not html.strip():
        return ""
    marked = _BREAKS.sub(lambda m: m.group(0) + "\n", html)
    try:
        text = lxml.html.fragment_fromstring(marked, create_parent="div").text_content()
    except (lxml.etree.ParserError, ValueError):
        text = re.sub(r"<[^>]+>", " ", marked)
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _declaration_texts(
    declarations: Iterable[Declaration],
    council_codes: Mapping[str, str],
    participants: list[Participant],
    language: str,
    warnings: list[str],
) -> dict[str, str]:
    """Participant code -> its declarations' text (each headed by its nature and article), in
    the answer's order, withdrawn ones included and marked."""
    known = {p.code for p in participants}
    blocks: dict[str, list[str]] = {}
    for d in declarations:
        code = council_codes.get(d.council_code or "")
        if code is None and d.name:
            code = codes.code_for_name(d.name)
        if code is None or code not in known:
            warnings.append(
                f"a {d.nature or 'declaration'} of {d.name or d.council_code} names a State "
                "that is not in the signatures answer; it is left out."
            )
            continue
        blocks.setdefault(code, []).append(d.heading(language))
        if d.text:
            blocks[code].append(d.text)
    return {code: "\n".join(lines) for code, lines in blocks.items()}


# --- treaty-level facts -------------------------------------------------------------------


def _title(
    entry: ids.CatalogueEntry | None, language: str, warnings: list[str], treaty_id: str
) -> str:
    if entry is None:
        warnings.append(
            f"{treaty_id} is not catalogued and the answer names no title: the title is unknown."
        )
        return ""
    return entry.title_fr if language == "fr" else entry.title_en


def _conclusion(entry: ids.CatalogueEntry | None, language: str) -> Conclusion | None:
    if entry is None:
        return None
    return Conclusion(
        text=f"{entry.place}, {format_date(entry.opened, language)}",
        place=entry.place,
        date=entry.opened,
    )


def _entry_into_force(
    entry: ids.CatalogueEntry | None,
    participants: list[Participant],
    language: str,
    warnings: list[str],
) -> EntryIntoForce | None:
    stated = [p.in_force for p in participants if p.in_force is not None]
    earliest = min(stated) if stated else None
    if entry is not None:
        if earliest is not None and earliest < entry.in_force:
            warnings.append(
                f"A State is shown in force from {earliest}, before the treaty itself "
                f"({entry.in_force})."
            )
        return EntryIntoForce(date=entry.in_force, text=format_date(entry.in_force, language))
    if earliest is None:
        return None
    note = (
        "earliest date of entry into force for a State in the Council's answer"
        if language == "en"
        else "première date d'entrée en vigueur pour un État dans la réponse du Conseil"
    )
    return EntryIntoForce(date=earliest, text=f"{format_date(earliest, language)} ({note})")
