"""What each column of an MTDSG participants table means, read from its heading.

PURE. A heading names one or more *modes*, each maybe with the *marker* that the cells write
after a date in that mode: ``"Ratification, Acceptance(A), Accession(a), Succession(d)"`` is four
modes, three marked; ``"Provisional application(n)"`` one. :func:`read_heading` turns a heading
into a :class:`Column`, by the words of each mode, in English and French, never by a list of
known headings; :meth:`Column.read` then says what one cell's date and suffix are: a
signature, a consent of some kind, or another dated *action* (provisional application,
notification ...), and whether that reading is sure.

How a heading is cut into modes: after every marker ``(x)`` (one or two letters; ``(1)`` and
``(2)`` in "article 10 (1)" are not markers), and at commas, except that a piece holding no
word of a mode ("as amended(A)" in "... of 12 September 1923, as amended(A)") stays with the
piece before it. "Provisional acceptance/accession" is one mode.

What a mode is, by its words (accents and case ignored), first rule that applies:

==========================================================  ===================================
words                                                       reading
==========================================================  ===================================
territories / territoires (no date word)                    not a date column: the table is a
                                                            territorial-application table
provisional / provisoire + application                      action ``provisional_application``
provisional / provisoire (acceptance, accession ...)        action ``provisional_acceptance``
confirmation + signature / ad referendum                    action ``signature_confirmation``
ad referendum                                               signature ``ad_referendum``
definitive / définitive + signature                         consent ``definitive_signature``
succession + signature                                      signature ``succession``
signature                                                   signature
consent ... bound / consentement ... lié                    consent ``consent_to_be_bound``
simplified / simplifiée                                     consent ``simplified_procedure``
participation                                               consent ``participation``
formal confirmation / confirmation formelle                 consent ``formal_confirmation``
ratification, accession / adhésion, acceptance /            that consent (the first one named;
acceptation, approval / approbation, succession             a mode naming two is ambiguous)
confirmation (alone)                                        consent ``formal_confirmation``, or
                                                            ``signature_confirmation`` in a
                                                            column of signatures
notification                                                action ``notification`` (with a
                                                            consent marker such as ``(d)`` in a
                                                            consent column: that consent)
application, extension                                      action ``territorial_application``
anything else                                               action ``other`` (kept, warned)
==========================================================  ===================================

Which mode a cell's date is in: the mode whose marker is the cell's suffix (case-sensitive);
for a date without suffix, the first mode without marker. Where the heading does not settle
it, the reading says so (``Reading.note``) and the parser turns the note into a warning:

* several modes without marker ("Definitive signature of the Protocol, Acceptance of the
  Protocol"): a bare date is read as the first (here a definitive signature), noted ambiguous;
* no mode without marker ("Acceptance(A)") in a consent column: a bare date is read as a
  ratification (the MTDSG's convention for a bare date), noted;
* a suffix the heading does not name: read by the MTDSG's usual meaning of that suffix
  (below), noted; an unknown suffix keeps the column's reading for a bare date, noted.

The meaning of each suffix, decided from the 282 participants tables of 2015 (the real
heading rows in ``../shared/untc/data/untreaties-2015``; counts are of dates in those tables):

* ``a`` accession, ``d`` succession, ``A`` acceptance, ``AA`` approval, ``c`` formal
  confirmation: every heading that writes them names them so ("Accession(a)" ...).
* ``s`` in a consent column: definitive signature. All 206 ``s`` dates stand under a heading
  naming "Definitive signature(s)"; none is in a signature column.
* ``s`` in a signature column: signature ad referendum (the lead's decision, after the issue;
  no table of 2015 has one, so a page that shows one also gets a warning unless its heading
  names it).
* ``d`` in a signature column: succession to signature. All 33 such dates stand under
  "Signature, Succession to signature(d)" (18 tables).
* ``n``: notification of provisional application, an action, never a consent. All 43 ``n``
  dates stand in "Provisional application(n)" columns (6 tables), beside a consent column.
* ``P``: what the heading says. 185 dates under "Consent to be bound(P)" (2 tables), 21 under
  "Participation(P)" / "Participation under articles 3 (2) and (3)(P)" (2 tables). A ``P`` the
  heading does not name is read as participation, noted.
* ``p``: simplified procedure (the issue's reading; no ``p`` date in 2015), by the heading's
  words where it names it.
* ``C``: no ``C`` date in 2015, and no heading names it, so no meaning is assumed: under a
  heading that names it the words decide; otherwise the date keeps the column's reading for a
  bare date (a consent in a consent column, so the State is not dropped) and is noted.
* A bare date: the heading's first mode without marker ("Ratification" in 243 of the 2015
  consent headings; "Definitive acceptance", "Acceptance of the Protocol" ... in the others).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum

from tracker.domain import SUFFIX_TO_KIND, ActionKind, ConsentKind, SignatureKind

logger = logging.getLogger(__name__)

__all__ = ["Column", "Mode", "Reading", "Role", "is_name_heading", "read_heading"]


class Role(StrEnum):
    """What a date in a mode (or a column) is."""

    SIGNATURE = "signature"
    CONSENT = "consent"
    ACTION = "action"
    TEXT = "text"  # not dates at all ("Territories")


@dataclass(frozen=True, slots=True)
class Mode:
    """One mode a heading names: "Accession(a)" -> phrase "Accession", marker "a"."""

    phrase: str
    marker: str | None
    role: Role
    consent: ConsentKind | None = None
    signature: SignatureKind | None = None
    action: ActionKind | None = None
    #: further consent kinds the phrase names ("Definitive signature or acceptance")
    also: tuple[ConsentKind, ...] = ()

    @property
    def label(self) -> str:
        kind = self.consent or self.signature or self.action
        return str(kind).replace("_", " ") if kind is not None else str(self.role)


@dataclass(frozen=True, slots=True)
class Reading:
    """What one dated cell is. ``note`` (None when sure) says what the parser was unsure of."""

    role: Role
    consent: ConsentKind | None = None
    signature: SignatureKind | None = None
    action: ActionKind | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Column:
    """A column of the participants table: its heading, the modes it names, and what a date
    without suffix in it is (``bare``)."""

    heading: str
    modes: tuple[Mode, ...]
    bare: Reading
    known: bool  # every mode of the heading was understood
    marked: dict[str, Reading] = field(default_factory=dict)  # marker -> reading

    @property
    def role(self) -> Role:
        """The column's role: that of a bare date in it (TEXT for a column of words)."""
        return self.bare.role

    @property
    def dates(self) -> bool:
        return self.bare.role is not Role.TEXT

    @property
    def names_consent(self) -> bool:
        return any(m.role is Role.CONSENT for m in self.modes)

    def read(self, suffix: str) -> Reading:
        """What a date followed by ``suffix`` ("" for none) in this column is."""
        if not suffix:
            return self.bare
        reading = self.marked.get(suffix)
        return reading if reading is not None else self._unnamed(suffix)

    def _unnamed(self, suffix: str) -> Reading:
        where = f"under {self.heading!r}"
        if self.role is Role.SIGNATURE:
            kind = {"d": SignatureKind.SUCCESSION, "s": SignatureKind.AD_REFERENDUM}.get(suffix)
            if kind is not None:
                return Reading(
                    Role.SIGNATURE,
                    signature=kind,
                    note=f"the suffix {suffix!r} {where} is not named by the heading; "
                    f"read as {str(kind).replace('_', ' ')} (its usual meaning)",
                )
            return Reading(
                Role.SIGNATURE,
                signature=SignatureKind.SIGNATURE,
                note=f"unknown suffix {suffix!r} {where}; read as a signature",
            )
        if self.role is Role.CONSENT:
            if suffix == "n":
                return Reading(
                    Role.ACTION,
                    action=ActionKind.PROVISIONAL_APPLICATION,
                    note=f"the suffix 'n' {where} is not named by the heading; read as a "
                    "provisional application (its usual meaning), not as a consent",
                )
            usual = SUFFIX_TO_KIND.get(suffix)
            if usual is not None:
                return Reading(
                    Role.CONSENT,
                    consent=usual,
                    note=f"the suffix {suffix!r} {where} is not named by the heading; "
                    f"read as {str(usual).replace('_', ' ')} (its usual meaning)",
                )
        bare = self.bare
        what = bare.consent or bare.signature or bare.action or bare.role
        return Reading(
            bare.role,
            consent=bare.consent,
            signature=bare.signature,
            action=bare.action,
            note=f"unknown suffix {suffix!r} {where}; read as "
            f"{str(what).replace('_', ' ')}, as a date without suffix there",
        )


def _reading(mode: Mode, note: str | None = None, heading: str = "") -> Reading:
    if note is None and mode.action is ActionKind.OTHER:
        note = (
            f"the column {heading!r} is not understood; its dates are kept as actions of "
            "kind 'other'"
            if mode.phrase == heading
            else f"{mode.phrase!r} in the column {heading!r} is not understood; its dates "
            "are kept as actions of kind 'other'"
        )
    return Reading(mode.role, mode.consent, mode.signature, mode.action, note)


# --- words --------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Lower case, accents removed, white space collapsed: what the word rules look at."""
    if text.isascii():  # nothing to decompose (most headings)
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.replace("\u2019", "'").split())


_MARKER = re.compile(r"\(\s*([A-Za-z]{1,2})\s*\)")
#: A piece of a heading that names a mode holds one of these (folded) word stems.
_MODE_WORD = re.compile(
    r"ratif|access|adhes|accept|approv|approb|success|confirm|definiti|signat|consent|"
    r"particip|notif|provision|applica|extens|territo|simplifi|procedur|referendum|"
    r"denonc|denunc|withdraw|retrait|objection|date"
)
_CONSENT_WORDS: tuple[tuple[re.Pattern[str], ConsentKind], ...] = (
    (re.compile(r"\bratif"), ConsentKind.RATIFICATION),
    (re.compile(r"\baccession|\badhesion"), ConsentKind.ACCESSION),
    (re.compile(r"\baccept"), ConsentKind.ACCEPTANCE),
    (re.compile(r"\bapprov|\bapprob"), ConsentKind.APPROVAL),
    (re.compile(r"\bsuccession"), ConsentKind.SUCCESSION),
    (
        re.compile(r"\bdefinitive signature|\bsignature definitive"),
        ConsentKind.DEFINITIVE_SIGNATURE,
    ),
)


_DATE_WORDS = re.compile(r"date|applica|extens|notif")
_BOUND = re.compile(r"consent\w*\b.*\b(?:bound|lie)\b")
_FORMAL = re.compile(r"\bformal\w* confirm|\bconfirmation formelle")


def is_name_heading(text: str) -> bool:
    """Whether a heading cell is that of the name column ("Participant", "Participants")."""
    words = fold(text)
    return bool(words) and len(words) <= 40 and words.startswith("participant")


def _named_consents(words: str) -> list[ConsentKind]:
    """The consent kinds a phrase names, in the order it names them."""
    found = []
    for pattern, kind in _CONSENT_WORDS:
        m = pattern.search(words)
        if m is not None:
            found.append((m.start(), kind))
    return [kind for _, kind in sorted(found, key=lambda f: f[0])]


def _mode(phrase: str, marker: str | None) -> Mode:
    """One mode, by the words of its phrase (see the table in the module docstring)."""
    w = fold(phrase)

    def consent(kind: ConsentKind, also: tuple[ConsentKind, ...] = ()) -> Mode:
        return Mode(phrase, marker, Role.CONSENT, consent=kind, also=also)

    def action(kind: ActionKind) -> Mode:
        return Mode(phrase, marker, Role.ACTION, action=kind)

    def signature(kind: SignatureKind) -> Mode:
        return Mode(phrase, marker, Role.SIGNATURE, signature=kind)

    has = w.__contains__
    if has("territo") and not _DATE_WORDS.search(w):
        return Mode(phrase, marker, Role.TEXT)
    if has("provision") or has("provisoire"):
        if has("applica"):
            return action(ActionKind.PROVISIONAL_APPLICATION)
        return action(ActionKind.PROVISIONAL_ACCEPTANCE)
    if has("confirm") and (has("signat") or has("referendum")):
        return action(ActionKind.SIGNATURE_CONFIRMATION)
    if has("referendum"):
        return signature(SignatureKind.AD_REFERENDUM)
    named = _named_consents(w)
    if named and named[0] is ConsentKind.DEFINITIVE_SIGNATURE:
        return consent(named[0], tuple(named[1:]))
    if has("signat"):
        if has("success"):
            return signature(SignatureKind.SUCCESSION)
        return signature(SignatureKind.SIGNATURE)
    if _BOUND.search(w):
        return consent(ConsentKind.CONSENT_TO_BE_BOUND)
    if has("simplifi"):
        return consent(ConsentKind.SIMPLIFIED_PROCEDURE)
    if has("particip"):
        return consent(ConsentKind.PARTICIPATION)
    if _FORMAL.search(w):
        return consent(ConsentKind.FORMAL_CONFIRMATION)
    if named:
        return consent(named[0], tuple(named[1:]))
    if has("confirm"):
        return consent(ConsentKind.FORMAL_CONFIRMATION)  # or of a signature: see _in_context
    if has("notif"):
        return action(ActionKind.NOTIFICATION)  # with a consent marker maybe not: _in_context
    if has("applica") or has("extens"):
        return action(ActionKind.TERRITORIAL_APPLICATION)
    return action(ActionKind.OTHER)


def _in_context(modes: list[Mode]) -> list[Mode]:
    """Readings that depend on the other modes of the heading:

    * "Confirmation" alone among signatures is the confirmation of a signature;
    * a notification with a consent marker ("Notification in respect of the Agreement as
      amended(d)") among consents is that consent (a notification of succession).
    """
    folded = [fold(m.phrase) for m in modes]
    signatures = any(m.role is Role.SIGNATURE for m in modes)
    consents = any(
        m.role is Role.CONSENT and "confirm" not in w for m, w in zip(modes, folded, strict=True)
    )
    out = []
    for m, words in zip(modes, folded, strict=True):
        if (
            m.consent is ConsentKind.FORMAL_CONFIRMATION
            and signatures
            and not consents
            and "formel" not in words
            and "formal" not in words
        ):
            m = Mode(m.phrase, m.marker, Role.ACTION, action=ActionKind.SIGNATURE_CONFIRMATION)
        elif (
            m.action is ActionKind.NOTIFICATION
            and m.marker is not None
            and m.marker in SUFFIX_TO_KIND
            and any(o.role is Role.CONSENT for o in modes)
        ):
            m = Mode(m.phrase, m.marker, Role.CONSENT, consent=SUFFIX_TO_KIND[m.marker])
        out.append(m)
    return out


def split_modes(heading: str) -> list[tuple[str, str | None]]:
    """A heading -> its modes as (phrase, marker or None), in the heading's order."""
    segments: list[tuple[str, str | None]] = []
    start = 0
    for m in _MARKER.finditer(heading):
        segments.append((heading[start : m.start()], m.group(1)))
        start = m.end()
    segments.append((heading[start:], None))
    modes: list[list[str | None]] = []  # [phrase, marker]
    for text, marker in segments:
        for part in (p.strip(" ,;.") for p in re.split(r"[,;]", text)):
            if not part:
                continue
            if modes and not _MODE_WORD.search(fold(part)):
                modes[-1][0] = f"{modes[-1][0]}, {part}"  # "..., as amended": the same mode
            else:
                modes.append([part, None])
        if marker is not None and modes and modes[-1][1] is None:
            modes[-1][1] = marker
    return [(str(phrase), marker) for phrase, marker in modes]


def read_heading(heading: str) -> Column:
    """The column a heading describes (the heading as the page writes it, white space
    collapsed). An empty or unknown heading gives a column of actions of kind ``other``."""
    heading = " ".join(heading.split())
    modes = _in_context([_mode(phrase, marker) for phrase, marker in split_modes(heading)])
    if not modes:
        modes = [Mode(heading, None, Role.ACTION, action=ActionKind.OTHER)]
    known = all(m.action is not ActionKind.OTHER for m in modes)
    if any(m.role is Role.TEXT for m in modes):
        return Column(heading, tuple(modes), Reading(Role.TEXT), known)
    marked: dict[str, Reading] = {}
    for m in modes:
        if m.marker is not None:
            marked.setdefault(m.marker, _reading(m, heading=heading))
    return Column(heading, tuple(modes), _bare(heading, modes), known, marked)


def _bare(heading: str, modes: list[Mode]) -> Reading:
    """What a date without suffix means in a column with these modes."""
    unmarked = [m for m in modes if m.marker is None]
    if not unmarked:
        first = modes[0]
        if first.role is Role.CONSENT or any(m.role is Role.CONSENT for m in modes):
            return Reading(
                Role.CONSENT,
                consent=ConsentKind.RATIFICATION,
                note=f"a date without suffix under {heading!r}, which names no mode without "
                "one; read as a ratification (the MTDSG's convention for a bare date)",
            )
        return _reading(first, heading=heading)
    chosen = unmarked[0]
    others = [
        m.label
        for m in unmarked[1:]
        if (m.role, m.consent, m.signature, m.action)
        != (chosen.role, chosen.consent, chosen.signature, chosen.action)
    ]
    others = [str(k).replace("_", " ") for k in chosen.also] + others
    if not others:
        return _reading(chosen, heading=heading)
    alternatives = ", ".join(dict.fromkeys([chosen.label, *others]))
    return _reading(
        chosen,
        heading=heading,
        note=f"a date without suffix under {heading!r} may be any of: {alternatives}; "
        f"read as {chosen.label}",
    )
