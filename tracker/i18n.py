"""English and French labels of the app.

PURE: no I/O. ``t(key, language)`` gives a label; an unknown key raises ``KeyError`` so a
missing translation shows up in tests, not as a blank on screen.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date

from tracker.changes import action_noun, consent_noun, kind_name
from tracker.dates import LANGUAGES as LANGUAGES
from tracker.dates import readable_date as readable_date
from tracker.dates import readable_datetime as readable_datetime
from tracker.domain import ConsentKind

logger = logging.getLogger(__name__)

LANGUAGE_NAMES: dict[str, str] = {"en": "English", "fr": "Français"}

LABELS: dict[str, tuple[str, str]] = {
    # navigation and common
    "app_title": ("Treaty tracker", "Suivi des traités"),
    "language": ("Language", "Langue"),
    "page_country": ("Country", "Pays"),
    "page_treaty": ("Treaty", "Traité"),
    "page_alerts": ("Alerts", "Alertes"),
    "page_watchlists": ("Watchlists", "Veilles"),
    "page_health": ("Health", "État du suivi"),
    "download_csv": ("Download CSV", "Télécharger en CSV"),
    "no_data": (
        "No data yet: no status page has been recorded. Run `treaty-tracker snapshot` "
        "or `treaty-tracker poll`.",
        "Aucune donnée : aucune page de statut n'a encore été enregistrée. Lancez "
        "`treaty-tracker snapshot` ou `treaty-tracker poll`.",
    ),
    "source_snapshot": (
        "Data as published on {date} (bundled snapshot). No live poll has succeeded yet.",
        "Données telles que publiées le {date} (instantané fourni). Aucune "
        "interrogation en direct n'a encore réussi.",
    ),
    "source_live": (
        "Data last verified on the UN Treaty Collection on {date}.",
        "Données vérifiées sur la Collection des traités des Nations Unies le {date}.",
    ),
    "source_live_range": (
        "Data verified on the UN Treaty Collection between {oldest} and {newest}.",
        "Données vérifiées sur la Collection des traités des Nations Unies entre le {oldest} "
        "et le {newest}.",
    ),
    "source_mixed": (
        "Live data for {live} of {total} recorded treaties, last verified on {newest}; the "
        "other {snapshot} show only the bundled snapshot, as published on {published}.",
        "Données en direct pour {live} des {total} traités enregistrés, vérifiées en dernier "
        "le {newest} ; les {snapshot} autres n'ont que l'instantané fourni, tel que publié le "
        "{published}.",
    ),
    # freshness and completeness of one answer (tracker.coverage)
    "fresh_oldest": (
        "Oldest “last verified” among these rows: {date}.",
        "Plus ancienne vérification parmi ces lignes : {date}.",
    ),
    "fresh_snapshot": (
        "From the bundled snapshot (values as published on {date}), not yet verified live: "
        "{treaties}.",
        "Issues de l'instantané fourni (valeurs telles que publiées le {date}), pas encore "
        "vérifiées en direct : {treaties}.",
    ),
    "fresh_stale": (
        "Not verified for more than {days} days (stale): {treaties}.",
        "Non vérifiées depuis plus de {days} jours (périmées) : {treaties}.",
    ),
    "fresh_unknown": ("No data yet: {treaties}.", "Pas encore de données : {treaties}."),
    "gaps_none_known": (
        "No treaty among the {known} with data.",
        "Aucun parmi les {known} traités pour lesquels des données existent.",
    ),
    "gaps_all_unknown": (
        "Not known: none of the {n} treaties has data yet.",
        "Inconnu : aucun des {n} traités n'a encore de données.",
    ),
    "gaps_unknown": (
        "Not known for {n} treaties with no data yet: {treaties}.",
        "Inconnu pour {n} traités sans données : {treaties}.",
    ),
    "unknown": ("unknown (no data yet)", "inconnu (pas encore de données)"),
    "count_discrepancy": (
        "The status page's own counts disagree with its rows: {detail}",
        "Les totaux de la page de statut ne correspondent pas à ses lignes : {detail}",
    ),
    # entry into force on a date (tracker.eif.in_force_on)
    "in_force_yes": (
        "In force on {at}: yes, since {eif} ({how}).",
        "En vigueur le {at} : oui, depuis le {eif} ({how}).",
    ),
    "in_force_no": (
        "In force on {at}: no; it entered into force on {eif} ({how}).",
        "En vigueur le {at} : non ; entrée en vigueur le {eif} ({how}).",
    ),
    "in_force_not_yet": (
        "In force on {at}: no; it has not entered into force.",
        "En vigueur le {at} : non ; il n'est pas entré en vigueur.",
    ),
    "in_force_unknown": (
        "In force on {at}: not known (the page gives no date of entry into force).",
        "En vigueur le {at} : inconnu (la page ne donne pas de date d'entrée en vigueur).",
    ),
    "eif_how_page": ("as the page states", "selon la page"),
    "eif_how_computed": ("computed from the rule and the dates", "calculé d'après la règle"),
    "eif_needed": (
        "Entry into force needed {needed} instruments of ratification or accession ({article}); "
        "{deposited} had been deposited by {at}.",
        "L'entrée en vigueur exigeait {needed} instruments de ratification ou d'adhésion "
        "({article}) ; {deposited} avaient été déposés au {at}.",
    ),
    "eif_not_fixed": (
        "Entry into force did not need a fixed number of instruments ({source})",
        "L'entrée en vigueur n'exigeait pas un nombre fixe d'instruments ({source})",
    ),
    "eif_rule_unknown": (
        "How many instruments its entry into force needed is not known: no rule is "
        "catalogued for {treaty}.",
        "Le nombre d'instruments exigé pour son entrée en vigueur est inconnu : aucune règle "
        "n'est répertoriée pour {treaty}.",
    ),
    # catch-up after the snapshot or a gap
    "catch_up_snapshot": (
        "Since the {date} snapshot: {n} {changes} ({treaty}, found on {seen}; they happened "
        "on their effective dates).",
        "Depuis l'instantané du {date} : {n} {changes} ({treaty}, constatés le {seen} ; "
        "survenus à leur date d'effet).",
    ),
    "catch_up_gap": (
        "Since {date}, when it was last verified: {n} {changes} ({treaty}, found on {seen}; "
        "they happened on their effective dates).",
        "Depuis le {date}, dernière vérification : {n} {changes} ({treaty}, constatés le "
        "{seen} ; survenus à leur date d'effet).",
    ),
    "change_one": ("change", "changement"),
    "change_many": ("changes", "changements"),
    "col_catch_up": ("Catch-up", "Rattrapage"),
    "admin_password": ("Admin password", "Mot de passe d'administration"),
    "admin_needed": (
        "Enter the admin password in the sidebar to change anything.",
        "Saisissez le mot de passe d'administration dans la barre latérale pour modifier.",
    ),
    "admin_wrong": ("Wrong admin password.", "Mot de passe d'administration incorrect."),
    "admin_unset": (
        "No admin password is set (TRACKER_ADMIN_PASSWORD): changes are not offered. "
        "`make run` creates one on its first start and prints it; see the README.",
        "Aucun mot de passe d'administration (TRACKER_ADMIN_PASSWORD) : les modifications "
        "ne sont pas proposées. `make run` en crée un au premier démarrage et l'affiche ; "
        "voir le README.",
    ),
    # columns
    "col_treaty": ("Treaty", "Traité"),
    "col_title": ("Title", "Titre"),
    "col_status": ("Status", "Statut"),
    "col_signature": ("Signature", "Signature"),
    "col_consent": ("Ratification, accession…", "Ratification, adhésion…"),
    "col_consent_kind": ("Kind", "Nature"),
    "col_in_force": ("In force for it", "En vigueur pour lui"),
    "col_declarations": ("Declarations / reservations", "Déclarations / réserves"),
    "col_actions": (
        "Other actions (not consent)",
        "Autres formalités (pas un consentement)",
    ),
    "col_source": ("Source", "Source"),
    "col_verified": ("Last verified", "Dernière vérification"),
    "col_participant": ("Participant", "Participant"),
    "col_code": ("Code", "Code"),
    "col_kind": ("Kind of change", "Type de changement"),
    "col_what": ("What changed", "Changement"),
    "col_old": ("Old value", "Ancienne valeur"),
    "col_new": ("New value", "Nouvelle valeur"),
    "col_effective": ("Effective date", "Date d'effet"),
    "col_observed": ("Observed", "Constaté le"),
    "col_read": ("Read", "Lu"),
    "col_last_poll": ("Last poll", "Dernière interrogation"),
    "col_outcome": ("Outcome", "Résultat"),
    "col_failures": ("Failures in a row", "Échecs consécutifs"),
    "col_freshness": ("Status as at (page)", "Statut au (page)"),
    "col_error": ("Error", "Erreur"),
    "col_next_poll": ("Next scheduled poll", "Prochaine interrogation prévue"),
    "col_data_source": ("Data", "Données"),
    "col_counts_note": ("Counts vs rows", "Totaux / lignes"),
    "col_accepted": ("Accepted by", "Acceptée par"),
    "data_live": ("live", "en direct"),
    "data_snapshot": (
        "bundled snapshot (as published on {date})",
        "instantané fourni (tel que publié le {date})",
    ),
    "col_label": ("Label", "Libellé"),
    "col_country": ("Country", "Pays"),
    "col_kinds": ("Kinds", "Types"),
    "col_notify": ("Notify (masked)", "Notification (masquée)"),
    "col_language": ("Language", "Langue"),
    "col_active": ("Active", "Active"),
    "col_digest": ("Digest", "Résumé"),
    "col_parties": ("Parties", "Parties"),
    "col_date": ("Date", "Date"),
    "yes": ("yes", "oui"),
    "no": ("no", "non"),
    "all": ("(all)", "(tous)"),
    # statuses
    "status_not_signed": ("not signed", "non signé"),
    "status_signed": ("signed, not ratified", "signé, non ratifié"),
    "status_party": ("party", "partie"),
    "status_withdrawn": ("withdrawn", "retiré"),
    "status_no_data": ("no data yet", "pas encore de données"),
    # country page
    "country_title": ("Country overview", "Vue par pays"),
    "country_search": (
        "Search a country (English or French name, ISO code)",
        "Chercher un pays (nom anglais ou français, code ISO)",
    ),
    "country_pick": ("Country", "Pays"),
    "country_no_match": ("No country matches {query!r}.", "Aucun pays ne correspond à {query!r}."),
    "country_ambiguous": (
        "{query!r} could mean several countries: choose one ({names}).",
        "{query!r} peut désigner plusieurs pays : choisissez-en un ({names}).",
    ),
    "country_maybe": (
        "No country is called {query!r}; did you mean one of these? ({names})",
        "Aucun pays ne s'appelle {query!r} ; vouliez-vous dire l'un de ceux-ci ? ({names})",
    ),
    "signed_not_ratified": ("Signed but not ratified", "Signés mais non ratifiés"),
    "not_signed": ("Not signed", "Non signés"),
    "none": ("No treaty.", "Aucun traité."),
    "no_declarations": (
        "No declaration or reservation is recorded for this treaty.",
        "Aucune déclaration ni réserve n'est enregistrée pour ce traité.",
    ),
    "no_parties_yet": ("No party is recorded yet.", "Aucune partie n'est encore enregistrée."),
    "declarations_of": ("Declarations and reservations", "Déclarations et réserves"),
    "col_number": ("MTDSG no.", "N° MTDSG"),
    "country_answer_pick": ("Treaty to spell out", "Traité à détailler"),
    "country_in_words": ("Treaty by treaty, in words", "Traité par traité, en toutes lettres"),
    "country_show_all": (
        "Show all {n} stored treaties, not only the {tracked} tracked ones",
        "Afficher les {n} traités enregistrés, pas seulement les {tracked} traités suivis",
    ),
    "country_show_all_help": (
        "The table then lists every treaty stored in the database; sentences are written for "
        "the tracked treaties and those the State takes part in.",
        "Le tableau liste alors tous les traités enregistrés dans la base ; les phrases sont "
        "écrites pour les traités suivis et ceux auxquels l'État participe.",
    ),
    "country_showing_tracked": (
        "Showing the {tracked} tracked treaties ({n} treaties are stored).",
        "Les {tracked} traités suivis sont affichés ({n} traités sont enregistrés).",
    ),
    "country_showing_all": (
        "Showing all {n} stored treaties.",
        "Les {n} traités enregistrés sont affichés.",
    ),
    "country_others_not_signed": (
        "{n} other stored treaties the State has neither signed nor joined",
        "{n} autres traités enregistrés que l'État n'a ni signés ni rejoints",
    ),
    "declarations_others": (
        "Declarations or reservations are also recorded on {n} other stored treaties "
        "(their texts are in the Treaty view): {names}.",
        "Des déclarations ou réserves sont aussi enregistrées pour {n} autres traités "
        "enregistrés (leurs textes sont dans la vue Traité) : {names}.",
    ),
    "unlisted_note": (
        "no longer listed on the page",
        "ne figure plus sur la page",
    ),
    # treaty page
    "treaty_title": ("Treaty", "Traité"),
    "treaty_pick": ("Treaty", "Traité"),
    "treaty_counts": (
        "{signatories} signatories, {parties} parties (as stated on the page). "
        "Entry into force: {eif}.",
        "{signatories} signataires, {parties} parties (selon la page). Entrée en vigueur : {eif}.",
    ),
    "filter_status": ("Filter by status", "Filtrer par statut"),
    "filter_name": ("Filter by name", "Filtrer par nom"),
    "participants": ("Participants", "Participants"),
    "world_map": ("World map by status", "Carte du monde par statut"),
    "map_note": (
        "Small States without an outline are drawn as dots.",
        "Les petits États sans contour sont représentés par des points.",
    ),
    "parties_over_time": ("Parties over time", "Parties au fil du temps"),
    "eif_milestone": ("Entry into force", "Entrée en vigueur"),
    "as_at": ("Participants as they stood on", "Participants à la date du"),
    "as_at_help": (
        "Type or pick a date, then press Enter or Apply: the table, the map and the counts "
        "show the participants as they stood at the end of that day.",
        "Saisissez ou choisissez une date, puis Entrée ou Appliquer : le tableau, la carte et "
        "les totaux montrent les participants tels qu'ils étaient à la fin de ce jour.",
    ),
    "as_at_apply": ("Apply", "Appliquer"),
    "as_at_placeholder": (
        "e.g. 2014-04-13 (today's status if empty)",
        "p. ex. 2014-04-13 (statut actuel si vide)",
    ),
    "as_at_bad": (
        "not a date; type it as 2014-04-13 or 13 April 2014.",
        "ce n'est pas une date ; saisissez-la sous la forme 2014-04-13 ou 13 avril 2014.",
    ),
    "filter_choose": ("Choose statuses", "Choisir des statuts"),
    "as_at_clear": ("Today's status", "Statut actuel"),
    "as_at_showing": (
        "Showing the participants as they stood on {date}.",
        "Participants tels qu'ils étaient le {date}.",
    ),
    "signatures_one": ("{n} signature", "{n} signature"),
    "signatures_many": ("{n} signatures", "{n} signatures"),
    "signatures_unknown": ("signatures not known", "signatures inconnues"),
    "parties_one": ("{n} party", "{n} partie"),
    "parties_many": ("{n} parties", "{n} parties"),
    "eif_tooltip": ("Entry into force: {date}", "Entrée en vigueur : {date}"),
    "chart_parties_on": ("{date}: {n}", "{date} : {n}"),
    "declarations": ("Declarations per participant", "Déclarations par participant"),
    # alerts page
    "alerts_title": ("Alerts", "Alertes"),
    "filter_treaty": ("Treaty", "Traité"),
    "filter_country": ("Country", "Pays"),
    "filter_kind": ("Kind", "Type"),
    "filter_since": ("Observed since", "Constatés depuis"),
    "filter_since_placeholder": ("yyyy-mm-dd", "aaaa-mm-jj"),
    "filter_since_help": (
        "Changes observed on or after this day; type it as 2017-10-01 or 1 October 2017.",
        "Changements constatés ce jour-là ou après ; tapez-le comme 2017-10-01 ou 1 octobre 2017.",
    ),
    "unread_only": ("Unread only", "Non lus seulement"),
    "no_events": ("No change events match.", "Aucun événement ne correspond."),
    "mark_read": ("Mark as read", "Marquer comme lu"),
    "marked_read": ("Marked {n} event(s) as read.", "{n} événement(s) marqué(s) comme lu(s)."),
    "events_count": ("{n} event(s)", "{n} événement(s)"),
    "events_one": ("1 change event.", "1 événement."),
    "events_many": ("{n} change events.", "{n} événements."),
    "choose": ("Choose…", "Choisir…"),
    "no_events_snapshot": (
        "No change has been seen yet: the data is the bundled snapshot (values as published "
        "on {date}) and no live poll has succeeded. Changes appear here once polls of the UN "
        "Treaty Collection find them; the Health view shows the next scheduled poll.",
        "Aucun changement constaté pour l'instant : les données sont l'instantané fourni "
        "(valeurs telles que publiées le {date}) et aucune interrogation en direct n'a "
        "réussi. Les changements apparaissent ici dès que les interrogations de la Collection "
        "des traités des Nations Unies en trouvent ; la vue État du suivi indique la "
        "prochaine interrogation prévue.",
    ),
    "no_events_empty": (
        "No change has been seen yet: nothing has been recorded (no snapshot, no poll).",
        "Aucun changement constaté : rien n'a encore été enregistré (ni instantané, ni "
        "interrogation).",
    ),
    "no_events_live": (
        "No change found: the polls since {date} found none in the tracked treaties.",
        "Aucun changement trouvé : les interrogations depuis le {date} n'en ont trouvé aucun "
        "dans les traités suivis.",
    ),
    "no_events_filtered_one": (
        "The filters hide the one recorded change event: clear the treaty, country, kind, "
        "date or “unread only” filter to see it.",
        "Les filtres masquent le seul événement enregistré : retirez le filtre de traité, de "
        "pays, de type, de date ou « non lus seulement » pour le voir.",
    ),
    "no_events_filtered": (
        "The filters hide all {n} recorded change events: clear the treaty, country, kind, "
        "date or “unread only” filter to see them.",
        "Les filtres masquent les {n} événements enregistrés : retirez le filtre de traité, "
        "de pays, de type, de date ou « non lus seulement » pour les voir.",
    ),
    # watchlists
    "watch_title": ("Watchlists", "Veilles"),
    "watch_none": ("No watches yet.", "Aucune veille pour l'instant."),
    "watch_add": ("Add a watch", "Ajouter une veille"),
    "watch_url": (
        "E-mail address, or link for another service (kept secret)",
        "Adresse e-mail, ou lien vers un autre service (gardé secret)",
    ),
    "watch_saved": (
        "Watch saved. Send it a test message below to check that its alerts arrive.",
        "Veille enregistrée. Envoyez-lui un message d'essai ci-dessous pour vérifier que "
        "ses alertes arrivent.",
    ),
    "watch_toggle": ("Activate / deactivate", "Activer / désactiver"),
    "watch_delete": ("Delete", "Supprimer"),
    "watch_pick": ("Watch", "Veille"),
    "watch_deleted": ("Watch deleted.", "Veille supprimée."),
    "watch_updated": ("Watch updated.", "Veille mise à jour."),
    "watch_label_needed": (
        "A label and an address are needed.",
        "Un libellé et une adresse sont nécessaires.",
    ),
    "watch_url_help": (
        "Type an e-mail address, such as officer@ecpat.be. For another service, paste its "
        "link: Slack (slack://…), Microsoft Teams (msteams://…), Matrix (matrix://…), "
        "ntfy (ntfy://…) and many more, written as shown at "
        "https://github.com/caronc/apprise/wiki. The address is checked when you save and "
        "afterwards shown only in part.",
        "Saisissez une adresse e-mail, par exemple officer@ecpat.be. Pour un autre service, "
        "collez son lien : Slack (slack://…), Microsoft Teams (msteams://…), Matrix "
        "(matrix://…), ntfy (ntfy://…) et bien d'autres, écrits comme indiqué sur "
        "https://github.com/caronc/apprise/wiki. L'adresse est vérifiée à l'enregistrement "
        "puis n'est plus montrée qu'en partie.",
    ),
    "watch_no_smtp": (
        "E-mail addresses cannot be used yet: no mail server is set up (the operator sets "
        "TRACKER_SMTP_URL). Use a link for another service meanwhile.",
        "Les adresses e-mail ne sont pas encore utilisables : aucun serveur de messagerie "
        "n'est configuré (l'opérateur renseigne TRACKER_SMTP_URL). Utilisez en attendant "
        "le lien d'un autre service.",
    ),
    "watch_err_no_smtp": (
        "{address} is an e-mail address, but no mail server is set up to send e-mail. Ask "
        "the operator to set TRACKER_SMTP_URL, or use a link for another service (Slack, "
        "Teams, Matrix, ntfy ...). Nothing was saved.",
        "{address} est une adresse e-mail, mais aucun serveur de messagerie n'est configuré. "
        "Demandez à l'opérateur de renseigner TRACKER_SMTP_URL, ou utilisez le lien d'un "
        "autre service (Slack, Teams, Matrix, ntfy…). Rien n'a été enregistré.",
    ),
    "watch_err_smtp_unusable": (
        "The mail server setting (TRACKER_SMTP_URL) cannot send to {address}: {detail}. Ask "
        "the operator to correct it. Nothing was saved.",
        "Le réglage du serveur de messagerie (TRACKER_SMTP_URL) ne permet pas d'écrire à "
        "{address} : {detail}. Demandez à l'opérateur de le corriger. Rien n'a été "
        "enregistré.",
    ),
    "watch_err_several": (
        "Give one e-mail address per watch (add one watch for each person). Nothing was saved.",
        "Une seule adresse e-mail par veille (ajoutez une veille par personne). Rien n'a été "
        "enregistré.",
    ),
    "watch_err_not_address": (
        "This is neither an e-mail address (officer@example.org) nor a link for another "
        "service (such as slack://…, msteams://…, ntfy://…). Nothing was saved.",
        "Ce n'est ni une adresse e-mail (officer@example.org) ni le lien d'un autre service "
        "(comme slack://…, msteams://…, ntfy://…). Rien n'a été enregistré.",
    ),
    "watch_err_apprise": (
        "This link cannot be used: {detail}. The form of each service's link is at "
        "https://github.com/caronc/apprise/wiki. Nothing was saved.",
        "Ce lien n'est pas utilisable : {detail}. La forme du lien de chaque service est "
        "sur https://github.com/caronc/apprise/wiki. Rien n'a été enregistré.",
    ),
    "watch_test": ("Send a test message", "Envoyer un message d'essai"),
    "watch_test_sent": (
        "Test message sent to {address}. Check that it arrived.",
        "Message d'essai envoyé à {address}. Vérifiez qu'il est bien arrivé.",
    ),
    "watch_test_failed": (
        "The test message was not delivered: {error}",
        "Le message d'essai n'a pas été remis : {error}",
    ),
    "save": ("Save", "Enregistrer"),
    # health
    "health_title": ("Health", "État du suivi"),
    "poll_now": ("Poll now", "Interroger maintenant"),
    "poll_done": ("Poll finished: {outcome}.", "Interrogation terminée : {outcome}."),
    "poll_failed": ("Poll failed: {error}", "Échec de l'interrogation : {error}"),
    "never": ("never", "jamais"),
    "scheduler_unknown": ("not scheduled", "non planifiée"),
}

STATUS_KEYS: dict[str, str] = {
    "not_signed": "status_not_signed",
    "signed": "status_signed",
    "party": "status_party",
    "withdrawn": "status_withdrawn",
    "no_data": "status_no_data",
}


def check_language(language: str) -> str:
    """``language`` if it is ``"en"`` or ``"fr"``; else ``ValueError``."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {language!r}")
    return language


def t(key: str, language: str = "en", **values: object) -> str:
    """The label ``key`` in ``language``, with ``{name}`` fields filled from ``values``."""
    text = LABELS[key][LANGUAGES.index(check_language(language))]
    return text.format(**values) if values else text


def status_label(status: str, language: str = "en") -> str:
    return t(STATUS_KEYS[status], language)


def kind_label(kind: str, language: str = "en") -> str:
    """The name of a kind of change (:func:`tracker.changes.kind_name`)."""
    return kind_name(kind, check_language(language))


def consent_kind_label(kind: str | None, language: str = "en") -> str:
    if not kind:
        return ""
    try:
        return consent_noun(ConsentKind(kind), check_language(language))
    except ValueError:  # a kind this version does not know: shown as stored
        return kind


def actions_label(actions: Iterable[dict[str, str]], language: str = "en") -> str:
    """A participant's actions in one line: "provisional application 29 Dec 1992"; an action
    of a column the parser did not know names its column: "other action (Denunciation) ..."."""
    language = check_language(language)
    parts = []
    for action in actions:
        noun = action_noun(action.get("kind", ""), language)
        if action.get("kind") == "other" and action.get("column"):
            noun = f"{noun} ({action['column']})"
        try:
            when = readable_date(date.fromisoformat(action.get("date", "")), language)
        except ValueError:
            when = action.get("date", "")
        parts.append(f"{noun} {when}".strip())
    return "; ".join(parts)
