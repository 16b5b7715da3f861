"""R_PRV_03: every stored attribute is declared once, personal ones with purpose, retention, recipients."""

from __future__ import annotations

from chalicelib import models
from chalicelib.privacy.register import (
    REGISTER,
    TABLES,
    NotPersonal,
    OnAccountDeletion,
    Personal,
    backup_problems,
    exported_fields,
    personal_fields,
)


def test_R_PRV_03_every_model_attribute_is_classified():
    unclassified = [
        f"{model.__name__}.{name}"
        for model in models.ALL_MODELS
        for name in model.get_attributes()
        if name not in REGISTER.get(model.__name__, {})
    ]
    assert unclassified == []


def test_R_PRV_03_register_names_only_existing_attributes():
    known = {m.__name__: set(m.get_attributes()) for m in models.ALL_MODELS}
    stale = [
        f"{model}.{name}"
        for model, fields in REGISTER.items()
        for name in fields
        if name not in known.get(model, set())
    ]
    assert stale == []


def test_R_PRV_03_personal_fields_state_purpose_retention_and_recipients():
    for model, fields in REGISTER.items():
        for name, field in fields.items():
            assert isinstance(field, Personal | NotPersonal), f"{model}.{name}"
            if isinstance(field, Personal):
                assert field.purpose and field.retention and field.recipients, f"{model}.{name}"


def test_R_ACC_10_totp_secret_is_personal_but_never_exported():
    assert "totp_secret" in personal_fields("Account")
    assert "totp_secret" not in exported_fields("Account")
    assert "email" in exported_fields("Account")


def test_R_ENR_02_every_enrolment_form_field_is_personal():
    form = {"first_name", "last_name", "email", "phone", "gender", "initials", "title_before", "title_after",
            "job_function", "salary_scale", "department_name", "organisation_name", "manager_email"}
    assert form <= set(personal_fields("Enrolment"))


def test_R_PRV_03_R_PRV_04_every_table_declares_its_backup_window_and_its_account_relation():
    assert set(TABLES) == {m.__name__ for m in models.ALL_MODELS}
    for name, table in TABLES.items():
        assert table.backup_why and isinstance(table.on_account_deletion, OnAccountDeletion), name
        if table.on_account_deletion is OnAccountDeletion.NEVER and personal_fields(name):
            assert table.account_why, f"{name}: why can personal data here never belong to an account?"


def test_R_PRV_04_no_backup_outlives_the_data_it_copies():
    """A table holding data kept shorter than a day, or under the 7-day contact deadline, has no backup."""
    assert backup_problems() == []
    assert TABLES["Session"].backup_days == 0 and TABLES["ContactMessage"].backup_days == 0


def test_R_ENR_10_R_PRV_03_a_personal_attribute_without_an_anonymisation_rule_is_caught(monkeypatch):
    from chalicelib.privacy import register

    assert register.anonymisation_problems() == []
    fields = dict(REGISTER["OrderLine"])
    fields["business_email"] = Personal("test", register.Retention.ENROLMENT, ("CFB",))  # no rule
    monkeypatch.setitem(REGISTER, "OrderLine", fields)
    assert register.anonymisation_problems() == ["OrderLine.business_email: no anonymisation rule"]
    fields["business_email"] = Personal("test", register.Retention.ENROLMENT, ("CFB",),
                                        anonymise=register.Anonymise.KEEP)
    assert register.anonymisation_problems() == ["OrderLine.business_email: personal but kept"]
