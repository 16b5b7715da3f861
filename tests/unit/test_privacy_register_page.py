"""R_PRV_03, R_PRV_04: the public register page is generated from the register at build time; the page
and the register never disagree, and the page groups as the privacy statement does."""

from __future__ import annotations

import re
from html import unescape

from chalicelib.platform.config import settings
from chalicelib.privacy.register import SECTIONS, TABLE_LABELS, TABLES, label_of, personal_fields, register_page
from devstack import build_portal


def _built_page() -> str:
    env = build_portal.make_environment(build_portal.plain_asset_url)
    page = "privacy/register/index.html"
    assert page in set(build_portal.page_templates())
    return env.get_template(page).render(build_portal.page_context(page))


def _rows(html: str) -> list[tuple[str, list[str]]]:
    found = []
    for item, body in re.findall(r'<tr class="utrecht-table__row" data-item="([^"]+)">(.*?)</tr>', html, re.S):
        cells = [unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", body,
                                                                                   re.S)]
        found.append((item, cells))
    return found


def test_R_PRV_03_R_PRV_04_the_built_register_page_shows_exactly_the_register():
    html = _built_page()
    expected = [(f"{r.table}.{r.field}", [f"{r.label}{r.kind}", r.purpose, r.retention, r.recipients, r.backup,
                                          r.anonymisation or "niet van toepassing"])
                for _title, rows in register_page() for r in rows]
    assert _rows(html) == expected
    assert f'<span id="register-versie">{settings.privacy_statement_version}</span>' in html
    for title, _tables in SECTIONS:
        assert f">{title}</h2>" in unescape(html)


def test_R_PRV_03_every_table_with_personal_data_is_in_exactly_one_section_of_the_statement():
    placed = [table for _title, tables in SECTIONS for table in tables]
    assert sorted(placed) == sorted(set(placed))
    assert set(placed) == {name for name in TABLES if personal_fields(name)}
    statement = (build_portal.TEMPLATES / "content" / "privacyverklaring.txt").read_text(encoding="utf-8")
    for title, _tables in SECTIONS:
        assert title in statement, title


def test_R_PRV_03_the_page_is_plain_dutch_without_class_names_or_rule_ids():
    """Issue 28: labels a person understands; the declarations keep their rule ids for the developers."""
    text = unescape(re.sub(r"<[^>]+>", " ", _built_page().split("<main", 1)[1]))
    assert not re.search(r"\bR_[A-Z]+_\d+", text), re.findall(r".{30}R_[A-Z]+_\d+.{10}", text)
    models = {name for name in TABLES}
    assert not [word for word in re.findall(r"\b([A-Z][A-Za-z]+)\.[a-z_]+", text) if word in models]
    assert "ContactMessage" not in text and "E-mailadres" in text and "Contactformulier" in text


def test_R_PRV_03_every_personal_field_has_a_label_for_people():
    assert [f"{table}.{name}" for table in TABLES for name in personal_fields(table) if not label_of(table, name)] == []
    assert all(TABLE_LABELS.get(table) for table in TABLES if personal_fields(table))


def test_R_PRV_04_the_page_states_each_tables_backup_window():
    html = _built_page()
    assert 'data-item="Session.account_id"' in html and "geen back-up" in html
    assert f"back-up (herstelvenster) {TABLES['Enrolment'].backup_days} dagen" in html


def test_R_REV_03_the_register_page_says_when_suppliers_and_admins_read_anonymous_reviews():
    """The one source (register.py) carries R_REV_03's threshold; the page and the export show it from there."""
    from chalicelib.privacy.register import REGISTER, REVIEW_THRESHOLD_TEXT
    from chalicelib.reviews.rules import ANONYMITY_THRESHOLD

    assert f"minstens {ANONYMITY_THRESHOLD} reviews" in REVIEW_THRESHOLD_TEXT
    assert REVIEW_THRESHOLD_TEXT in REGISTER["Review"]["text"].recipients
    text_row = dict(_rows(_built_page()))["Review.text"]
    assert REVIEW_THRESHOLD_TEXT in text_row[3]
