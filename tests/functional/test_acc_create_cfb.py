"""`python -m tools.create_cfb`: the first CFB account of a new installation (R_ACC_10, R_ACC_11)."""

from __future__ import annotations

from chalicelib.models import Account, Organisation
from chalicelib.platform import clock
from tests.functional.test_acc_support import call, last_mail_to, login, session_token, token_in
from tools import create_cfb

ARGS = ["--email", "Carmen.Visser@MinBZK.nl", "--first-name", "Carmen", "--last-name", "Visser", "--org", "org-bzk"]


def test_create_cfb_creates_organisation_and_account_then_cfb_logs_in_with_totp(client, capsys):
    assert create_cfb.main([*ARGS, "--org-name", "Ministerie van BZK", "--domain", "minbzk.nl"]) == 0
    out = capsys.readouterr().out
    assert "Organisatie aangemaakt: org-bzk" in out and "CFB-account aangemaakt" in out
    [hit] = Account.email_index.query("carmen.visser@minbzk.nl")
    account = Account.get(hit.account_id)
    assert [g.role for g in account.roles] == ["cfb"] and account.org_id == "org-bzk"
    assert Organisation.get("org-bzk").domains == {"minbzk.nl"}
    call(client, "POST", "/auth/login", body={"email": "carmen.visser@minbzk.nl"})
    verified = call(client, "POST", "/auth/verify", body={"token": token_in(last_mail_to("carmen.visser@minbzk.nl"))})
    assert verified.json_body["second_factor"] == "setup"
    assert call(client, "GET", "/admin/organisations", session_token(verified)).status_code == 403


def test_create_cfb_refuses_an_unknown_organisation_or_a_foreign_domain(aws, capsys):
    assert create_cfb.main(ARGS) == 2
    assert "bestaat niet" in capsys.readouterr().err
    Organisation("org-bzk", name="BZK", domains={"rijksoverheid.nl"}, created_at=clock.now()).save()
    assert create_cfb.main(ARGS) == 2
    assert "hoort niet bij" in capsys.readouterr().err
    assert Account.count() == 0


def test_create_cfb_adds_the_role_to_an_existing_account_once(client, capsys):
    create_cfb.main([*ARGS, "--org-name", "BZK", "--domain", "minbzk.nl"])
    Account(next(iter(Account.email_index.query("carmen.visser@minbzk.nl"))).account_id).update(
        actions=[Account.roles.set([])])
    assert create_cfb.main(ARGS) == 0
    assert "toegevoegd" in capsys.readouterr().out
    assert create_cfb.main(ARGS) == 0
    assert "heeft de rol CFB al" in capsys.readouterr().out
    assert Account.count() == 1
    assert login(client, "carmen.visser@minbzk.nl")
