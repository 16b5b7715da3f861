"""Create the first CFB account of a new installation.

    python -m tools.create_cfb --email carmen.visser@minbzk.nl --first-name Carmen --last-name Visser --org org-bzk

Runs against whatever DynamoDB the environment points to: AWS credentials and region as usual,
`AWS_ENDPOINT_URL` for the local emulation, `LEERRIJK_TABLE_PREFIX` for the stage's tables. The
organisation must exist, or is created with `--org-name` and `--domain` (repeatable). The address
must meet the domain rule (R_ACC_02). An existing account with the address gets the CFB role added.
The holder logs in with an e-mail link and enrols the second factor (TOTP) at the first login.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tools.create_cfb", description=__doc__.split("\n\n")[0])
    parser.add_argument("--email", required=True, help="business e-mail address, the username")
    parser.add_argument("--first-name", required=True)
    parser.add_argument("--last-name", required=True)
    parser.add_argument("--org", required=True, help="organisation id, e.g. org-bzk")
    parser.add_argument("--org-name", help="create the organisation with this name when it does not exist")
    parser.add_argument("--domain", action="append", default=[], help="e-mail domain of a new organisation")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    from chalicelib.accounts import use_cases as accounts
    from chalicelib.accounts.roles import CFB, Grant
    from chalicelib.accounts.rules import clean_name, domain_allowed, normalise_domain, normalise_email
    from chalicelib.models import Account, Organisation, role_grant
    from chalicelib.platform import clock, eventlog
    from chalicelib.platform.config import settings

    email = normalise_email(args.email)
    first, last = clean_name(args.first_name), clean_name(args.last_name)
    if email is None or first is None or last is None:
        print("Ongeldig e-mailadres of naam.", file=sys.stderr)
        return 2
    print(f"Tabellen: {settings.table_prefix}* in {settings.region}")
    org = accounts.get_organisation(args.org)
    if org is None:
        domains = {d for d in (normalise_domain(x) for x in args.domain) if d}
        if not args.org_name or not domains:
            print(f"Organisatie {args.org} bestaat niet. Geef --org-name en --domain om haar aan te maken.",
                  file=sys.stderr)
            return 2
        org = Organisation(args.org, name=args.org_name, domains=domains, created_at=clock.now())
        org.save(condition=Organisation.org_id.does_not_exist())
        print(f"Organisatie aangemaakt: {org.org_id} ({org.name}), domeinen {', '.join(sorted(domains))}")
    if not domain_allowed(email, org.domains or []):
        print(f"Het domein van {email} hoort niet bij {org.org_id} ({', '.join(sorted(org.domains or []))}).",
              file=sys.stderr)
        return 2
    existing = accounts.find_by_email(email)
    if existing is not None:
        grants = [role_grant(g.role, g.org_id, g.department_id) for g in existing.roles or []]
        if any(g.role == CFB for g in grants):
            print(f"Account {existing.account_id} ({email}) heeft de rol CFB al. Niets gewijzigd.")
            return 0
        existing.update(actions=[Account.roles.set([*grants, role_grant(CFB)])])
        eventlog.record(eventlog.EventKind.ROLE_CHANGED, account_ref=existing.account_id, role=CFB, outcome="granted")
        print(f"Rol CFB toegevoegd aan bestaand account {existing.account_id} ({email}).")
        return 0
    account = accounts.new_account(
        email=email, first_name=first, last_name=last, org_id=org.org_id, department_id=None,
        consent_at=clock.now(), consent_version=settings.privacy_statement_version, roles=[Grant(CFB)],
    )
    eventlog.record(eventlog.EventKind.SIGNUP, account_ref=account.account_id, org_id=org.org_id)
    eventlog.record(eventlog.EventKind.ROLE_CHANGED, account_ref=account.account_id, role=CFB, outcome="granted")
    print(f"CFB-account aangemaakt: {account.account_id} ({email}, {org.org_id}).")
    print(f"Inloggen: {settings.portal_origin}/inloggen/ met dit adres; bij de eerste inlog stelt u de "
          "authenticator-app (TOTP) in.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
