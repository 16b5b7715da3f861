"""Privacy register as code (R_PRV_03, R_PRV_04).

Every attribute of every model is declared here exactly once: personal (with purpose, retention
and recipients) or not personal. Every model (one table each) also declares, in `TABLES`, its
backup window (DynamoDB point-in-time recovery; 0 = off) and how its items relate to an account
when the account is deleted (deleted with it, detached from it, kept). Export, anonymisation,
account deletion, the generated infrastructure (`tools/gen_infra.py`) and the public register page
read this declaration and nothing else; `tests/unit/test_privacy_register.py` fails when a model
gains an attribute or a table that is not declared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Retention(StrEnum):
    ACCOUNT = "zolang het account bestaat; direct verwijderd bij verwijderen account"
    SESSION = "tot uitloggen, 30 minuten inactiviteit of uiterlijk 12 uur"
    LINK = "tot gebruik of uiterlijk 10 minuten"
    COUNTER = "het venster van de limiet (uiterlijk 1 dag)"
    CONTACT = "uiterlijk 7 dagen na ontvangst"
    ENROLMENT = "geanonimiseerd uiterlijk 12 maanden na de oorspronkelijke einddatum"
    OUTBOX = "tot de e-mail is verstuurd"
    IDEMPOTENCY = "24 uur"
    REVIEW = "tot de auteur of CFB de review verwijdert, of het account wordt verwijderd"
    WAITING = ("tot u doorschuift of de wachtlijst verlaat, uiterlijk tot de wachtlijst sluit, de uitvoering "
               "begint of vervalt, of het account wordt verwijderd")


class Anonymise(StrEnum):
    """What anonymisation (R_ENR_10) does with an attribute of an enrolment or one of its copies."""

    KEEP = "blijft bewaard"
    REMOVE = "verwijderd"
    MONTH = "teruggebracht tot de maand"
    MARK = "gezet op geanonimiseerd"


@dataclass(frozen=True)
class Personal:
    purpose: str
    retention: Retention
    recipients: tuple[str, ...]
    exported: bool = True  # False only for security secrets (R_ACC_10: never in an export)
    anonymise: Anonymise | None = None  # required where the table is anonymised (a test checks)


@dataclass(frozen=True)
class NotPersonal:
    why: str = ""
    anonymise: Anonymise = Anonymise.KEEP


Field = Personal | NotPersonal

_NP = NotPersonal()
_REVIEW_DAY = NotPersonal("datum; van een anonieme review ziet alleen de schrijver de dag, ieder ander de maand")
# R_REV_03, in the words of the register page and the export (chalicelib/reviews/rules.py applies it).
REVIEW_THRESHOLD_TEXT = ("de leverancier, lokaal beheerders en CFB lezen anonieme reviews van een opleiding pas als "
                         "die minstens 3 reviews heeft; tot dan zien zij alleen de samenvatting van de beoordelingen")
_KEY = NotPersonal("technische sleutel")
_MONTH = NotPersonal("datum; bij anonimiseren teruggebracht tot de maand", Anonymise.MONTH)
_GONE = NotPersonal("technisch; verdwijnt bij anonimiseren", Anonymise.REMOVE)
_SELF_ADMINS = ("uzelf", "lokaal beheerder eigen organisatie", "CFB")
_ENROLMENT_FORM = ("uzelf", "CFB", "leverancier van de opleiding")


def _account(purpose: str, recipients: tuple[str, ...] = _SELF_ADMINS, exported: bool = True) -> Personal:
    return Personal(purpose, Retention.ACCOUNT, recipients, exported)


def _enrolment(purpose: str, recipients: tuple[str, ...] = _ENROLMENT_FORM) -> Personal:
    return Personal(purpose, Retention.ENROLMENT, recipients, anonymise=Anonymise.REMOVE)


def _waiting(purpose: str = "wachtlijst; wordt de inschrijving als u doorschuift (R_WAIT_01, R_WAIT_02)",
             recipients: tuple[str, ...] = ("uzelf", "CFB")) -> Personal:
    """A waiting place reaches no supplier: it learns only how many wait (R_WAIT_04)."""
    return Personal(purpose, Retention.WAITING, recipients)


_FORM = "inschrijfformulier, doorgegeven aan de leverancier (R_ENR_02, R_ENR_07)"

REGISTER: dict[str, dict[str, Field]] = {
    "Organisation": {
        "org_id": _KEY, "name": _NP, "domains": _NP, "departments": _NP,
        "approval_required": _NP, "eprocurement": _NP, "catalogue_codes": _NP, "directory": _KEY, "created_at": _NP,
        "local_admin_ids": NotPersonal("pseudonieme account-id's; bijgewerkt met de rollen en bij verwijderen"),
        "order_staff": NotPersonal("pseudonieme account-id's van bestelgemachtigden per afdeling; bijgewerkt met de "
                                   "rollen en bij verwijderen"),
    },
    "Account": {
        "account_id": NotPersonal("pseudoniem; verdwijnt met het account"),
        "email": _account("gebruikersnaam en standaardmeldingen (R_ACC_03)"),
        "first_name": _account("profiel (R_ACC_01)"),
        "last_name": _account("profiel (R_ACC_01)"),
        "sort_name": _account("zoeken in de accountlijst van beheerders", ("lokaal beheerder", "CFB")),
        "org_id": _account("bepaalt zichtbaar aanbod en bestelproces (R_CAT_02)"),
        "department_id": _account("bestellijst van de afdeling (R_ORD_01)"),
        "roles": _account("autorisatie"),
        "status": _account("account uitgeschakeld of actief"),
        "created_at": _account("aanmaakdatum (R_ACC_05)"),
        "last_used_on": _account("laatst gebruikt (R_ACC_05)"),
        "consent_at": _account("bewijs van toestemming (R_ACC_01)"),
        "consent_version": _account("versie van de privacyverklaring bij toestemming"),
        "totp_secret": _account("tweede factor (R_ACC_10)", ("niemand",), exported=False),
        "totp_last_step": _account("code maar één keer bruikbaar", ("niemand",), exported=False),
        "totp_enrolled_at": _account("tweede factor ingesteld op (R_ACC_10)"),
        "pending_email": _account("nieuw e-mailadres tot de bevestigingslink is gebruikt (R_ACC_03)", ("uzelf",)),
    },
    "AccountSearchKey": {
        "org_id": _account("zoeken in de accountlijst van beheerders (R_ACC_06)", ("lokaal beheerder", "CFB")),
        "search_key": _account("naamdeel of begin van het e-mailadres, met de naam; zoeken door beheerders",
                               ("lokaal beheerder", "CFB")),
        "account_id": NotPersonal("pseudoniem; verdwijnt met het account"),
        "terms": _account("alle naamdelen en delen van het e-mailadres; zoeken op meer woorden",
                          ("lokaal beheerder", "CFB")),
        "initial": _account("eerste teken van de zoekterm: CFB zoekt in alle organisaties tegelijk (R_ACC_06)",
                            ("CFB",)),
    },
    "Session": {
        "token_hash": _KEY,
        "account_id": Personal("sessie (R_ACC_04)", Retention.SESSION, ("uzelf",)),
        "assurance_level": Personal("tweede factor gegeven", Retention.SESSION, ("uzelf",)),
        "created_at": Personal("absolute time-out", Retention.SESSION, ("uzelf",)),
        "last_seen_at": Personal("inactiviteits-time-out", Retention.SESSION, ("uzelf",)),
        "expires_at": _NP, "created_day": _KEY,
    },
    "LoginToken": {
        "token_hash": _KEY,
        "purpose": _NP,
        "email": Personal("eenmalige link (R_ACC_03)", Retention.LINK, ("uzelf",)),
        "payload": Personal("aanmeldgegevens tot bevestiging (R_ACC_01)", Retention.LINK, ("uzelf",)),
        "created_at": _NP, "expires_at": _NP, "used_at": _NP, "created_day": _KEY,
    },
    "RateCounter": {
        "subject": NotPersonal("hash van het adres; verwijderd met het account (R_ACC_08)"),
        "window": _NP, "count": _NP, "expires_at": _NP,
        "purge_day": NotPersonal("dag waarop de purge de teller uiterlijk verwijdert (R_CON_03)"),
    },
    "Supplier": {
        "supplier_id": _KEY, "name": _NP, "kind": _NP,
        "contact_email": NotPersonal("functioneel adres van de leverancier"),
        "delivery": _NP, "terms_version": _NP, "terms_accepted_at": _NP,
        "processing_agreement": _NP, "cancellation_free_days": _NP, "feed_key_version": _NP,
        "feed_seq": _NP, "directory_org_unit_id": _NP, "directory": _KEY, "created_at": _NP,
    },
    "ApiKey": {
        "key_id": _KEY, "secret_sha256": NotPersonal("hash van een sleutel"), "owner_kind": _NP,
        "owner_id": _NP, "label": _NP, "created_at": _NP, "revoked_at": _NP, "last_used_on": _NP,
    },
    "Course": {name: _NP for name in (
        "course_id", "supplier_id", "program_id", "kind", "status", "name", "summary",
        "description", "search_words", "theme", "level", "form", "duration", "open_for",
        "salary_scales", "requirements", "last_edited", "last_change", "updated_at",
    )},
    "Execution": {name: _NP for name in (
        "course_id", "execution_id", "supplier_id", "status", "start_day", "end_day",
        "application_deadline", "city", "location", "online", "price_cents", "seats",
        "seats_taken", "cancellation_free_days", "course_name", "open_for", "salary_scales", "due_notify",
        "moved", "end_moved", "start_time", "end_time", "due_change", "change_seq", "change_at", "change_before",
        "waiting_seq", "waiting_count", "offered_count", "waiting_close_day", "waiting_list", "waiting_supplier",
    )},
    "CatalogueChunk": {"build_id": _KEY, "chunk": _KEY, "data": _NP, "expires_at": _NP},
    "SearchList": {"name": _KEY, "entries": NotPersonal("synoniemen en vertalingen van zoekwoorden"), "version": _NP,
                   "updated_at": _NP, "declined": NotPersonal("standaardzoekwoorden die CFB heeft weggelaten")},
    "Enrolment": {
        "enrolment_id": _KEY, "version": _NP, "source": _NP, "status": _NP,
        "account_id": _enrolment("koppeling aan het account; losgemaakt bij verwijderen", ("uzelf", "CFB")),
        "org_id": NotPersonal("blijft bewaard voor het Rijksbrede uitgavenoverzicht"),
        "department_id": _enrolment("bestellijst van de afdeling (R_ORD_01)", ("uzelf", "CFB", "bestelgemachtigde")),
        "course_id": _NP, "execution_id": _NP, "execution_key": _KEY, "supplier_id": _NP, "course_name": _NP,
        "place": _NP,
        "guard_id": NotPersonal("hash; maakt dubbele inschrijving onmogelijk", Anonymise.REMOVE),
        "first_name": _enrolment(_FORM), "last_name": _enrolment(_FORM),
        "initials": _enrolment(_FORM), "title_before": _enrolment(_FORM),
        "title_after": _enrolment(_FORM), "email": _enrolment(_FORM), "phone": _enrolment(_FORM),
        "gender": _enrolment(_FORM), "job_function": _enrolment(_FORM),
        "salary_scale": _enrolment(_FORM), "department_name": _enrolment(_FORM),
        "organisation_name": _enrolment(_FORM),
        "business_email": _enrolment("bestellijst (R_ORD_02)", ("uzelf", "CFB", "bestelgemachtigde")),
        "holder_email": _enrolment("inzageverzoek via CFB vinden (R_ACC_09)", ("CFB",)),
        "manager_email": _enrolment("akkoord leidinggevende (R_ENR_06)", ("uzelf", "CFB")),
        "approval_token_hash": NotPersonal("hash van de akkoordlink", Anonymise.REMOVE),
        "due_approval": _GONE, "approval_expires_day": _MONTH, "decided_at": _MONTH,
        "approval_asked_day": _GONE, "approval_reminded_at": _MONTH,
        "consent_at": _enrolment("bewijs van toestemming (R_ENR_03)", ("uzelf", "CFB")),
        "consent_version": _enrolment("versie van de privacyverklaring", ("uzelf", "CFB")),
        "price_cents": _NP, "cancellation_free_days": _NP, "start_day": _MONTH,
        "original_end_day": _MONTH, "penalty_cents": _NP, "cancelled_at": _MONTH, "cancelled_by": _NP,
        "hidden": _NP, "spend_month": NotPersonal("maand van de start: uitgavenoverzicht (blijft)"),
        "lms_reference": _enrolment("koppeling met het LMS", ("CFB", "LMS van de organisatie")),
        "created_at": _MONTH, "anonymise_month": _GONE, "anonymise_day": _GONE,
        "anonymised": NotPersonal("geanonimiseerd (R_ENR_10)", Anonymise.MARK),
        "due_order": _KEY,
        "review_invited_at": _NP,
        "calendar_sequence": NotPersonal("volgnummer van de agenda-uitnodiging (R_CAL_01)"),
        "reminders": NotPersonal("keuze van het LMS: herinneringen sturen (R_CAL_03)"),
        "reminders_sent": NotPersonal("welke herinneringen al verstuurd zijn (R_CAL_03)"),
        "change_seen": NotPersonal("laatste wijziging van de uitvoering waarover bericht ging (R_CAL_02)"),
        "calendar_run": NotPersonal("data, tijden en plaats van de uitvoering zoals de agenda-uitnodiging ze noemt "
                                    "(R_CAL_01)"),
    },
    "EnrolmentGuard": {"guard_id": _KEY, "enrolment_id": _KEY, "place_id": _KEY},
    "WaitingPlace": {
        "execution_key": _KEY, "position": _KEY, "seq": _NP, "place_id": _KEY, "status": _NP, "source": _NP,
        "account_id": _waiting("uw plaats tonen en verlaten; verdwijnt met het account (R_WAIT_04, R_WAIT_05)",
                               ("uzelf",)),
        "org_id": _NP, "department_id": _waiting(), "course_id": _NP, "execution_id": _NP, "supplier_id": _NP,
        "course_name": _NP, "start_day": _NP,
        "guard_id": NotPersonal("hash; één inschrijving of wachtplaats per persoon per uitvoering"),
        **{name: _waiting() for name in (
            "first_name", "last_name", "initials", "title_before", "title_after", "email", "phone", "gender",
            "job_function", "salary_scale", "department_name", "organisation_name", "business_email",
        )},
        "holder_email": _waiting("inzageverzoek via CFB vinden (R_ACC_09)", ("CFB",)),
        "manager_email": _waiting("akkoord leidinggevende bij doorschuiven (R_WAIT_02, R_ENR_06)"),
        "consent_at": _waiting("bewijs van toestemming (R_ENR_03)"),
        "consent_version": _waiting("versie van de privacyverklaring"),
        "lms_reference": _waiting("koppeling met het LMS", ("CFB", "LMS van de organisatie")),
        "created_at": _NP, "offered_at": _NP, "offer_expires_at": _NP, "due_offer": _KEY,
        "change_seen": NotPersonal("laatste wijziging van de uitvoering waarover bericht ging (R_CAL_02)"),
    },
    "IdempotencyRecord": {
        "idem_key": _KEY, "request_sha256": _NP,
        "enrolment_id": NotPersonal("de inschrijving die het antwoord maakte; wordt met haar geanonimiseerd"),
        "account_id": Personal("antwoord vinden bij inzage en verwijderen account (R_ACC_08)",
                               Retention.IDEMPOTENCY, ("uzelf",)),
        "response_body": Personal("zelfde antwoord bij herhaald verzoek", Retention.IDEMPOTENCY, ("uzelf",)),
        "created_at": _NP, "expires_at": _NP, "outbox_ids": NotPersonal("alleen id's"), "followed_up": _NP,
    },
    "Review": {
        "review_id": _KEY, "course_id": _NP, "supplier_id": _NP,
        "account_id": Personal("alleen voor eigen wijzigingen en verwijderen account (R_REV_03); de naam bij een "
                               "niet-anonieme review wordt bij het lezen uit het account gehaald (R_REV_02)",
                               Retention.REVIEW, ("uzelf",)),
        "rating": _NP,
        "text": Personal("review (R_REV_02)", Retention.REVIEW,
                         ("ingelogde Rijksmedewerkers", "leverancier (altijd anoniem)", "lokaal beheerder", "CFB",
                          REVIEW_THRESHOLD_TEXT)),
        "named": Personal("keuze: naam tonen bij de review (R_REV_02)", Retention.REVIEW, ("uzelf", "CFB")),
        "version": _NP, "listing": _KEY,
        "created_at": _REVIEW_DAY, "updated_at": _REVIEW_DAY,
    },
    "ReviewGuard": {"guard_id": NotPersonal("hash; één review per persoon per opleiding, weg met de review")},
    "ContactMessage": {
        "message_id": _KEY,
        "email": Personal("beantwoorden door CFB (R_CON_01)", Retention.CONTACT, ("CFB",)),
        "question": Personal("beantwoorden door CFB", Retention.CONTACT, ("CFB",)),
        "first_name": Personal("beantwoorden door CFB", Retention.CONTACT, ("CFB",)),
        "last_name": Personal("beantwoorden door CFB", Retention.CONTACT, ("CFB",)),
        "organisation": Personal("beantwoorden door CFB", Retention.CONTACT, ("CFB",)),
        "created_at": _NP, "purge_day": _KEY, "expires_at": _NP,
        "sender_hash": NotPersonal("hash van het adres: inzage vindt de berichten van een adres (R_ACC_09)"),
    },
    "OrderLine": {
        "line_id": _KEY, "list_key": _KEY, "list_sort": _KEY, "enrolment_id": _KEY, "enrolment_version": _NP,
        "org_id": _NP, "department_id": _NP, "course_id": _NP, "course_name": _NP, "execution_id": _NP, "place": _NP,
        "start_day": _NP, "end_day": _NP, "supplier_id": _NP, "source": _NP,
        "business_email": _enrolment("vragen over de bestelling (R_ORD_02)", ("bestelgemachtigde", "CFB")),
        "price_cents": _NP, "kind": _NP, "status": _NP, "order_day": _MONTH, "created_at": _MONTH,
        "ordered_at": _MONTH,
        "ordered_by": NotPersonal("pseudonieme account-id van de bestelgemachtigde, geen gegeven van de deelnemer"),
        "disclosed_at": _MONTH, "exported_at": _MONTH,
    },
    "OutboxItem": {
        "item_id": _KEY, "template": _NP, "refs": NotPersonal("alleen id's"),
        "enrolment_id": NotPersonal("de inschrijving waar de melding bij hoort (R_ENR_10)"),
        "recipient": Personal("e-mail versturen (R_SEC_03)", Retention.OUTBOX, ("ontvanger van de e-mail",)),
        "account_id": Personal("wachtende e-mail over het account verwijderen met het account (R_ACC_08); "
                               "meldingen over een inschrijving dragen het niet", Retention.OUTBOX, ("niemand",)),
        "status": _NP, "attempts": _NP, "due_send": _KEY, "next_attempt_at": _NP,
        "lease_until": _NP, "created_at": _NP, "sent_at": _NP, "expires_at": _NP,
        "undeliverable": _KEY, "failed_at": _NP, "error_code": NotPersonal("foutcode van SES, zonder adres"),
        "created_day": _KEY,
        "purge_day": NotPersonal("dag waarop de purge een kopie van een contactbericht verwijdert (R_CON_03)"),
    },
    "EventLogEntry": {
        "ring": _KEY, "slot": _KEY, "seq": _NP, "at": _NP, "level": _NP, "kind": _NP,
        "detail": NotPersonal("alleen pseudonieme id's, zoektermen zonder persoon en bij inlog- en weigermeldingen "
                              "het gemaskeerde IP-adres (R_LOG_01, R_VIS_02)"),
        "expires_at": _NP,
    },
    "Counter": {"name": _KEY, "value": _NP, "extra": _NP},
    "Disclosure": {
        "enrolment_id": _KEY, "disclosure_id": _KEY,
        "account_id": _enrolment("uw inzage toont in één keer aan wie de gegevens van al uw inschrijvingen zijn "
                                 "doorgegeven (R_ACC_09); verdwijnt als u uw account verwijdert (R_ACC_08)",
                                 ("uzelf", "CFB")),
        "enrolment_version": _NP,
        "recipient_kind": _NP, "recipient_id": _NP, "channel": _NP, "fields": _NP, "at": _MONTH,
    },
    "FeedEntry": {
        "supplier_id": _KEY, "seq": _KEY, "enrolment_id": _KEY, "event": _NP, "at": _MONTH,
        "delivered_at": _MONTH,
    },
    "MigrationRun": {  # R_OPS_04: what ran of each data migration; a cursor and an example hold item keys only
        "migration_id": _KEY, "state": _NP, "settles_at": _NP, "started_at": _NP, "finished_at": _NP,
        "pass_number": _NP, "pass_started_at": _NP, "cursor": _KEY, "pass_scanned": _NP, "pass_changed": _NP,
        "pass_unreached": _NP, "unreached_example": _KEY, "scanned": _NP, "migrated": _NP, "verified": _NP,
        "unreached": _NP, "lease_owner": _KEY, "lease_until": _NP,
    },
    "DirectoryConnection": {**{name: _NP for name in (
        "connection_id", "name", "base_url", "org_unit_id", "catalog_id", "catalog_kind", "webhook_id",
        "cursor_at", "cursor_key", "sync_requested_at", "resume", "lease_until", "last_sync_at", "last_outcome",
        "last_counts", "errors", "directory", "created_at",
    )}, "hook_secret": NotPersonal("hash van het webhookgeheim"),
        "hook_secret_previous": NotPersonal("hash van het vorige webhookgeheim, tot het nieuwe in gebruik is")},
    "DirectorySupplier": {name: _NP for name in (
        "org_unit_id", "supplier_id", "held", "due_release", "directory", "name",
    )},
    "HeldProgram": {**{name: _NP for name in (
        "org_unit_id", "program_id", "connection_id", "name", "reason", "last_change", "held_at",
    )}, "document": NotPersonal("EDU-DEX-programma zonder contactpersonen (programContacts leeg)")},
}


def personal_fields(model_name: str) -> dict[str, Personal]:
    return {name: f for name, f in REGISTER[model_name].items() if isinstance(f, Personal)}


def exported_fields(model_name: str) -> list[str]:
    return [name for name, f in personal_fields(model_name).items() if f.exported]


# --- per table: backups (R_PRV_04) and account deletion (R_ACC_08) ---------------------------------------

MAX_RECOVERY_DAYS = 35  # the longest point-in-time recovery window DynamoDB offers; the register allows no more
NO_BACKUP = 0


class OnAccountDeletion(StrEnum):
    DELETED = "verwijderd met het account"
    DETACHED = "losgemaakt van het account; blijft bestaan onder de eigen bewaartermijn"
    KEPT = "hoort bij een inschrijving, niet bij het account; blijft bestaan onder de eigen bewaartermijn"
    BY_ADDRESS = ("hoort bij een adres, niet bij het account: getoond bij inzage van dat adres; blijft bestaan "
                  "onder de eigen bewaartermijn")
    NEVER = "kan niet bij een account horen"


# Data kept shorter than the smallest recovery window (one day), or under a hard deadline that a
# backup would outlive (R_CON_03: 7 days): a table holding it has no backup at all.
NO_BACKUP_RETENTIONS = frozenset({
    Retention.SESSION, Retention.LINK, Retention.COUNTER, Retention.CONTACT, Retention.OUTBOX, Retention.IDEMPOTENCY,
    Retention.WAITING,  # R_WAIT_05: every copy goes at the start; a backup would outlive it
})


class OnAnonymisation(StrEnum):
    """What R_ENR_10 does with a table's items that belong to an enrolment due for anonymisation."""

    UPDATED = "geanonimiseerd: per gegeven zoals hierboven aangegeven"
    DELETED = "verwijderd met de anonimisering van de inschrijving"
    NOT_A_COPY = "geen kopie van een inschrijving"


@dataclass(frozen=True)
class Table:
    backup_days: int  # point-in-time recovery window in days; NO_BACKUP = off
    backup_why: str
    on_account_deletion: OnAccountDeletion
    account_why: str = ""
    on_anonymisation: OnAnonymisation = OnAnonymisation.NOT_A_COPY


_WINDOW = ("herstel na een storing of fout; verwijderde en geanonimiseerde gegevens staan nog uiterlijk "
           f"{MAX_RECOVERY_DAYS} dagen in de back-up")
_NOT_PERSONAL_WINDOW = "herstel na een storing of fout; geen persoonsgegevens"
_ANON, _ANON_DELETE = OnAnonymisation.UPDATED, OnAnonymisation.DELETED
_DELETED, _DETACHED, _KEPT, _BY_ADDRESS, _NEVER = (
    OnAccountDeletion.DELETED, OnAccountDeletion.DETACHED, OnAccountDeletion.KEPT, OnAccountDeletion.BY_ADDRESS,
    OnAccountDeletion.NEVER)

TABLES: dict[str, Table] = {
    "Organisation": Table(MAX_RECOVERY_DAYS, _NOT_PERSONAL_WINDOW, _DETACHED,
                          "het account verdwijnt uit local_admin_ids"),
    "Account": Table(MAX_RECOVERY_DAYS, _WINDOW, _DELETED),
    "AccountSearchKey": Table(NO_BACKUP, "afgeleid van de accounts; na een herstel opnieuw opgebouwd met "
                                         "`python -m tools.accounts rebuild-search`", _DELETED,
                              "zoeksleutels van het account, gevonden via hun account-index"),
    "Session": Table(NO_BACKUP, "bewaard tot 12 uur; een herstel zou beëindigde sessies terugbrengen", _DELETED),
    "LoginToken": Table(NO_BACKUP, "bewaard tot 10 minuten", _DELETED),
    "RateCounter": Table(NO_BACKUP, "tellers per adres, ook van het contactformulier (R_CON_03); venster ≤ 1 dag",
                         _DELETED, "tellers op de hash van het adres van het account"),
    "Supplier": Table(MAX_RECOVERY_DAYS, _NOT_PERSONAL_WINDOW, _NEVER),
    "ApiKey": Table(MAX_RECOVERY_DAYS, _NOT_PERSONAL_WINDOW, _NEVER),
    "Course": Table(MAX_RECOVERY_DAYS, _NOT_PERSONAL_WINDOW, _NEVER),
    "Execution": Table(MAX_RECOVERY_DAYS, _NOT_PERSONAL_WINDOW, _NEVER),
    "CatalogueChunk": Table(MAX_RECOVERY_DAYS, _NOT_PERSONAL_WINDOW, _NEVER),
    "SearchList": Table(MAX_RECOVERY_DAYS, _NOT_PERSONAL_WINDOW, _NEVER),
    "Enrolment": Table(MAX_RECOVERY_DAYS, _WINDOW, _DETACHED,
                       "lopende inschrijvingen leven verder zonder account (R_ACC_08, R_ENR_09, R_ENR_10)", _ANON),
    "EnrolmentGuard": Table(MAX_RECOVERY_DAYS, _NOT_PERSONAL_WINDOW, _KEPT, on_anonymisation=_ANON_DELETE),
    "WaitingPlace": Table(NO_BACKUP, "een wachtplaats en elke kopie verdwijnt uiterlijk bij de start (R_WAIT_05); een "
                                     "back-up zou haar overleven. Na een herstel van de tabellen zijn de wachtlijsten "
                                     "leeg", _DELETED, "uw wachtplaatsen, gevonden via hun account-index (R_WAIT_05)"),
    "IdempotencyRecord": Table(NO_BACKUP, "bewaard 24 uur", _DELETED, on_anonymisation=_ANON_DELETE),
    "Review": Table(MAX_RECOVERY_DAYS, _WINDOW, _DELETED, "al zijn reviews (R_ACC_08)"),
    "ReviewGuard": Table(MAX_RECOVERY_DAYS, _NOT_PERSONAL_WINDOW, _KEPT,
                         "verdwijnt met zijn review: de eraser van Review verwijdert beide"),
    "ContactMessage": Table(NO_BACKUP, "contactberichten uiterlijk 7 dagen (R_CON_03, R_PRV_04)", _BY_ADDRESS,
                            "contactformulier zonder account (R_CON); bij inzage gevonden op het adres van de "
                            "afzender via de sender-index (hash van het adres zonder +toevoeging); na uiterlijk "
                            "7 dagen verwijderd"),
    "OrderLine": Table(MAX_RECOVERY_DAYS, _WINDOW, _KEPT, on_anonymisation=_ANON),
    "OutboxItem": Table(NO_BACKUP, "kopieën van contactberichten en e-mails tot verzending (R_CON_03, R_PRV_04)",
                        _DELETED, "alleen e-mails over het account dragen account_id; meldingen over een "
                                  "inschrijving horen bij die inschrijving en gaan nog uit (R_ENR_11)",
                        _ANON_DELETE),
    "EventLogEntry": Table(NO_BACKUP, "alleen de laatste 1.000 meldingen, geen ouder dan 14 dagen (R_LOG_02)", _NEVER,
                           "pseudonieme verwijzingen verdwijnen met de ring, uiterlijk na 14 dagen"),
    "Counter": Table(MAX_RECOVERY_DAYS, _NOT_PERSONAL_WINDOW, _NEVER),
    "Disclosure": Table(MAX_RECOVERY_DAYS, _WINDOW, _DETACHED,
                        "verliest de koppeling aan het account en blijft bij de inschrijving; geanonimiseerd met de "
                        "inschrijving (R_PRV_01)", _ANON),
    "FeedEntry": Table(MAX_RECOVERY_DAYS, _NOT_PERSONAL_WINDOW, _KEPT, on_anonymisation=_ANON),
    "MigrationRun": Table(MAX_RECOVERY_DAYS, _NOT_PERSONAL_WINDOW, _NEVER),
    "DirectoryConnection": Table(MAX_RECOVERY_DAYS, _NOT_PERSONAL_WINDOW, _NEVER),
    "DirectorySupplier": Table(MAX_RECOVERY_DAYS, _NOT_PERSONAL_WINDOW, _NEVER),
    "HeldProgram": Table(MAX_RECOVERY_DAYS, _NOT_PERSONAL_WINDOW, _NEVER),
}


def models_on_account_deletion(relation: OnAccountDeletion) -> list[str]:
    return [name for name, table in TABLES.items() if table.on_account_deletion is relation]


# --- how a holder's items are found (R_ACC_08, R_ACC_09): through keys and indexes, never a Scan ---------------


class Of(StrEnum):
    """What of the holder (an account, or an address CFB looks up) a lookup starts from."""

    ACCOUNT = "het account zelf, zoals het verzoek het las"
    ENROLMENTS = "de inschrijvingen van de houder (via het account, en bij CFB ook via het adres)"
    ACCOUNT_ID = "de account-id"
    ADDRESSES = "elk e-mailadres van de houder, ook een nieuw adres dat nog bevestigd moet worden"
    ASKED_ADDRESS = ("het adres waarnaar CFB zoekt bij een inzageverzoek (bij uw eigen inzage niet: wat een LMS "
                     "onder uw adres stuurde, hoort bij geen account)")
    MAILBOXES = "de hash van elk e-mailadres van de houder, zonder +toevoeging"
    ENROLMENT_IDS_OUTSIDE_ACCOUNT = ("de id van elke inschrijving van de houder die niet aan het account hangt: een "
                                     "LMS-inschrijving, een losgemaakte (bij CFB op het adres ook een onder een ander "
                                     "account)")
    ORDER_LINE_IDS = "de id van de bestelregel van elke inschrijving (afgeleid van de inschrijving)"


class By(StrEnum):
    HELD = "al gelezen bij het vaststellen van de houder"
    INDEX = "een Query van de index per waarde (een index met alleen sleutels: daarna één BatchGetItem)"
    PARTITION = "een Query van de partitie van de tabel per waarde"
    KEY = "de waarden zijn de sleutels van de items: één BatchGetItem"


@dataclass(frozen=True)
class Lookup:
    of: Of
    by: By
    index: str | None = None  # By.INDEX only


# Per table with items that belong to a holder: how they are found. Export and deletion are one loop over
# this declaration (chalicelib/privacy/rights.py); every Query runs once per value, and every read by key of
# every table (items behind a keys-only index, derived keys) goes together in as few BatchGetItems as fit.
# A test keeps it complete: every table with personal data that can belong to an account has an entry.
FOUND_FOR_HOLDER: dict[str, tuple[Lookup, ...]] = {
    "Account": (Lookup(Of.ACCOUNT, By.HELD),),
    "AccountSearchKey": (Lookup(Of.ACCOUNT_ID, By.INDEX, "account-index"),),
    "Session": (Lookup(Of.ACCOUNT_ID, By.INDEX, "account-index"),),
    "LoginToken": (Lookup(Of.ADDRESSES, By.INDEX, "email-index"),),
    "Enrolment": (Lookup(Of.ENROLMENTS, By.HELD),),
    "WaitingPlace": (Lookup(Of.ACCOUNT_ID, By.INDEX, "account-index"),
                     Lookup(Of.ASKED_ADDRESS, By.INDEX, "holder-email-index")),
    "OrderLine": (Lookup(Of.ORDER_LINE_IDS, By.KEY),),
    # one Query for every row of the account's enrolments, however many; the rows of an enrolment without it each
    # their own (CFB's export by address: LMS and detached enrolments)
    "Disclosure": (Lookup(Of.ACCOUNT_ID, By.INDEX, "account-index"),
                   Lookup(Of.ENROLMENT_IDS_OUTSIDE_ACCOUNT, By.PARTITION)),
    "Review": (Lookup(Of.ACCOUNT_ID, By.INDEX, "account-index"),),
    "OutboxItem": (Lookup(Of.ACCOUNT_ID, By.INDEX, "account-index"),),
    "IdempotencyRecord": (Lookup(Of.ACCOUNT_ID, By.INDEX, "account-index"),),
    "ContactMessage": (Lookup(Of.MAILBOXES, By.INDEX, "sender-index"),),
}


def backup_problems() -> list[str]:
    """Where a declared backup window breaks R_PRV_04: too long, or a copy that would outlive its data."""
    problems = []
    for name, table in TABLES.items():
        if not NO_BACKUP <= table.backup_days <= MAX_RECOVERY_DAYS:
            problems.append(f"{name}: {table.backup_days} days is outside 0..{MAX_RECOVERY_DAYS}")
        short = {str(f.retention) for f in personal_fields(name).values() if f.retention in NO_BACKUP_RETENTIONS}
        if table.backup_days and short:
            problems.append(f"{name}: a backup would outlive {sorted(short)}")
    return problems


# --- anonymisation (R_ENR_10): derived from the declarations above ----------------------------------------


def models_on_anonymisation(relation: OnAnonymisation) -> list[str]:
    return [name for name, table in TABLES.items() if table.on_anonymisation is relation]


def anonymisation_rules(model_name: str) -> dict[str, Anonymise]:
    """Per attribute what anonymisation does; a personal attribute without a rule raises (never kept by
    omission)."""
    rules: dict[str, Anonymise] = {}
    for name, declared in REGISTER[model_name].items():
        if declared.anonymise is None:
            raise LookupError(f"{model_name}.{name} is personal but declares no anonymisation rule")
        rules[name] = declared.anonymise
    return rules


def anonymisation_problems() -> list[str]:
    """Personal attributes of anonymised tables that lack a rule or would be kept (R_ENR_10, R_PRV_03)."""
    problems = []
    for name in models_on_anonymisation(OnAnonymisation.UPDATED):
        for field_name, declared in personal_fields(name).items():
            if declared.anonymise is None:
                problems.append(f"{name}.{field_name}: no anonymisation rule")
            elif declared.anonymise is Anonymise.KEEP:
                problems.append(f"{name}.{field_name}: personal but kept")
    return problems


# --- the public register page (R_PRV_03, R_PRV_04), grouped as the privacy statement groups them -----------

# Section headings of the privacy statement (templates/content/privacyverklaring.txt) and the tables whose
# personal data each situation produces. A test keeps every table with personal data in exactly one section.
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("U bent niet ingelogd en gebruikt het contactformulier", ("ContactMessage",)),
    ("U vraagt een account aan bij het Leer-Rijk Portaal, of logt in op uw account",
     ("Account", "AccountSearchKey", "LoginToken")),
    ("U schrijft zich in op een opleiding vanuit het Leer-Rijk Portaal of via het LMS van uw organisatie",
     ("Enrolment", "WaitingPlace", "OrderLine", "Disclosure", "OutboxItem", "IdempotencyRecord")),
    ("U bent ingelogd op Leer-Rijk en plaatst een review bij een opleiding", ("Review",)),
    ("Cookies", ("Session",)),
)


# --- plain Dutch for people (issue 28): the register page and the readable summary of the data download ---
# What a person calls each table's items and each field. Every personal field has a label (a test checks);
# a field that is not personal has one only where the readable summary shows it. Labels are read here and
# nowhere else, next to the declarations above.

TABLE_LABELS: dict[str, str] = {
    "Account": "Uw account", "AccountSearchKey": "Zoeken door beheerders", "Session": "Sessies (ingelogd)",
    "LoginToken": "Inloglinks", "Enrolment": "Inschrijvingen", "WaitingPlace": "Plaatsen op een wachtlijst",
    "OrderLine": "Bestellijsten",
    "Disclosure": "Doorgegeven aan anderen", "Review": "Reviews", "OutboxItem": "E-mails die nog verstuurd worden",
    "IdempotencyRecord": "Antwoorden op een inschrijving (tijdelijk)", "ContactMessage": "Contactformulier",
}

LABELS: dict[str, dict[str, str]] = {
    "Account": {
        "email": "E-mailadres (gebruikersnaam)", "first_name": "Voornaam", "last_name": "Achternaam",
        "sort_name": "Naam om op te zoeken", "org_id": "Organisatie", "department_id": "Afdeling",
        "roles": "Rollen", "status": "Status van het account", "created_at": "Account aangemaakt op",
        "last_used_on": "Laatst gebruikt op", "consent_at": "Toestemming gegeven op",
        "consent_version": "Versie van de privacyverklaring bij uw toestemming",
        "totp_secret": "Geheime sleutel van de tweede factor", "totp_last_step": "Laatst gebruikte code",
        "totp_enrolled_at": "Tweede factor ingesteld op",
        "pending_email": "Nieuw e-mailadres dat nog bevestigd moet worden",
    },
    "AccountSearchKey": {
        "org_id": "Organisatie", "search_key": "Zoekwoord uit uw naam of e-mailadres",
        "terms": "Alle zoekwoorden uit uw naam en e-mailadres",
        "initial": "Eerste letter van het zoekwoord",
    },
    "Session": {
        "account_id": "Uw account", "assurance_level": "Tweede factor gegeven", "created_at": "Ingelogd op",
        "last_seen_at": "Laatst actief op",
    },
    "LoginToken": {"email": "E-mailadres", "payload": "Gegevens van uw aanmelding tot u de link gebruikt"},
    "Enrolment": {
        "course_name": "Opleiding", "start_day": "Startdatum", "original_end_day": "Einddatum", "place": "Plaats",
        "status": "Status", "account_id": "Uw account", "department_id": "Afdeling (voor de bestellijst)",
        "first_name": "Voornaam", "last_name": "Achternaam", "initials": "Voorletters",
        "title_before": "Titel vóór de naam", "title_after": "Titel achter de naam", "email": "E-mailadres",
        "phone": "Telefoonnummer", "gender": "Geslacht", "job_function": "Functie", "salary_scale": "Salarisschaal",
        "department_name": "Afdeling", "organisation_name": "Organisatie", "business_email": "Zakelijk e-mailadres",
        "holder_email": "E-mailadres om uw inschrijving bij een inzageverzoek te vinden",
        "manager_email": "E-mailadres van uw leidinggevende", "consent_at": "Toestemming gegeven op",
        "consent_version": "Versie van de privacyverklaring bij uw toestemming",
        "lms_reference": "Kenmerk in het LMS van uw organisatie", "price_cents": "Prijs",
        "penalty_cents": "Annuleringskosten", "cancelled_at": "Geannuleerd op", "created_at": "Ingeschreven op",
    },
    "WaitingPlace": {
        "course_name": "Opleiding", "start_day": "Startdatum", "status": "Status", "account_id": "Uw account",
        "department_id": "Afdeling (voor de bestellijst)", "first_name": "Voornaam", "last_name": "Achternaam",
        "initials": "Voorletters", "title_before": "Titel vóór de naam", "title_after": "Titel achter de naam",
        "email": "E-mailadres", "phone": "Telefoonnummer", "gender": "Geslacht", "job_function": "Functie",
        "salary_scale": "Salarisschaal", "department_name": "Afdeling", "organisation_name": "Organisatie",
        "business_email": "Zakelijk e-mailadres",
        "holder_email": "E-mailadres om uw wachtplaats bij een inzageverzoek te vinden",
        "manager_email": "E-mailadres van uw leidinggevende", "consent_at": "Toestemming gegeven op",
        "consent_version": "Versie van de privacyverklaring bij uw toestemming",
        "lms_reference": "Kenmerk in het LMS van uw organisatie", "created_at": "Op de wachtlijst gezet op",
        "offer_expires_at": "Aangeboden plaats vervalt op",
    },
    "IdempotencyRecord": {"account_id": "Uw account", "response_body": "Het antwoord op uw inschrijving"},
    "Review": {
        "course_id": "Opleiding", "rating": "Beoordeling (sterren)", "account_id": "Uw account", "text": "Tekst",
        "named": "Met uw naam getoond", "created_at": "Geschreven op", "updated_at": "Gewijzigd op",
    },
    "ContactMessage": {
        "email": "E-mailadres", "question": "Vraag", "first_name": "Voornaam", "last_name": "Achternaam",
        "organisation": "Organisatie",
    },
    "OrderLine": {
        "course_name": "Opleiding", "start_day": "Startdatum", "business_email": "Zakelijk e-mailadres",
        "status": "Status op de bestellijst",
    },
    "OutboxItem": {"recipient": "Ontvanger", "account_id": "Uw account", "created_at": "Aangemaakt op"},
    "Disclosure": {
        "account_id": "Uw account", "recipient_kind": "Aan wie", "channel": "Hoe", "fields": "Welke gegevens",
        "at": "Wanneer",
    },
}

_RULE_REFERENCE = re.compile(r"\s*\((?:R_[A-Z]+_\d+(?:[-–/]\d+)?(?:,\s*)?)+\)")


def label_of(table: str, field: str) -> str | None:
    return LABELS.get(table, {}).get(field)


def without_rule_ids(text: str) -> str:
    """Text for people: "profiel (R_ACC_01)" -> "profiel"."""
    return _RULE_REFERENCE.sub("", text).strip()


@dataclass(frozen=True)
class RegisterRow:
    table: str
    field: str
    label: str  # what a person calls it: "E-mailadres"
    kind: str  # what it belongs to: "Contactformulier"
    purpose: str
    retention: str
    recipients: str
    backup: str
    anonymisation: str


def backup_text(table: str) -> str:
    days = TABLES[table].backup_days
    return "geen back-up" if days == NO_BACKUP else f"back-up (herstelvenster) {days} dagen"


@dataclass(frozen=True)
class SentDocument:
    """A document made from stored data when a mail is sent, and never stored itself."""

    name: str
    fields: tuple[str, ...]  # "Model.attribute" of every personal datum it carries
    purpose: str
    recipients: tuple[str, ...]
    section_table: str  # the table whose section of the privacy statement it belongs to


SENT_DOCUMENTS: tuple[SentDocument, ...] = (
    # R_CAL_01: the attendee's own address and nothing else personal (no name); course, dates and place
    SentDocument("Agenda-uitnodiging", ("Enrolment.email",),
                 "de opleiding in uw agenda, bijgewerkt bij wijziging of annulering (R_CAL_01)",
                 ("uzelf (het e-mailadres op het formulier)",), "Enrolment"),
)
NOT_STORED = "niet opgeslagen: gemaakt bij het versturen van de e-mail"


def _document_rows(tables: tuple[str, ...]) -> list[RegisterRow]:
    return [RegisterRow(document.name, name, label_of(*name.split(".", 1)) or name, document.name,
                        without_rule_ids(document.purpose), NOT_STORED, ", ".join(document.recipients),
                        "geen back-up (niet opgeslagen)", "")
            for document in SENT_DOCUMENTS if document.section_table in tables for name in document.fields]


def register_page() -> list[tuple[str, list[RegisterRow]]]:
    """Every personal data item with purpose, retention, recipients and backup window, per section; then
    the documents sent with it that carry personal data without being stored."""
    sections = []
    for title, tables in SECTIONS:
        rows = [
            RegisterRow(table, name, label_of(table, name) or name, TABLE_LABELS.get(table, table),
                        without_rule_ids(declared.purpose), str(declared.retention), ", ".join(declared.recipients),
                        backup_text(table),
                        str(declared.anonymise) if declared.anonymise and
                        TABLES[table].on_anonymisation is OnAnonymisation.UPDATED else
                        ("" if TABLES[table].on_anonymisation is OnAnonymisation.NOT_A_COPY
                         else str(TABLES[table].on_anonymisation)))
            for table in tables
            for name, declared in personal_fields(table).items()
        ] + _document_rows(tables)
        sections.append((title, rows))
    return sections
