"""Change detection (tracker.changes): diff, assess, describe.

The base state is the real OPIC table of 2015-03-14 (tests/fixtures/opic_2015.csv, see
tests/test_eif.py); each test derives the "new page" from it by an edit written out in
the test. Dates put into edits are invented unless a comment says they are real.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.test_eif import OPIC_TITLE, load_opic_2015, replace_participant
from tracker.changes import (
    KIND_NAMES,
    MIN_KEEP_RATIO,
    assess,
    describe,
    diff,
    format_date,
    kind_name,
)
from tracker.domain import (
    Action,
    ActionKind,
    Change,
    ChangeKind,
    Consent,
    ConsentKind,
    Counts,
    EntryIntoForce,
    Participant,
    TreatyStatus,
)

SEEN = datetime(2015, 3, 20, 6, 0)
#: An invented action for the tests of issue 10 (OPIC has no provisional application).
PROVISIONAL_FRANCE = Action(
    ActionKind.PROVISIONAL_APPLICATION, date(2013, 1, 24), "Provisional application(n)", "n"
)


@pytest.fixture
def opic() -> TreatyStatus:
    return load_opic_2015()


def without(status: TreatyStatus, *codes: str) -> TreatyStatus:
    kept = tuple(p for p in status.participants if p.code not in codes)
    assert len(kept) == len(status.participants) - len(codes)
    return dataclasses.replace(status, participants=kept)


def kinds(changes: list[Change]) -> list[tuple[ChangeKind, str | None]]:
    return [(c.kind, c.participant_code) for c in changes]


# --- diff -----------------------------------------------------------------------------------


def test_first_poll_is_the_baseline(opic: TreatyStatus) -> None:
    assert diff(None, opic, observed_at=SEEN) == []


def test_same_page_gives_nothing(opic: TreatyStatus) -> None:
    assert diff(opic, opic, observed_at=SEEN) == []


def test_a_ratification(opic: TreatyStatus) -> None:
    # Real: Belgium ratified on 30 May 2014. Old state: Belgium signed only.
    before = replace_participant(opic, "BEL", consent=None)
    (change,) = diff(before, opic, observed_at=SEEN)
    assert change == Change(
        kind=ChangeKind.CONSENT,
        mtdsg_no="IV-11-d",
        participant_code="BEL",
        participant_name="Belgium",
        old_value=None,
        new_value="2014-05-30",
        effective_date=date(2014, 5, 30),
        observed_at=SEEN,
        source_url=opic.url,
        consent_kind=ConsentKind.RATIFICATION,
    )


def test_new_participants(opic: TreatyStatus) -> None:
    # Ireland (signed and ratified 24 Sep 2014) and Monaco (accession 24 Sep 2014) are new.
    before = without(opic, "IRL", "MCO")
    changes = diff(before, opic, observed_at=SEEN)
    assert kinds(changes) == [
        (ChangeKind.SIGNATURE, "IRL"),
        (ChangeKind.CONSENT, "IRL"),
        (ChangeKind.CONSENT, "MCO"),
    ]
    assert changes[2].consent_kind is ConsentKind.ACCESSION
    assert changes[0].effective_date == changes[1].effective_date == date(2014, 9, 24)


def test_a_signature_of_an_existing_participant(opic: TreatyStatus) -> None:
    before = replace_participant(opic, "FRA", signature=None)  # France signed 20 Nov 2014
    (change,) = diff(before, opic, observed_at=SEEN)
    assert (change.kind, change.new_value, change.effective_date) == (
        ChangeKind.SIGNATURE,
        "2014-11-20",
        date(2014, 11, 20),
    )


def test_withdrawal_is_the_bracketed_name(opic: TreatyStatus) -> None:
    after = replace_participant(opic, "DEU", withdrawn=True)  # invented edit
    (change,) = diff(opic, after, observed_at=SEEN)
    assert change.kind is ChangeKind.WITHDRAWAL
    assert (change.old_value, change.new_value) == ("party", "withdrawn")


def test_date_corrections(opic: TreatyStatus) -> None:
    after = replace_participant(
        opic,
        "ALB",
        signature=date(2012, 9, 25),  # was 24 Sep 2012
        consent=Consent(date(2013, 5, 29), ConsentKind.ACCESSION),  # was a ratification
    )
    after = replace_participant(
        after, "ESP", consent=Consent(date(2013, 6, 4), ConsentKind.RATIFICATION)
    )
    after = replace_participant(after, "ARG", signature=None)  # signature disappears
    changes = diff(opic, after, observed_at=SEEN)
    assert [(c.kind, c.participant_code, c.detail, c.old_value, c.new_value) for c in changes] == [
        (ChangeKind.DATE_CORRECTION, "ALB", "signature", "2012-09-24", "2012-09-25"),
        (ChangeKind.DATE_CORRECTION, "ALB", "consent_kind", "ratification", "accession"),
        (ChangeKind.DATE_CORRECTION, "ARG", "signature", "2012-07-25", None),
        (ChangeKind.DATE_CORRECTION, "ESP", "consent", "2013-06-03", "2013-06-04"),
    ]


def test_declarations(opic: TreatyStatus) -> None:
    # Real text (Belgium's declaration on OPIC, first sentence).
    text = (
        "Declaration:The Kingdom of Belgium recognizes the competence of the Committee on the "
        "Rights of the Child to receive, pursuant to article 12 of the Optional Protocol, "
        "communications from a State party which claims that another State is not fulfilling "
        "its obligations."
    )
    first = dataclasses.replace(opic, declarations={"BEL": text})
    (new,) = diff(opic, first, observed_at=SEEN)
    assert (new.kind, new.participant_code, new.old_value, new.new_value) == (
        ChangeKind.DECLARATION,
        "BEL",
        None,
        text,
    )
    second = dataclasses.replace(opic, declarations={"BEL": text + " (edited)"})
    (changed,) = diff(first, second, observed_at=SEEN)
    assert (changed.old_value, changed.new_value) == (text, text + " (edited)")


def test_rename_is_one_event(opic: TreatyStatus) -> None:
    after = replace_participant(opic, "TUR", name="Türkiye")  # the UN's 2022 rename
    (change,) = diff(opic, after, observed_at=SEEN)
    assert (change.kind, change.old_value, change.new_value) == (
        ChangeKind.RENAME,
        "Turkey",
        "Türkiye",
    )


def test_an_english_and_a_french_page_are_not_renames(opic: TreatyStatus) -> None:
    french = replace_participant(opic, "BEL", name="Belgique")
    french = replace_participant(french, "DEU", name="Allemagne")
    french = dataclasses.replace(
        french,
        language="fr",
        url=opic.url.replace("clang=_en", "clang=_fr"),
        declarations={"DEU": "« La République fédérale d'Allemagne reconnaît ... »"},
    )
    english = dataclasses.replace(opic, declarations={"DEU": "The Federal Republic ..."})
    assert diff(english, french, observed_at=SEEN) == []
    # A text that is new (not a translation of an old one) is still reported.
    french = dataclasses.replace(french, declarations={**french.declarations, "BEL": "Texte"})
    assert kinds(diff(english, french, observed_at=SEEN)) == [(ChangeKind.DECLARATION, "BEL")]


def test_a_missing_participant_is_flagged_not_withdrawn(opic: TreatyStatus) -> None:
    after = without(opic, "ARG")
    (change,) = diff(opic, after, observed_at=SEEN)
    assert (change.kind, change.participant_code, change.old_value) == (
        ChangeKind.DISAPPEARED,
        "ARG",
        "signed",
    )
    # Next poll: the stored state still holds Argentina, marked unlisted.
    unlisted = frozenset({"ARG"})
    assert diff(opic, after, observed_at=SEEN, unlisted=unlisted) == []
    # It comes back unchanged: nothing; it comes back ratified: one consent.
    assert diff(opic, opic, observed_at=SEEN, unlisted=unlisted) == []
    back = replace_participant(
        opic, "ARG", consent=Consent(date(2015, 4, 1), ConsentKind.RATIFICATION)
    )
    assert kinds(diff(opic, back, observed_at=SEEN, unlisted=unlisted)) == [
        (ChangeKind.CONSENT, "ARG")
    ]


def test_treaty_entry_into_force(opic: TreatyStatus) -> None:
    before = dataclasses.replace(opic, entry_into_force=None)
    (change,) = diff(before, opic, observed_at=SEEN)
    assert (change.kind, change.participant_code, change.new_value, change.effective_date) == (
        ChangeKind.TREATY_IN_FORCE,
        None,
        "2014-04-14",
        date(2014, 4, 14),
    )
    # A date that vanishes (a parse gap) is not an event; a changed date is.
    assert diff(opic, before, observed_at=SEEN) == []
    moved = dataclasses.replace(opic, entry_into_force=EntryIntoForce(date(2014, 4, 15), "x"))
    (change,) = diff(opic, moved, observed_at=SEEN)
    assert (change.old_value, change.new_value) == ("2014-04-14", "2014-04-15")


def test_order_is_page_order_then_missing_then_treaty(opic: TreatyStatus) -> None:
    before = replace_participant(opic, "URY", consent=None)
    before = replace_participant(before, "ALB", consent=None)
    before = dataclasses.replace(before, entry_into_force=None)
    after = without(opic, "BEN")
    assert kinds(diff(before, after, observed_at=SEEN)) == [
        (ChangeKind.CONSENT, "ALB"),
        (ChangeKind.CONSENT, "URY"),
        (ChangeKind.DISAPPEARED, "BEN"),
        (ChangeKind.TREATY_IN_FORCE, None),
    ]


# --- property tests -------------------------------------------------------------------------

dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2030, 12, 31))
consents = st.builds(Consent, dates, st.sampled_from(list(ConsentKind)))
codes = st.sampled_from([f"C{i:02d}" for i in range(40)])


@st.composite
def statuses(draw: st.DrawFn) -> TreatyStatus:
    chosen = draw(st.lists(codes, unique=True, max_size=25))
    participants = tuple(
        Participant(
            name=draw(st.sampled_from(["Name ", "Nom "])) + code,
            code=code,
            signature=draw(st.none() | dates),
            consent=draw(st.none() | consents),
            withdrawn=draw(st.booleans()),
        )
        for code in chosen
    )
    declarations = draw(
        st.dictionaries(st.sampled_from(chosen or ["C00"]), st.text(max_size=5), max_size=3)
    )
    return TreatyStatus(
        mtdsg_no="IV-11-d",
        language=draw(st.sampled_from(["en", "fr"])),
        title="t",
        url="https://treaties.un.org/x",
        entry_into_force=draw(st.none() | st.builds(EntryIntoForce, dates, st.just("x"))),
        participants=participants,
        declarations=declarations,
    )


@settings(max_examples=150, deadline=None)
@given(statuses())
def test_diff_of_a_page_with_itself_is_empty(status: TreatyStatus) -> None:
    assert diff(status, status, observed_at=SEEN) == []


@settings(max_examples=150, deadline=None)
@given(statuses(), statuses())
def test_diff_is_deterministic_and_never_invents_withdrawals(
    previous: TreatyStatus, current: TreatyStatus
) -> None:
    changes = diff(previous, current, observed_at=SEEN)
    assert changes == diff(previous, current, observed_at=SEEN)
    withdrawn_now = {p.code for p in current.participants if p.withdrawn}
    missing = {p.code for p in previous.participants} - {p.code for p in current.participants}
    for c in changes:
        assert c.observed_at == SEEN and c.source_url == current.url
        if c.kind is ChangeKind.WITHDRAWAL:
            assert c.participant_code in withdrawn_now
        if c.kind is ChangeKind.RENAME:
            assert previous.language == current.language
    assert {c.participant_code for c in changes if c.kind is ChangeKind.DISAPPEARED} == missing


# --- assess ---------------------------------------------------------------------------------


def test_a_sound_page_is_trusted(opic: TreatyStatus) -> None:
    assert opic.row_counts() == Counts(signatories=48, parties=16)
    assert assess(None, opic, expected_mtdsg_no="IV-11-d", expected_language="en") == []
    assert assess(opic, opic) == []


def test_counts_that_disagree_with_the_rows(opic: TreatyStatus) -> None:
    page = dataclasses.replace(opic, counts=Counts(signatories=48, parties=17))
    assert assess(opic, page) == ["The page states 17 parties but its rows give 16."]
    # A withdrawn participant (in brackets) is counted neither as signatory nor as party.
    page = replace_participant(opic, "DEU", withdrawn=True)
    assert assess(opic, page) == [
        "The page states 48 signatories but its rows give 47.",
        "The page states 16 parties but its rows give 15.",
    ]
    assert assess(opic, dataclasses.replace(page, counts=Counts(47, 15))) == []
    assert assess(opic, dataclasses.replace(opic, counts=Counts())) == []


def test_a_known_count_quirk_is_not_suspect_again(opic: TreatyStatus) -> None:
    quirky = dataclasses.replace(opic, counts=Counts(signatories=49, parties=16))
    assert assess(None, quirky) == ["The page states 49 signatories but its rows give 48."]
    # The stored state has the same offset: the page always says one more.
    assert assess(quirky, quirky) == []


def test_an_empty_page_is_suspect(opic: TreatyStatus) -> None:
    empty = dataclasses.replace(opic, participants=(), counts=Counts())
    assert assess(opic, empty) == ["The page lists no participants."]
    assert assess(None, empty) == ["The page lists no participants."]


def test_far_fewer_participants_is_suspect(opic: TreatyStatus) -> None:
    assert MIN_KEEP_RATIO == 0.9
    codes_ = [p.code for p in opic.participants if p.consent is None]
    five = without(opic, *codes_[:5])  # 51 listed: 5 may go missing
    assert assess(opic, dataclasses.replace(five, counts=Counts())) == []
    six = dataclasses.replace(without(opic, *codes_[:6]), counts=Counts())
    assert assess(opic, six) == [
        "6 of the 51 participants listed last time are missing from the page "
        "(at most 5 may go missing at once)."
    ]
    # Already-unlisted participants are not counted again.
    assert assess(opic, six, unlisted=frozenset(codes_[:3])) == []


def test_small_treaties_may_lose_two(opic: TreatyStatus) -> None:
    small = dataclasses.replace(opic, participants=opic.participants[:10], counts=Counts())
    two = dataclasses.replace(small, participants=small.participants[:8])
    three = dataclasses.replace(small, participants=small.participants[:7])
    assert assess(small, two) == []
    assert assess(small, three) == [
        "3 of the 10 participants listed last time are missing from the page "
        "(at most 2 may go missing at once)."
    ]


def test_wrong_treaty_or_language(opic: TreatyStatus) -> None:
    assert assess(None, opic, expected_mtdsg_no="iv-11-d", expected_language="EN") == []
    assert assess(None, opic, expected_mtdsg_no="IV-11-b") == [
        "The page is for treaty IV-11-d, but IV-11-b was requested."
    ]
    assert assess(None, opic, expected_language="fr") == [
        "The page is in language 'en', but 'fr' was requested."
    ]
    other = dataclasses.replace(opic, mtdsg_no="IV-11-c")
    assert assess(other, opic) == [
        "The page is for treaty IV-11-d, but the stored state is for IV-11-c."
    ]


def test_repeated_codes_and_vanished_declarations(opic: TreatyStatus) -> None:
    doubled = dataclasses.replace(
        opic, participants=(*opic.participants, opic.participants[0]), counts=Counts()
    )
    assert assess(None, doubled) == ["The page lists 1 participant code(s) more than once: ALB."]
    with_text = dataclasses.replace(opic, declarations={"BEL": "a", "DEU": "b"})
    assert assess(with_text, opic) == [
        "The stored state has declarations for 2 participant(s); the page has none."
    ]


# --- describe -------------------------------------------------------------------------------


def belgium_ratification(opic: TreatyStatus) -> Change:
    (change,) = diff(replace_participant(opic, "BEL", consent=None), opic, observed_at=SEEN)
    return change


def test_describe_in_english(opic: TreatyStatus) -> None:
    change = belgium_ratification(opic)
    assert describe(change, treaty_title=OPIC_TITLE) == (
        "Belgium ratified the Optional Protocol to the Convention on the Rights of the Child "
        "on a communications procedure (IV-11-d) on 30 May 2014."
    )
    assert describe(change) == "Belgium ratified treaty IV-11-d on 30 May 2014."
    monaco = diff(without(opic, "MCO"), opic, observed_at=SEEN)[0]
    assert describe(monaco) == "Monaco acceded to treaty IV-11-d on 24 September 2014."


def test_describe_in_french(opic: TreatyStatus) -> None:
    change = dataclasses.replace(belgium_ratification(opic), participant_name="Belgique")
    title = (
        "Protocole facultatif à la Convention relative aux droits de l'enfant établissant "
        "une procédure de présentation de communications"
    )
    assert describe(change, language="fr", treaty_title=title) == (
        f"Belgique : ratification le 30 mai 2014 — {title} (IV-11-d)."
    )
    with pytest.raises(ValueError, match="'de'"):
        describe(change, language="de")


def test_describe_covers_every_kind(opic: TreatyStatus) -> None:
    before = dataclasses.replace(
        replace_participant(opic, "TUR", name="Turkey (old)"), entry_into_force=None
    )
    after = replace_participant(without(opic, "ARG"), "DEU", withdrawn=True)
    after = replace_participant(after, "ESP", signature=date(2012, 2, 29))
    after = dataclasses.replace(after, declarations={"BEL": "text"})
    # an action (issue 10): an invented provisional application by France
    after = replace_participant(after, "FRA", actions=(PROVISIONAL_FRANCE,))
    changes = diff(before, after, observed_at=SEEN)
    assert {c.kind for c in changes} == set(ChangeKind) - {
        ChangeKind.SIGNATURE,
        ChangeKind.CONSENT,
    }
    for c in changes:
        for language in ("en", "fr"):
            text = describe(c, language=language)
            assert text.endswith(".") and "IV-11-d" in text and "None" not in text
    by_kind = {c.kind: c for c in changes}
    assert describe(by_kind[ChangeKind.RENAME]) == (
        "Turkey (old) is now listed as Turkey on treaty IV-11-d."
    )
    assert describe(by_kind[ChangeKind.DATE_CORRECTION]) == (
        "The signature date of Spain for treaty IV-11-d was corrected from "
        "28 February 2012 to 29 February 2012."
    )
    assert "not a withdrawal" in describe(by_kind[ChangeKind.DISAPPEARED])
    assert describe(by_kind[ChangeKind.TREATY_IN_FORCE]) == (
        "Treaty IV-11-d entered into force on 14 April 2014."
    )
    assert describe(by_kind[ChangeKind.ACTION]) == (
        "France: provisional application of treaty IV-11-d on 24 January 2013 (column "
        "“Provisional application(n)”); this is not a ratification."
    )


def test_format_date() -> None:
    assert format_date(date(2014, 5, 30)) == "30 May 2014"
    assert format_date(date(2014, 5, 30), "fr") == "30 mai 2014"
    assert format_date(date(2014, 8, 1), "fr") == "1er août 2014"
    assert format_date(date(2014, 8, 1) + timedelta(days=1)) == "2 August 2014"


# --- actions (issue 10) ------------------------------------------------------------------


def test_actions_new_changed_removed_and_unchanged(opic: TreatyStatus) -> None:
    """France's provisional application (invented): appears, its date is corrected, it goes;
    the same actions again give nothing, and an action is never a consent."""
    with_action = replace_participant(opic, "FRA", actions=(PROVISIONAL_FRANCE,))
    (new,) = diff(opic, with_action, observed_at=SEEN)
    assert (new.kind, new.participant_code, new.old_value, new.new_value) == (
        ChangeKind.ACTION,
        "FRA",
        None,
        "2013-01-24",
    )
    assert new.detail == "provisional_application: Provisional application(n)"
    assert new.consent_kind is None and new.effective_date == date(2013, 1, 24)
    assert diff(with_action, with_action, observed_at=SEEN) == []

    later = dataclasses.replace(PROVISIONAL_FRANCE, date=date(2013, 2, 24))
    moved = replace_participant(opic, "FRA", actions=(later,))
    (changed,) = diff(with_action, moved, observed_at=SEEN)
    assert (changed.old_value, changed.new_value) == ("2013-01-24", "2013-02-24")
    assert "was corrected from 24 January 2013 to 24 February 2013" in describe(changed)

    (removed,) = diff(with_action, opic, observed_at=SEEN)
    assert (removed.old_value, removed.new_value) == ("2013-01-24", None)
    assert "no longer shown" in describe(removed)
    assert "ne figure plus" in describe(removed, language="fr")


def test_a_new_participant_with_only_an_action_is_not_a_party(opic: TreatyStatus) -> None:
    newcomer = Participant(
        name="Norway", code="NOR", actions=(PROVISIONAL_FRANCE,)
    )  # invented, for structure
    after = dataclasses.replace(opic, participants=(*opic.participants, newcomer))
    (change,) = diff(opic, after, observed_at=SEEN)
    assert change.kind is ChangeKind.ACTION
    assert after.row_counts() == opic.row_counts()
    assert describe(change, language="fr") == (
        "Norway : application provisoire le 24 janvier 2013 — traité IV-11-d (colonne "
        "« Provisional application(n) ») ; ce n'est pas une ratification."
    )


# --- one wording of events (issue 13) ----------------------------------------------------


def test_every_kind_of_change_has_one_name_in_each_language() -> None:
    """The app's filters (tracker.i18n.kind_label) and the alert titles
    (tracker.notify.event_title) use the same names: tracker.changes.kind_name."""
    from tracker import i18n

    for language in ("en", "fr"):
        names = [kind_name(kind, language) for kind in ChangeKind]
        assert len(set(names)) == len(names)
        assert set(KIND_NAMES[language]) == set(ChangeKind) and all(names)
        assert [i18n.kind_label(str(kind), language) for kind in ChangeKind] == names
    assert kind_name(ChangeKind.RENAME) == "new name"
    assert kind_name("withdrawal", "fr") == "retrait"
    assert kind_name("a_kind_not_known_yet") == "a_kind_not_known_yet"
    with pytest.raises(ValueError, match="language"):
        kind_name(ChangeKind.RENAME, "de")


def test_describe_says_when_a_ratification_takes_effect(opic: TreatyStatus) -> None:
    """The in-force date after a consent is worded by describe (alerts and feed use it)."""
    after = without(opic, "ALB")
    (event,) = [c for c in diff(after, opic, observed_at=SEEN) if c.kind is ChangeKind.CONSENT]
    in_force = date(2014, 4, 14)  # real: OPIC entered into force then, Albania had ratified
    text = describe(event, in_force_date=in_force)
    assert text.startswith(describe(event).rstrip("."))
    assert text.endswith(f"; it entered into force for Albania on {format_date(in_force)}.")
    assert describe(event, language="fr", in_force_date=in_force).endswith(
        f" ; entrée en vigueur à son égard le {format_date(in_force, 'fr')}."
    )
    signature = next(
        c for c in diff(after, opic, observed_at=SEEN) if c.kind is ChangeKind.SIGNATURE
    )
    assert describe(signature, in_force_date=in_force) == describe(signature)
