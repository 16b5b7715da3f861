"""Demo data for the local stack, written through the PynamoDB models.

Fixed ids, so tests and demos can refer to them (`ORG_BZK`, `ACCOUNT_EMPLOYEE`, ...). Seeding is
idempotent: an item that already exists is left as it is (it may have been changed in a demo).
Import this module only after the environment points at the emulated AWS (see `__main__`).

More demo data (the course catalogue, ...) plugs in through `EXTRA_SEEDS`: append a function
that returns a `{"what": count}` summary, e.g. `EXTRA_SEEDS.append(seed_catalogue)`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from pynamodb.exceptions import PutError
from pynamodb.models import Model

from chalicelib.accounts import search
from chalicelib.accounts.rules import sort_name
from chalicelib.models import Account, Organisation, RoleGrant, Supplier, absent, department, role_grant
from chalicelib.platform.config import settings

SEEDED_AT = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
TERMS_VERSION = "2026-01"

ORG_BZK = "org-bzk"
ORG_BELASTINGDIENST = "org-belastingdienst"
ORG_RWS = "org-rws"
ORG_DUO = "org-duo"

DEPT_BZK_DIGITAL = "dep-bzk-ddo"
DEPT_BZK_RIS = "dep-bzk-ris"
DEPT_BD_ICT = "dep-bd-cio"
DEPT_BD_PRIVATE = "dep-bd-particulieren"
DEPT_RWS_WEST = "dep-rws-wnn"
DEPT_RWS_PROJECTS = "dep-rws-gpo"
DEPT_DUO_SERVICES = "dep-duo-dienstverlening"

SUPPLIER_INTERN_MAIL = "sup-opleidingshuis-rijk"
SUPPLIER_INTERN_FEED = "sup-academie-digitaal"
SUPPLIER_EXTERN_MAIL = "sup-schrijfwerk"
SUPPLIER_EXTERN_FEED = "sup-projectwijs"

ACCOUNT_EMPLOYEE = "acc-employee"
ACCOUNT_EMPLOYEE_APPROVAL = "acc-employee-bzk"
ACCOUNT_LOCAL_ADMIN = "acc-local-admin"
ACCOUNT_CFB = "acc-cfb"
ACCOUNT_ORDER_ORG = "acc-order-org"
ACCOUNT_ORDER_DEPT = "acc-order-dept"
ACCOUNT_ORDER_BZK = "acc-order-bzk"
ACCOUNT_ORDER_BZK_DDO = "acc-order-bzk-ddo"
ACCOUNT_ORDER_BD = "acc-order-bd"
ACCOUNT_ORDER_DUO = "acc-order-duo"
ACCOUNT_OPS = "acc-ops"

SeedStep = Callable[[], dict[str, int]]

EXTRA_SEEDS: list[SeedStep] = []
"""Further demo data, run after organisations, suppliers and accounts (which they may refer to)."""


@dataclass(frozen=True)
class DemoAccount:
    account_id: str
    email: str
    name: str
    role: str  # what the account demonstrates, in Dutch


@dataclass
class SeedSummary:
    created: dict[str, int] = field(default_factory=dict)
    existing: dict[str, int] = field(default_factory=dict)
    accounts: list[DemoAccount] = field(default_factory=list)
    keys: list[tuple[str, str]] = field(default_factory=list)  # (who, API key shown once)
    migrations: str = ""  # what the data migrations did (R_OPS_04)

    def add(self, kind: str, was_created: bool) -> None:
        bucket = self.created if was_created else self.existing
        bucket[kind] = bucket.get(kind, 0) + 1


def seed_demo() -> SeedSummary:
    summary = SeedSummary()
    for organisation in organisations():
        summary.add("organisations", _put_new(organisation))
    for supplier in suppliers():
        summary.add("suppliers", _put_new(supplier))
    for account, description in accounts():
        created = _put_new(account)
        if created:  # the admins' account search (R_ACC_06)
            search.reindex(account)
        summary.add("accounts", created)
        summary.accounts.append(DemoAccount(
            account.account_id, account.email, f"{account.first_name} {account.last_name}", description,
        ))
    summary.keys = demo_keys()
    for step in EXTRA_SEEDS:
        for kind, count in step().items():
            summary.created[kind] = summary.created.get(kind, 0) + count
    return summary


def migrate_demo_data() -> str:
    """Run the data migrations over the seeded data, as `make deploy` does after a deploy (R_OPS_04). Some
    demo data is written as the code before a migration wrote it (the demo enrolments on started runs have
    no `spend_month`), so `make run` shows the migrations at work; no old code runs here, so no grace."""
    from datetime import timedelta

    from chalicelib.migrations import runner

    outcomes = runner.run_pending(budget=timedelta(minutes=5), grace=timedelta(0))
    migrated = sum(int(run.migrated) for _, run in runner.runs() if run is not None)
    done = sum(1 for outcome in outcomes if outcome.state == runner.DONE)
    return f"{done} van {len(outcomes)} klaar, {migrated} item(s) bijgewerkt"


def demo_keys() -> list[tuple[str, str]]:
    """Fresh API keys for one supplier of each delivery choice and one LMS (memory only, like all data)."""
    from chalicelib.suppliers import apikeys

    return [
        (f"leverancier {SUPPLIER_EXTERN_FEED} (XML-feed)", apikeys.create_key("supplier", SUPPLIER_EXTERN_FEED).token),
        (f"leverancier {SUPPLIER_INTERN_MAIL} (e-mail)", apikeys.create_key("supplier", SUPPLIER_INTERN_MAIL).token),
        (f"LMS van {ORG_BELASTINGDIENST}", apikeys.create_key("lms", ORG_BELASTINGDIENST).token),
    ]


def _seed_catalogue() -> dict[str, int]:
    from devstack.demo_catalogue import seed_catalogue

    return seed_catalogue()


EXTRA_SEEDS.append(_seed_catalogue)


def _seed_reviews() -> dict[str, int]:
    from devstack.demo_reviews import seed_reviews

    return seed_reviews()


EXTRA_SEEDS.append(_seed_reviews)  # before the order lists: the reviewed run is on them too


def _seed_order_lists() -> dict[str, int]:
    from devstack.demo_orders import seed_order_lists

    return seed_order_lists()


EXTRA_SEEDS.append(_seed_order_lists)


def organisations() -> list[Organisation]:
    return [
        _organisation(ORG_BZK, "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties", {"minbzk.nl"},
                      [(DEPT_BZK_DIGITAL, "Directie Digitale Overheid"), (DEPT_BZK_RIS, "Rijksinkoopsamenwerking")],
                      approval_required=True, eprocurement=True, codes={"BZK", "BZK1"},
                      order_staff={f"-#{ACCOUNT_ORDER_BZK}", f"{DEPT_BZK_DIGITAL}#{ACCOUNT_ORDER_BZK_DDO}"}),
        _organisation(ORG_BELASTINGDIENST, "Belastingdienst", {"belastingdienst.nl"},
                      [(DEPT_BD_ICT, "Centrum voor Informatievoorziening"), (DEPT_BD_PRIVATE, "Particulieren")],
                      approval_required=False, eprocurement=True, codes={"FIN", "FIN1"},
                      local_admins={ACCOUNT_LOCAL_ADMIN}, order_staff={f"-#{ACCOUNT_ORDER_BD}"}),
        _organisation(ORG_RWS, "Rijkswaterstaat", {"rws.nl"},
                      [(DEPT_RWS_WEST, "West-Nederland Noord"), (DEPT_RWS_PROJECTS, "Grote Projecten en Onderhoud")],
                      approval_required=True, eprocurement=False, codes={"IW", "IW1"},
                      order_staff={f"-#{ACCOUNT_ORDER_ORG}", f"{DEPT_RWS_WEST}#{ACCOUNT_ORDER_DEPT}"}),
        _organisation(ORG_DUO, "Dienst Uitvoering Onderwijs", {"duo.nl"},
                      [(DEPT_DUO_SERVICES, "Dienstverlening")],
                      approval_required=False, eprocurement=False, codes={"OCW", "OCW1"},
                      order_staff={f"-#{ACCOUNT_ORDER_DUO}"}),
    ]


def suppliers() -> list[Supplier]:
    return [
        _supplier(SUPPLIER_INTERN_MAIL, "Opleidingshuis Rijk", "intern", "email",
                  "inschrijvingen@opleidingshuis-rijk.example"),
        _supplier(SUPPLIER_INTERN_FEED, "Academie Digitaal Vakmanschap", "intern", "feed",
                  "planning@academie-digitaal.example"),
        _supplier(SUPPLIER_EXTERN_MAIL, "Schrijfwerk Trainingen", "extern", "email",
                  "cursus@schrijfwerk.example"),
        _supplier(SUPPLIER_EXTERN_FEED, "Projectwijs B.V.", "extern", "feed",
                  "administratie@projectwijs.example"),
    ]


def accounts() -> list[tuple[Account, str]]:
    return [
        (_account(ACCOUNT_EMPLOYEE, "Eva", "de Vries", "eva.devries@belastingdienst.nl",
                  ORG_BELASTINGDIENST, DEPT_BD_ICT, []),
         "medewerker (zonder goedkeuring leidinggevende)"),
        (_account(ACCOUNT_EMPLOYEE_APPROVAL, "Sem", "Jansen", "sem.jansen@minbzk.nl",
                  ORG_BZK, DEPT_BZK_DIGITAL, []),
         "medewerker (met goedkeuring leidinggevende)"),
        (_account(ACCOUNT_LOCAL_ADMIN, "Lotte", "Bakker", "lotte.bakker@belastingdienst.nl",
                  ORG_BELASTINGDIENST, DEPT_BD_PRIVATE, [_grant("local_admin", ORG_BELASTINGDIENST)]),
         "lokaal beheerder Belastingdienst"),
        (_account(ACCOUNT_CFB, "Carmen", "Visser", "carmen.visser@minbzk.nl",
                  ORG_BZK, DEPT_BZK_RIS, [_grant("cfb")]),
         "Centraal Functioneel Beheer"),
        (_account(ACCOUNT_ORDER_ORG, "Omar", "El Amrani", "omar.elamrani@rws.nl",
                  ORG_RWS, None, [_grant("order_authorised", ORG_RWS)]),
         "bestelgemachtigde Rijkswaterstaat (organisatie)"),
        (_account(ACCOUNT_ORDER_DEPT, "Bram", "Smit", "bram.smit@rws.nl",
                  ORG_RWS, DEPT_RWS_WEST, [_grant("order_authorised", ORG_RWS, DEPT_RWS_WEST)]),
         "bestelgemachtigde Rijkswaterstaat, West-Nederland Noord"),
        (_account(ACCOUNT_ORDER_BZK, "Daan", "Peters", "daan.peters@minbzk.nl",
                  ORG_BZK, None, [_grant("order_authorised", ORG_BZK)]),
         "bestelgemachtigde BZK (organisatie)"),
        (_account(ACCOUNT_ORDER_BZK_DDO, "Noor", "Hendriks", "noor.hendriks@minbzk.nl",
                  ORG_BZK, DEPT_BZK_DIGITAL, [_grant("order_authorised", ORG_BZK, DEPT_BZK_DIGITAL)]),
         "bestelgemachtigde BZK, Directie Digitale Overheid"),
        (_account(ACCOUNT_ORDER_BD, "Mila", "Vos", "mila.vos@belastingdienst.nl",
                  ORG_BELASTINGDIENST, None, [_grant("order_authorised", ORG_BELASTINGDIENST)]),
         "bestelgemachtigde Belastingdienst"),
        (_account(ACCOUNT_ORDER_DUO, "Lucas", "de Boer", "lucas.deboer@duo.nl",
                  ORG_DUO, None, [_grant("order_authorised", ORG_DUO)]),
         "bestelgemachtigde DUO"),
        (_account(ACCOUNT_OPS, "Iris", "Mulder", "iris.mulder@duo.nl",
                  ORG_DUO, DEPT_DUO_SERVICES, [_grant("ops")]),
         "IT-beheer (event log)"),
    ]


def _organisation(
    org_id: str, name: str, domains: set[str], departments: list[tuple[str, str]],
    *, approval_required: bool, eprocurement: bool, codes: set[str], local_admins: set[str] | None = None,
    order_staff: set[str] | None = None,
) -> Organisation:
    """`codes`: the EDU-DEX LeerRijkOpenFor codes that cover the organisation (course visibility)."""
    return Organisation(
        org_id, name=name, domains=domains, catalogue_codes=codes, local_admin_ids=local_admins or None,
        order_staff=order_staff or None,  # "<department or ->#<account>" per order-authorised grant (R_ORD_01)
        departments=[department(d, n) for d, n in departments],
        approval_required=approval_required, eprocurement=eprocurement, created_at=SEEDED_AT,
    )


def _supplier(supplier_id: str, name: str, kind: str, delivery: str, contact_email: str) -> Supplier:
    return Supplier(
        supplier_id, name=name, kind=kind, contact_email=contact_email, delivery=delivery,
        terms_version=TERMS_VERSION, terms_accepted_at=SEEDED_AT,
        processing_agreement=kind == "intern",  # contracted suppliers sign one (R_CAT_06)
        cancellation_free_days=14, created_at=SEEDED_AT,
    )


def _account(
    account_id: str, first_name: str, last_name: str, email: str,
    org_id: str, department_id: str | None, roles: list[RoleGrant],
) -> Account:
    return Account(
        account_id, email=email, first_name=first_name, last_name=last_name,
        sort_name=sort_name(first_name, last_name, email), org_id=org_id, department_id=department_id,
        roles=roles, status="active", created_at=SEEDED_AT,
        consent_at=SEEDED_AT, consent_version=settings.privacy_statement_version,
    )


def _grant(role: str, org_id: str | None = None, department_id: str | None = None) -> RoleGrant:
    return role_grant(role, org_id, department_id)


def _put_new(item: Model) -> bool:
    """Write `item` unless an item with its key exists; True when it was written."""
    try:
        item.save(condition=absent(item))
    except PutError as err:
        if getattr(err, "cause_response_code", None) != "ConditionalCheckFailedException":
            raise
        return False
    return True
