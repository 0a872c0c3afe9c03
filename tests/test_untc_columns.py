# ruff: noqa: E501  (a table of headings, one per line)
"""What a participants-table heading means (tracker.sources.untc.columns), EN and FR.

The headings below are real (the 2015 data set, STRUCTURE.md) unless marked otherwise; the
French ones other than those of STRUCTURE.md are translations made for these tests.
"""

from __future__ import annotations

import pytest

from tracker.domain import ActionKind, ConsentKind, SignatureKind
from tracker.sources.untc.columns import Role, is_name_heading, read_heading, split_modes

A, C, S = Role.ACTION, Role.CONSENT, Role.SIGNATURE
CK, AK, SK = ConsentKind, ActionKind, SignatureKind


def kind_of(reading):  # type: ignore[no-untyped-def]
    return reading.consent or reading.signature or reading.action


@pytest.mark.parametrize(
    ("heading", "bare_role", "bare_kind", "markers"),
    [
        ("Signature", S, SK.SIGNATURE, {}),
        ("Signature, Succession to signature(d)", S, SK.SIGNATURE, {"d": SK.SUCCESSION}),
        ("Signature, Succession à la signature(d)", S, SK.SIGNATURE, {"d": SK.SUCCESSION}),
        (
            "Ratification, Acceptance(A), Accession(a), Succession(d)",
            C,
            CK.RATIFICATION,
            {"A": CK.ACCEPTANCE, "a": CK.ACCESSION, "d": CK.SUCCESSION},
        ),
        (
            "Ratification, Acceptation(A), Adhésion(a), Succession(d)",
            C,
            CK.RATIFICATION,
            {"A": CK.ACCEPTANCE, "a": CK.ACCESSION, "d": CK.SUCCESSION},
        ),
        (
            "Formal confirmation(c), Accession(a), Ratification",
            C,
            CK.RATIFICATION,
            {"c": CK.FORMAL_CONFIRMATION, "a": CK.ACCESSION},
        ),
        ("Confirmation formelle(c), Adhésion(a), Ratification", C, CK.RATIFICATION, {}),
        (
            "Approval(AA), Acceptance(A), Accession(a), Ratification, Definitive signature(s)",
            C,
            CK.RATIFICATION,
            {"AA": CK.APPROVAL, "s": CK.DEFINITIVE_SIGNATURE},
        ),
        ("Signature définitive(s), Acceptation(A)", C, CK.RATIFICATION, {"s": CK.DEFINITIVE_SIGNATURE}),
        ("Consent to be bound(P), Succession(d)", C, CK.RATIFICATION, {"P": CK.CONSENT_TO_BE_BOUND}),
        ("Consentement à être lié(P), Succession(d)", C, CK.RATIFICATION, {"P": CK.CONSENT_TO_BE_BOUND}),
        ("Ratification, Acceptance(A), Participation(P)", C, CK.RATIFICATION, {"P": CK.PARTICIPATION}),
        (
            "Ratification, Acceptance(A), Participation under articles 3 (2) and (3)(P)",
            C,
            CK.RATIFICATION,
            {"P": CK.PARTICIPATION},
        ),
        ("Definitive acceptance", C, CK.ACCEPTANCE, {}),
        ("Acceptation définitive", C, CK.ACCEPTANCE, {}),
        (
            "Definitive signature of the Protocol, Acceptance of the Protocol",
            C,
            CK.DEFINITIVE_SIGNATURE,
            {},
        ),
        (
            "Definitive signature of the Protocol, Acceptance of the Protocol, Notification in "
            "respect of the Agreement as amended(d)",
            C,
            CK.DEFINITIVE_SIGNATURE,
            {"d": CK.SUCCESSION},
        ),
        (
            "Succession to the Convention as amended by the Protocol(d), Accession to the "
            "Convention as amended by the Protocol(a), Ratification of the Convention as "
            "amended by the Protocol",
            C,
            CK.RATIFICATION,
            {"d": CK.SUCCESSION, "a": CK.ACCESSION},
        ),
        ("Provisional application(n)", A, AK.PROVISIONAL_APPLICATION, {"n": AK.PROVISIONAL_APPLICATION}),
        ("Application provisoire(n)", A, AK.PROVISIONAL_APPLICATION, {}),
        (
            "Provisional application of the Agreement as amended and extended",
            A,
            AK.PROVISIONAL_APPLICATION,
            {},
        ),
        ("Provisional acceptance/accession", A, AK.PROVISIONAL_ACCEPTANCE, {}),
        ("Acceptation provisoire/adhésion", A, AK.PROVISIONAL_ACCEPTANCE, {}),
        ("Application", A, AK.TERRITORIAL_APPLICATION, {}),
        # headings the 2015 tables lack (the issue names the first two)
        ("Notification under article 25", A, AK.NOTIFICATION, {}),
        ("Notification en vertu de l'article 25", A, AK.NOTIFICATION, {}),
        ("Extension", A, AK.TERRITORIAL_APPLICATION, {}),
        ("Territorial application", A, AK.TERRITORIAL_APPLICATION, {}),
        ("Simplified procedure(p)", C, CK.RATIFICATION, {"p": CK.SIMPLIFIED_PROCEDURE}),
        ("Procédure simplifiée(p)", C, CK.RATIFICATION, {"p": CK.SIMPLIFIED_PROCEDURE}),
        ("Signature ad referendum", S, SK.AD_REFERENDUM, {}),
        ("Signature, Signature ad referendum(s), Confirmation(C)", S, SK.SIGNATURE, {
            "s": SK.AD_REFERENDUM,
            "C": AK.SIGNATURE_CONFIRMATION,
        }),
        ("Confirmation of signature ad referendum", A, AK.SIGNATURE_CONFIRMATION, {}),
        ("Denunciation", A, AK.OTHER, {}),
    ],
)  # fmt: skip
def test_headings_by_meaning(heading, bare_role, bare_kind, markers) -> None:  # type: ignore[no-untyped-def]
    column = read_heading(heading)
    assert column.bare.role is bare_role
    assert kind_of(column.bare) == bare_kind
    for marker, kind in markers.items():
        assert kind_of(column.read(marker)) == kind, marker
        assert column.read(marker).note is None


def test_a_territories_column_is_not_a_date_column() -> None:
    assert not read_heading("Territories").dates
    assert not read_heading("Territoires").dates
    assert read_heading("Date of receipt of the notification").dates


def test_commas_inside_a_mode_do_not_cut_it() -> None:
    heading = (
        "Definitive signature of the Protocol, Succession to the Convention and the Protocol, "
        "Acceptance of the Protocol, Acceptance ipso facto by virtue of article 10 (1) of the "
        "Convention of 12 September 1923, as amended(A)"
    )
    modes = split_modes(heading)
    assert [m[1] for m in modes] == [None, None, None, "A"]
    assert modes[-1][0].endswith("12 September 1923, as amended")
    assert split_modes("Accession (a) Succession(d), Ratification") == [
        ("Accession", "a"),
        ("Succession", "d"),
        ("Ratification", None),
    ]


def test_several_modes_without_marker_make_a_bare_date_unsure() -> None:
    column = read_heading("Definitive signature of the Protocol, Acceptance of the Protocol")
    assert column.bare.consent is CK.DEFINITIVE_SIGNATURE
    assert column.bare.note and "acceptance" in column.bare.note
    assert read_heading("Definitive signature or acceptance of the Protocol").bare.note


def test_suffixes_the_heading_does_not_name() -> None:
    consent = read_heading("Ratification, Accession(a)")
    assert consent.read("a").note is None
    assert (consent.read("d").consent, bool(consent.read("d").note)) == (CK.SUCCESSION, True)
    provisional = consent.read("n")
    assert (provisional.role, provisional.action) == (A, AK.PROVISIONAL_APPLICATION)
    assert provisional.note and "not as a consent" in provisional.note
    unknown = consent.read("C")  # no meaning assumed: the bare reading, and unsure
    assert (unknown.role, unknown.consent) == (C, CK.RATIFICATION)
    assert unknown.note and "'C'" in unknown.note
    signature = read_heading("Signature")
    assert signature.read("d").signature is SK.SUCCESSION and signature.read("d").note
    assert signature.read("s").signature is SK.AD_REFERENDUM and signature.read("s").note
    only_marked = read_heading("Acceptance(A)")
    assert only_marked.bare.consent is CK.RATIFICATION and only_marked.bare.note


def test_an_unknown_heading_is_kept_as_other_with_a_note() -> None:
    column = read_heading("Objection to the reservation")
    assert (column.bare.role, column.bare.action) == (A, AK.OTHER)
    assert column.bare.note and "not understood" in column.bare.note
    assert not column.known
    assert read_heading("").bare.action is AK.OTHER


@pytest.mark.parametrize("text", ["Participant", "Participants", "participant ", "PARTICIPANT"])
def test_name_headings(text: str) -> None:
    assert is_name_heading(text)


@pytest.mark.parametrize("text", ["Signature", "", "Participation(P)", "Date"])
def test_not_name_headings(text: str) -> None:
    assert not is_name_heading(text)
