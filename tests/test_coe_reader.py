"""The Council of Europe reader against the reconstructed CETS 201 answers and their variants.

Expected values come from tests/fixtures/coe/source/ (members.csv, facts.csv,
declarations.csv), never from the reader. Variants are made in tests/coe_fixtures.py.
"""

from __future__ import annotations

import copy
import csv
import json
from datetime import UTC, date, datetime

import pytest

from tests import coe_fixtures as fx
from tracker import changes, eif
from tracker.domain import (
    ChangeKind,
    ConsentKind,
    ParseError,
    ParticipationStatus,
    participant_to_json,
)
from tracker.i18n import consent_kind_label
from tracker.sources.coe import make_bundle, read

SEEN = datetime(2020, 9, 8, 6, 0, tzinfo=UTC)


def _members() -> list[dict[str, str]]:
    with (fx.FIXTURES / "source" / "members.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _read(language: str = "en", **kwargs: str) -> object:
    return read(fx.bundle(language, **kwargs).decode("utf-8"), fx.chart_url(language))


def test_reads_the_english_answer() -> None:
    status = read(fx.bundle("en").decode("utf-8"), fx.chart_url("en"))
    assert status.mtdsg_no == "CETS-201"
    assert status.language == "en"
    assert status.url == fx.chart_url("en")
    assert status.title == (
        "Council of Europe Convention on the Protection of Children against Sexual "
        "Exploitation and Sexual Abuse"
    )
    assert status.conclusion is not None
    assert (status.conclusion.place, status.conclusion.date) == ("Lanzarote", date(2007, 10, 25))
    assert status.entry_into_force is not None
    assert status.entry_into_force.date == date(2010, 7, 1)
    assert status.status_as_at is None  # the service states none
    assert status.warnings == ()
    # one participant per member-State row, identified by name
    assert {p.name: p.code for p in status.participants} == {
        m["name_en"]: m["iso3"] for m in _members()
    }
    assert len(status.participants) == 46


def test_real_values_are_read_exactly() -> None:
    status = read(fx.bundle("en").decode("utf-8"), fx.chart_url("en"))
    greece = status.participant("GRC")
    assert greece is not None
    assert greece.consent is not None
    assert greece.consent.date == date(2009, 3, 10)
    assert greece.consent.kind is ConsentKind.RATIFICATION_OR_ACCESSION
    assert greece.in_force == date(2010, 7, 1)
    assert greece.status is ParticipationStatus.PARTY
    uk = status.participant("GBR")
    assert uk is not None and uk.consent is not None
    assert (uk.consent.date, uk.in_force) == (date(2018, 6, 20), date(2018, 10, 1))
    # a member-State row without any date: the Council lists it, it has not acted
    armenia = status.participant("ARM")
    assert armenia is not None and armenia.status is ParticipationStatus.NOT_SIGNED
    # the Council's code BUL is Bulgaria, and the name agrees
    assert status.participant("BGR") is not None


def test_declarations_are_read_with_nature_and_article() -> None:
    status = read(fx.bundle("en").decode("utf-8"), fx.chart_url("en"))
    with (fx.FIXTURES / "source" / "declarations.csv").open(encoding="utf-8") as f:
        rows = {r["name_en"]: r for r in csv.DictReader(f)}
    assert set(status.declarations) == {"AND", "ALB"}
    assert status.declarations["AND"] == (f"Reservation – Article 24:\n{rows['Andorra']['text']}")
    assert status.declarations["ALB"] == f"Declaration – Article 37:\n{rows['Albania']['text']}"
    flagged = {p.code for p in status.participants if p.has_declarations}
    assert flagged == {"AND", "ALB"}


def test_french_answer_gives_the_same_facts() -> None:
    en = read(fx.bundle("en").decode("utf-8"), fx.chart_url("en"))
    fr = read(fx.bundle("fr").decode("utf-8"), fx.chart_url("fr"))
    assert fr.language == "fr"
    assert fr.title.startswith("Convention du Conseil de l'Europe sur la protection des enfants")
    assert fr.entry_into_force is not None and fr.entry_into_force.text == "1er juillet 2010"
    assert fr.conclusion is not None and fr.conclusion.text == "Lanzarote, 25 octobre 2007"
    names = {m["iso3"]: m["name_fr"] for m in _members()}
    assert {p.code: p.name for p in fr.participants} == names
    facts = ("signature", "consent", "in_force", "withdrawn", "has_declarations")

    def by_code(status: object) -> dict[str, tuple[object, ...]]:
        return {p.code: tuple(getattr(p, f) for f in facts) for p in status.participants}  # type: ignore[attr-defined]

    assert by_code(fr) == by_code(en)
    assert fr.declarations["AND"].startswith("Réserve – article 24:\n")
    # polling the two languages in turn gives no false events
    assert changes.diff(en, fr, observed_at=SEEN) == []
    assert changes.diff(fr, en, observed_at=SEEN) == []


def test_same_answer_twice_is_unchanged_and_reads_the_same() -> None:
    first = fx.bundle("en")
    assert fx.bundle("en") == first  # the bundle is deterministic: same bytes, same hash
    a = read(first.decode("utf-8"), fx.chart_url("en"))
    b = read(first.decode("utf-8"), fx.chart_url("en"))
    assert a == b
    assert changes.diff(a, b, observed_at=SEEN) == []


def test_a_new_ratification_gives_exactly_one_consent_event() -> None:
    before = read(fx.bundle("en").decode("utf-8"), fx.chart_url("en"))
    later = fx.with_armenia_ratification("en")
    # the edit: Armenia's row gains its consent and entry-into-force dates, nothing else
    base = fx.signatures("en")
    changed = [
        (r["LibPaysOrga"], k)
        for r0, r in zip(base[0], later[0], strict=True)
        for k in r
        if r0[k] != r[k]
    ]
    assert changed == [("Armenia", "DateConsentement"), ("Armenia", "DateEntreeVigueur")]
    after = read(
        fx.bundle("en", signatures_text=fx.dump(later)).decode("utf-8"), fx.chart_url("en")
    )
    events = changes.diff(before, after, observed_at=SEEN)
    assert len(events) == 1
    (event,) = events
    assert event.kind is ChangeKind.CONSENT
    assert (event.participant_code, event.participant_name) == ("ARM", "Armenia")
    assert event.effective_date == date(2020, 9, 7)
    assert event.consent_kind is ConsentKind.RATIFICATION_OR_ACCESSION
    assert event.source_url == fx.chart_url("en")
    assert changes.describe(event, treaty_title=after.title) == (
        "Armenia ratified or acceded to the Council of Europe Convention on the Protection of "
        "Children against Sexual Exploitation and Sexual Abuse (CETS-201) on 7 September 2020."
    )
    assert changes.describe(event, language="fr").startswith(
        "Armenia : ratification ou adhésion le 7 septembre 2020"
    )
    assert eif.entry_into_force_by_participant(after)["ARM"] == date(2021, 1, 1)


def test_consent_kind_is_labelled_honestly() -> None:
    assert consent_kind_label("ratification_or_accession", "en") == "ratification or accession"
    assert consent_kind_label("ratification_or_accession", "fr") == "ratification ou adhésion"


def test_stated_dates_appear_in_the_json_only_where_stated() -> None:
    status = read(fx.bundle("en").decode("utf-8"), fx.chart_url("en"))
    greece = participant_to_json(status.participant("GRC"))  # type: ignore[arg-type]
    assert greece["consent"] == {"date": "2009-03-10", "kind": "ratification_or_accession"}
    assert greece["in_force"] == "2010-07-01"
    assert greece["denounced"] is None
    france = participant_to_json(status.participant("FRA"))  # type: ignore[arg-type]
    assert "in_force" not in france  # nothing stated: the documented UN keys only


# --- denunciation, suspension, other groups (visible edits of the answer) ---------------------


def test_denunciation_is_a_withdrawal_with_both_dates() -> None:
    before = read(fx.bundle("en").decode("utf-8"), fx.chart_url("en"))
    data = fx.signatures("en")
    uk = fx.row(data, "United Kingdom")
    uk["DateDenonciation"] = "2030-01-15T00:00:00"  # an edit for the test, not a real event
    uk["DateEffetDenonciation"] = "2030-05-01T00:00:00"
    uk["DateSuspension"] = "2030-01-20T00:00:00"
    after = read(fx.bundle("en", signatures_text=fx.dump(data)).decode("utf-8"), fx.chart_url())
    p = after.participant("GBR")
    assert p is not None
    assert p.withdrawn and p.status is ParticipationStatus.WITHDRAWN
    assert (p.denounced, p.denunciation_effective, p.suspended) == (
        date(2030, 1, 15),
        date(2030, 5, 1),
        date(2030, 1, 20),
    )
    assert p.consent is not None and p.in_force == date(2018, 10, 1)  # history kept
    events = changes.diff(before, after, observed_at=SEEN)
    assert [(e.kind, e.participant_code) for e in events] == [(ChangeKind.WITHDRAWAL, "GBR")]


def test_non_members_and_organisations_are_identified_by_name() -> None:
    data = fx.signatures("en")
    template = dict.fromkeys(data[0][0], None)
    data[1].append({**template, "CodePays": "Z90", "LibPaysOrga": "Japan", "NumSTE": "201"})
    data[2].append(
        {**template, "CodePays": "Z91", "LibPaysOrga": "European Union", "NumSTE": "201"}
    )
    status = read(fx.bundle("en", signatures_text=fx.dump(data)).decode(), fx.chart_url())
    assert [p.code for p in status.participants[-2:]] == ["JPN", "EUU"]


def test_an_unknown_name_is_kept_under_a_provisional_code_and_warned_about() -> None:
    data = fx.signatures("en")
    template = dict.fromkeys(data[0][0], None)
    data[1].append({**template, "CodePays": "Z92", "LibPaysOrga": "Atlantis", "NumSTE": "201"})
    status = read(fx.bundle("en", signatures_text=fx.dump(data)).decode(), fx.chart_url())
    assert status.participants[-1].code == "X-ATLANTIS"
    assert any("Atlantis" in w and "Z92" in w for w in status.warnings)


def test_a_bare_signatures_answer_is_read_with_a_warning() -> None:
    status = read(fx.answer_text("signatures", "en"), fx.chart_url("en"))
    assert status.declarations == {}
    assert status.warnings == (
        "Only the signatures answer was read: reservation and declaration texts are unknown.",
    )
    assert {p.code for p in status.participants if p.has_declarations} == {"AND", "ALB"}


def test_a_withdrawn_declaration_is_marked() -> None:
    data = json.loads(fx.answer_text("declarations", "en"))
    data[0]["date_Effet_Retrait"] = "2016-03-01T00:00:00"  # an edit for the test
    status = read(fx.bundle("en", declarations_text=fx.dump(data)).decode(), fx.chart_url())
    assert status.declarations["AND"].startswith(
        "Reservation – Article 24 (withdrawn with effect from 1 March 2016):\n"
    )


# --- broken, partial and changed answers: ParseError, never a status --------------------------


def _renamed_field() -> str:
    data = fx.signatures()
    for r in data[0]:
        r["DateRatification"] = r.pop("DateConsentement")
    return fx.dump(data)


def _edited_row(**changes_: object) -> str:
    data = fx.signatures()
    fx.row(data, "Greece").update(changes_)
    return fx.dump(data)


def _without_code() -> str:
    data = fx.signatures()
    del fx.row(data, "Greece")["CodePays"]
    return fx.dump(data)


BROKEN_SIGNATURES = {
    "an error page instead of JSON": (fx.ERROR_PAGE, "not JSON"),
    "an empty answer": ("", "empty"),
    "the answer cut in transfer": (fx.truncated(fx.answer_text("signatures")), "not JSON"),
    "a partial answer (20 member States)": (fx.dump(fx.partial(20)), "lists 20 member States"),
    "two lists": (fx.dump(fx.signatures()[:2]), "not a list of three lists"),
    "an object": (json.dumps({"Message": "An error has occurred."}), "not a list of three"),
    "a renamed field": (_renamed_field(), "has no DateConsentement"),
    "a row without CodePays": (_without_code(), "has no CodePays"),
    "an empty CodePays": (_edited_row(CodePays=" "), "has no CodePays"),
    "an unknown date format": (_edited_row(DateConsentement="10/03/2009"), "unknown date format"),
    "a date that is no date": (_edited_row(DateConsentement="2009-02-30T00:00:00"), "not a date"),
    "a time of day": (_edited_row(DateConsentement="2009-03-10T22:00:00Z"), "unknown date"),
    "another treaty's rows": (_edited_row(NumSTE="210"), "another treaty"),
    "a cited code on the wrong State": (_edited_row(CodePays="BUL"), "which is BGR"),
}


@pytest.mark.parametrize("case", sorted(BROKEN_SIGNATURES))
def test_a_broken_signatures_answer_raises(case: str) -> None:
    text, message = BROKEN_SIGNATURES[case]
    with pytest.raises(ParseError, match=message) as exc:
        read(fx.bundle("en", signatures_text=text).decode("utf-8"), fx.chart_url("en"))
    assert exc.value.url == fx.chart_url("en")


BROKEN_DECLARATIONS = {
    "an error page": (fx.ERROR_PAGE, "not JSON"),
    "an object": ('{"Message": "An error has occurred."}', "not a list"),
    "a renamed text field": (
        fx.answer_text("declarations").replace('"texte_Decl"', '"texte"'),
        "no code_Pays or texte_Decl",
    ),
    "no State": (
        fx.answer_text("declarations").replace('{"Value":"Andorra"}', "{}"),
        "names no State",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN_DECLARATIONS))
def test_a_broken_declarations_answer_raises(case: str) -> None:
    text, message = BROKEN_DECLARATIONS[case]
    with pytest.raises(ParseError, match=message):
        read(fx.bundle("en", declarations_text=text).decode("utf-8"), fx.chart_url("en"))


def test_a_broken_bundle_raises() -> None:
    good = fx.bundle("en").decode("utf-8")
    with pytest.raises(ParseError, match="not JSON"):
        read(fx.truncated(good), fx.chart_url())
    with pytest.raises(ParseError, match="the bundle is for CETS-201, the address for CETS-210"):
        read(good, fx.chart_url().replace("treatynum=201", "treatynum=210"))
    other = json.loads(good)
    other["format"] = "something/else"
    with pytest.raises(ParseError, match="not a Council of Europe answer bundle"):
        read(json.dumps(other), fx.chart_url())
    del other["format"]
    with pytest.raises(ParseError):
        read(json.dumps(other), fx.chart_url())
    mixed = json.loads(good)
    mixed["language"] = "fr"  # the signatures were asked in English
    with pytest.raises(ParseError, match="asked in 'en'"):
        read(json.dumps(mixed), fx.chart_url("fr"))
    french = read(fx.bundle("fr").decode("utf-8"), fx.chart_url("en"))  # another language
    assert french.language == "fr"
    assert french.warnings == ("The address asks for language 'en' but the answers are in 'fr'.",)


def test_a_bare_answer_needs_an_address_that_names_the_treaty() -> None:
    with pytest.raises(ParseError, match="does not name a treaty"):
        read(fx.answer_text("signatures"), "https://www.coe.int/en/web/conventions/full-list")


def test_the_bundle_keeps_both_answers_verbatim_and_no_key() -> None:
    sig, decl = fx.answer_text("signatures"), fx.answer_text("declarations")
    body = make_bundle(
        treaty_id="CETS No. 201",
        language="en",
        signatures_url="https://example.invalid/api/signatures?NumSte=201&langue=ENG",
        signatures=sig,
        declarations_url="https://example.invalid/api/conventions/getDeclarations?numSte=201",
        declarations=decl,
    )
    data = json.loads(body)
    assert data["treaty"] == "CETS-201"
    assert data["signatures"]["body"] == sig and data["declarations"]["body"] == decl
    assert set(data) == {"format", "treaty", "language", "signatures", "declarations"}
    assert "token" not in body.decode("utf-8").lower()


def test_original_fixture_is_not_modified_by_variants() -> None:
    before = copy.deepcopy(fx.signatures())
    fx.with_armenia_ratification()
    fx.partial()
    assert fx.signatures() == before
