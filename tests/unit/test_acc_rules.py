"""Pure account rules: e-mail domain (R_ACC_02), links (R_ACC_03), sessions and cookies (R_ACC_04,
R_VIS_03), roles and the second factor (R_ACC_10), rate-limit windows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie

import pytest

from chalicelib.accounts import link_rules as links
from chalicelib.accounts import roles
from chalicelib.accounts import session_rules as sessions
from chalicelib.accounts.rules import (
    clean_name,
    domain_allowed,
    fold,
    is_running,
    matches,
    normalise_domain,
    normalise_email,
    query_words,
    search_terms,
    shown_at,
    sort_name,
)
from chalicelib.platform.ratelimit_rules import LINK_PER_ADDRESS, retry_after_seconds, window_end, window_key

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ORG = {"minbzk.nl", "rws.nl"}


@pytest.mark.parametrize("address", [
    "a@minbzk.nl.evil.com",
    "a@xminbzk.nl",
    "a@evilminbzk.nl",
    "a@sub.minbzk.nl",
    "a@minbzk.nl@evil.com",
    '"a@minbzk.nl"@evil.com',
    "a@minbzk.nl\r\nBcc: b@evil.com",
    "a@minbzk.nl\n",
    "a\r@minbzk.nl",
    "a@minbzk.nl.",
    "a@.minbzk.nl",
    "a..b@minbzk.nl",
    ".a@minbzk.nl",
    "a@minbzk",
    "a b@minbzk.nl",
    "a@minbzk.nl\x00",
    "é@minbzk.nl",
    "a@mínbzk.nl",
    "@minbzk.nl",
    "a@",
    "",
    "x" * 250 + "@minbzk.nl",
    "a@minbzk.nl;b@evil.com",
    "a@minbzk.nl,b@evil.com",
    "a@[127.0.0.1]",
])
def test_R_ACC_02_look_alike_and_malformed_addresses_are_refused(address):
    assert not domain_allowed(address, ORG)


@pytest.mark.parametrize(("address", "normalised"), [
    ("a@minbzk.nl", "a@minbzk.nl"),
    ("Anna.Jansen@MinBZK.NL", "anna.jansen@minbzk.nl"),
    ("  anna@rws.nl ", "anna@rws.nl"),
    ("a+b_c-d'e@rws.nl", "a+b_c-d'e@rws.nl"),
])
def test_R_ACC_02_exact_domain_is_allowed_case_insensitively(address, normalised):
    assert normalise_email(address) == normalised
    assert domain_allowed(address, ORG)


def test_R_ACC_02_subdomains_need_their_own_entry():
    assert not domain_allowed("a@sub.minbzk.nl", {"minbzk.nl"})
    assert domain_allowed("a@sub.minbzk.nl", {"minbzk.nl", "sub.minbzk.nl"})
    assert domain_allowed("a@MINBZK.nl", {"MinBZK.nl"})


@pytest.mark.parametrize(("raw", "expected"), [
    ("minbzk.nl", "minbzk.nl"), ("@MinBZK.nl", "minbzk.nl"), ("http://x.nl", None), ("x", None), ("a..nl", None),
])
def test_R_ACC_02_organisation_domains_are_normalised(raw, expected):
    assert normalise_domain(raw) == expected


def test_names_refuse_control_characters_and_fold_for_search():
    assert clean_name("  Anna   Maria ") == "Anna Maria"
    assert clean_name("Anna\r\nBcc: x") is None
    assert clean_name("Anna\u200b") is None
    assert fold("Özil  Ça") == "ozil ca"
    assert sort_name("Émile", "de Vries", "E@X.nl") == "de vries emile e@x.nl"
    assert query_words(" De V") == ["de", "v"]


def test_R_ACC_06_search_terms_cover_every_name_part_and_the_address_before_the_at():
    assert search_terms("Eva", "de Vries", "eva.devries@belastingdienst.nl") == ["eva", "de", "vries", "devries"]
    assert search_terms("Anne-Marie", "Jansen-de Groot", "a.m.jansen2@minbzk.nl") == [
        "anne", "marie", "jansen", "de", "groot", "jansendegroot", "a", "m", "jansen2"]
    assert search_terms("Émile", "d'Ancona", "e@x.nl") == ["emile", "d", "ancona", "dancona", "e"]
    assert len(search_terms(" ".join(f"w{i}" for i in range(40)), "x", "y@x.nl")) == 16
    assert query_words("eva.devries@bel") == ["eva", "devries"] and query_words("@minbzk.nl") == []


def test_R_ACC_06_every_query_word_starts_a_different_term_and_an_account_shows_once():
    bas, ada = ["bas", "bakker"], ["ada", "bakker"]
    assert matches(["bakker", "b"], bas) and not matches(["bakker", "b"], ada)
    assert matches(["vries", "de"], ["eva", "de", "vries", "devries"])
    assert not matches(["vries", "eva", "x"], ["eva", "de", "vries", "devries"])
    assert matches(["a", "ab"], ["ab", "ac"])  # "ab" must take "ab", so "a" moves to "ac"
    many = [f"a{i:02}" for i in range(16)]  # 15 words "a" and one "b" against 16 "a" terms: no blow-up
    assert not matches(["a"] * 15 + ["b"], many) and matches(["a"] * 16, many)
    assert not matches(["a"] * 17, many)
    vera = ["vera", "vries", "v"]  # three terms start with "v": the account is listed at "v" only
    assert [t for t in vera if shown_at(t, vera, ["v"])] == ["v"]
    assert [t for t in vera if shown_at(t, vera, ["vr"])] == ["vries"]


def test_R_ACC_08_running_enrolments():
    assert is_running("approved", "2026-03-02", "2026-03-02")
    assert is_running("pending_approval", "2026-04-01", "2026-03-02")
    assert not is_running("approved", "2026-03-01", "2026-03-02")
    assert not is_running("cancelled", "2026-04-01", "2026-03-02")
    assert not is_running("rejected", "2026-04-01", "2026-03-02")


# --- links -------------------------------------------------------------------------------------------


def test_R_ACC_03_link_lives_ten_minutes_is_single_use_and_purpose_bound():
    expires = T0 + links.LINK_LIFETIME
    assert timedelta(minutes=10) == links.LINK_LIFETIME
    assert links.refusal("login", expires, None, T0 + timedelta(minutes=9, seconds=59)) is None
    assert links.refusal("login", expires, None, T0 + timedelta(minutes=10)) == "expired"
    assert links.refusal("login", expires, T0, T0) == "used"
    assert links.refusal("feed", expires, None, T0) == "purpose"
    assert links.refusal("approval", expires, None, T0) == "purpose"


# --- sessions and cookies ----------------------------------------------------------------------------


def test_R_ACC_04_idle_and_absolute_timeouts():
    assert not sessions.is_expired(T0, T0, T0 + timedelta(minutes=29, seconds=59))
    assert sessions.is_expired(T0, T0, T0 + timedelta(minutes=30))
    late_activity = T0 + timedelta(hours=11, minutes=50)
    assert not sessions.is_expired(T0, late_activity, T0 + timedelta(hours=11, minutes=59, seconds=59))
    assert sessions.is_expired(T0, late_activity, T0 + timedelta(hours=12))
    assert sessions.expiry(T0, late_activity) == T0 + timedelta(hours=12)


def test_R_ACC_04_activity_is_written_at_most_every_five_minutes():
    assert not sessions.touch_due(T0, T0 + timedelta(minutes=4, seconds=59))
    assert sessions.touch_due(T0, T0 + timedelta(minutes=5))


@pytest.mark.parametrize("secure", [True, False])
def test_R_VIS_03_R_ACC_04_session_cookie_has_no_lifetime(secure):
    header = sessions.session_cookie("tok", secure)
    morsel = SimpleCookie(header)["__Host-lr_session" if secure else "lr_session"]
    assert morsel.value == "tok"
    assert morsel["httponly"] is True
    assert morsel["samesite"] == "Strict"
    assert morsel["path"] == "/"
    assert not morsel["expires"] and not morsel["max-age"] and not morsel["domain"]
    assert bool(morsel["secure"]) is secure


def test_R_VIS_03_clearing_cookie_is_the_only_one_with_max_age_and_it_is_zero():
    morsel = SimpleCookie(sessions.clearing_cookie(True))["__Host-lr_session"]
    assert morsel.value == "" and morsel["max-age"] == "0" and morsel["secure"]


@pytest.mark.parametrize(("header", "token"), [
    ("lr_session=abc", "abc"),
    ("other=1; lr_session=abc; x=y", "abc"),
    ("other=1", None),
    (None, None),
    ("lr_session=", None),
    ("lr_session=" + "a" * 200, None),
])
def test_R_ACC_04_cookie_is_read_by_name_only(header, token):
    assert sessions.read_cookie(header) == token
    secure_header = header.replace("lr_session", "__Host-lr_session") if header else header
    assert sessions.read_cookie(secure_header, secure=True) == token
    if header and "lr_session=abc" in header:  # outside local a plain name is not the session cookie
        assert sessions.read_cookie(header, secure=True) is None


@pytest.mark.parametrize(("method", "header", "origin", "ok"), [
    ("GET", None, None, True),
    ("POST", "1", "https://portal.example", True),
    ("POST", None, "https://portal.example", False),
    ("POST", "1", None, False),
    ("POST", "1", "https://evil.example", False),
    ("POST", "1", "https://portal.example.evil.example", False),
    ("PATCH", "true", "https://portal.example", False),
    ("DELETE", "1", "null", False),
])
def test_R_ACC_04_csrf_needs_custom_header_and_exact_origin(method, header, origin, ok):
    assert sessions.csrf_ok(method, header, origin, "https://portal.example") is ok


# --- roles ---------------------------------------------------------------------------------------------


def test_R_ACC_10_admin_audiences_only_at_level_two():
    grants = [roles.Grant("local_admin", "org-a"), roles.Grant("ops")]
    assert roles.audiences(grants, 1) == {"employee"}
    assert roles.audiences(grants, 2) == {"employee", "local_admin", "ops"}
    assert roles.audiences([], 2) == {"employee"}


@pytest.mark.parametrize(("grants", "enrolled", "level", "state"), [
    ([], False, 1, "not_needed"),
    ([roles.Grant("cfb")], False, 1, "setup"),
    ([roles.Grant("cfb")], True, 1, "required"),
    ([roles.Grant("order_authorised", "org-a")], True, 2, "done"),
])
def test_R_ACC_10_second_factor_state(grants, enrolled, level, state):
    assert roles.second_factor_state(grants, enrolled, level) == state


@pytest.mark.parametrize(("grant", "valid"), [
    (roles.Grant("local_admin", "org-a"), True),
    (roles.Grant("local_admin"), False),
    (roles.Grant("local_admin", "org-x"), False),
    (roles.Grant("local_admin", "org-a", "dep-a"), False),
    (roles.Grant("order_authorised", "org-a", "dep-a"), True),
    (roles.Grant("order_authorised", "org-a", "dep-b"), False),
    (roles.Grant("cfb"), True),
    (roles.Grant("cfb", "org-a"), False),
    (roles.Grant("ops"), True),
    (roles.Grant("root"), False),
    (roles.Grant("order_authorised", "org-b"), False),  # another organisation than the account's (R_ORD_02)
    (roles.Grant("local_admin", "org-b"), False),
])
def test_R_ACC_07_role_grants_are_validated(grant, valid):
    assert (roles.grant_error(grant, {"org-a": ["dep-a"], "org-b": []}, "org-a") is None) is valid


def test_local_admin_orgs_and_dedupe():
    grants = [roles.Grant("local_admin", "org-a"), roles.Grant("local_admin", "org-a"), roles.Grant("cfb")]
    assert roles.dedupe(grants) == [roles.Grant("local_admin", "org-a"), roles.Grant("cfb")]
    assert roles.local_admin_orgs(grants) == {"org-a"}


# --- rate-limit windows ----------------------------------------------------------------------------


def test_rate_limit_windows_are_fixed_and_keyed_by_policy():
    at = datetime(2026, 3, 2, 9, 7, 30, tzinfo=UTC)
    assert window_key(LINK_PER_ADDRESS, at) == "link#2026-03-02T09:00:00Z"
    assert window_end(LINK_PER_ADDRESS, at) == datetime(2026, 3, 2, 9, 15, tzinfo=UTC)
    assert retry_after_seconds(LINK_PER_ADDRESS, at) == 450


def test_R_ACC_07_what_is_beyond_a_local_admin():
    from chalicelib.accounts.roles import Grant, beyond_local_admin

    for target in ([], [Grant("local_admin", "org-a")], [Grant("order_authorised", "org-a", "dep-a1")],
                   [Grant("order_authorised", "org-a")]):
        assert not beyond_local_admin(target, ["org-a"]), target
    for target in (Grant("cfb"), Grant("ops"), Grant("local_admin", "org-b"), Grant("order_authorised", "org-b")):
        assert beyond_local_admin([Grant("order_authorised", "org-a"), target], ["org-a"]), target


def test_R_ACC_07_a_local_admin_changes_only_order_authorised_of_the_accounts_organisation():
    from chalicelib.accounts.roles import Grant, changed_grants, local_admin_may_change

    assert local_admin_may_change(Grant("order_authorised", "org-a"), "org-a")
    assert local_admin_may_change(Grant("order_authorised", "org-a", "dep-a1"), "org-a")
    for grant in (Grant("order_authorised", "org-b"), Grant("local_admin", "org-a"), Grant("cfb"), Grant("ops")):
        assert not local_admin_may_change(grant, "org-a"), grant
    kept, added, gone = Grant("local_admin", "org-a"), Grant("order_authorised", "org-a"), Grant("ops")
    assert changed_grants([kept, gone], [kept, added]) == ([added], [gone])


# --- edges of the address rules (issue 22 item 16: the mutation run found them untested) ----------------


def _domain(length: int) -> str:
    """A valid domain of exactly `length` characters: labels of at most 63, ending in `.nl`."""
    labels, left = [], length - len(".nl")
    while left > 0:
        size = min(63, left) if left != 64 else 62  # never leave a lone dot without a label after it
        labels.append("d" * size)
        left -= size + 1 if left > size else size
    domain = ".".join(labels) + ".nl"
    assert len(domain) == length, (len(domain), length)
    return domain


@pytest.mark.parametrize("raw", [
    "a@minbzk.nl\n", "a@minbzk.nl\r", "a\n@minbzk.nl", "a@minbzk\n.nl", "a\t@minbzk.nl", "a@minbzk.nl\x7f",
    "a\x00@minbzk.nl", "a@minbzk.nl\x0b", "a@minbzk.nl\x1f", "a b@minbzk.nl", "\ta@minbzk.nl",
])
def test_R_ACC_02_control_characters_and_a_trailing_newline_are_refused(raw):
    assert normalise_email(raw) is None


@pytest.mark.parametrize("raw", [
    "\u212aees@minbzk.nl",  # KELVIN SIGN: lower-cased it is an ASCII "k"
    "kees@minb\u212azk.nl",
    "\u0130nge@minbzk.nl",  # LATIN CAPITAL I WITH DOT ABOVE
    "ﬁet@minbzk.nl",  # LATIN SMALL LIGATURE FI
    "anna@minbzk.nl\u00a0",
])
def test_R_ACC_02_non_ascii_that_lower_cases_to_ascii_is_refused(raw):
    assert normalise_email(raw) is None
    assert normalise_email("Kees@minbzk.nl") == "kees@minbzk.nl"


def test_R_ACC_02_the_local_part_holds_64_characters_and_the_address_254():
    assert normalise_email("l" * 64 + "@minbzk.nl") == "l" * 64 + "@minbzk.nl"
    assert normalise_email("l" * 65 + "@minbzk.nl") is None
    longest = "l" * 64 + "@" + _domain(189)
    assert len(longest) == 254 and normalise_email(longest) == longest
    assert normalise_email("l" * 64 + "@" + _domain(190)) is None  # 255: every part valid, the whole too long
    assert normalise_email(" " + longest + " ") == longest  # surrounding spaces are not counted


def test_R_ACC_02_a_domain_holds_253_characters_and_a_dot():
    assert normalise_domain(_domain(253)) == _domain(253)
    assert normalise_domain(_domain(254)) is None
    for dotless in ("a@localhost", "a@nl", "a@minbzk"):
        assert normalise_email(dotless) is None
    assert normalise_domain("localhost") is None and normalise_domain("minbzk.nl") == "minbzk.nl"


@pytest.mark.parametrize("raw", ["minbzk\n.nl", "minbzk.nl\n.xx", "min\tbzk.nl", "minbzk.n1", "-minbzk.nl",
                                 "minbzk-.nl", "m.i.n.b.z.k.n", "minbzk.\u212a\u212a", "d" * 64 + ".nl"])
def test_R_ACC_02_organisation_domains_refuse_line_breaks_and_bad_labels(raw):
    """A line break inside a domain passed: `$` matches before a newline (issue 22 item 16)."""
    assert normalise_domain(raw) is None


def test_R_ACC_02_labels_may_hold_hyphens_and_digits_and_63_characters():
    assert normalise_domain("mijn-ministerie2.nl") == "mijn-ministerie2.nl"
    assert normalise_domain("d" * 63 + ".nl") == "d" * 63 + ".nl"
    assert normalise_domain("x.y.minbzk.nl") == "x.y.minbzk.nl"
    assert normalise_email("a@" + "d" * 63 + ".nl") == "a@" + "d" * 63 + ".nl"


def test_R_ACC_03_R_CON_04_the_canonical_mailbox_drops_case_and_the_plus_tag():
    from chalicelib.accounts.rules import canonical_address

    assert canonical_address("  Ada+Nieuwsbrief@X.nl ") == "ada@x.nl"
    assert canonical_address("ada+1+2@x.nl") == "ada@x.nl"
    assert canonical_address("ada@x.nl") == "ada@x.nl"
    assert canonical_address("+tag@x.nl") == "+tag@x.nl"  # nothing before the tag: the local part as typed
    assert canonical_address("a+1@b@x.nl") == "a@x.nl"  # the domain is what follows the last @
    assert canonical_address(" Geen-Adres ") == "geen-adres"
    assert normalise_email("Xander@MinBZK.nl") == "xander@minbzk.nl"  # only spaces are forgiven around it


def test_R_ACC_06_names_refuse_line_and_paragraph_separators():
    """U+2028 and U+2029 end a line in many readers: a name holding one is refused, not joined."""
    for separator in ("\u2028", "\u2029", "\u0085", "\u200e"):
        assert clean_name(f"Anna{separator}Bcc: x@y.nl") is None, repr(separator)


def test_R_ACC_06_search_terms_of_an_empty_last_name_and_odd_queries():
    from chalicelib.accounts.rules import leading_word

    assert search_terms("Eva", "", "eva@x.nl") == ["eva"]
    assert search_terms("Eva", "-", "eva@x.nl") == ["eva"]
    assert query_words("eva@devries@x.nl") == ["eva"]  # only the part before the first @
    assert leading_word(["ab", "c"]) == "ab" and leading_word(["de", "vries"]) == "vries"


def test_R_ACC_03_retry_after_is_at_least_one_second():
    end = datetime(2026, 3, 2, 9, 15, tzinfo=UTC)
    assert retry_after_seconds(LINK_PER_ADDRESS, end - timedelta(milliseconds=500)) == 1
    assert retry_after_seconds(LINK_PER_ADDRESS, end - timedelta(seconds=2)) == 2
    assert retry_after_seconds(LINK_PER_ADDRESS, end) == 900  # the first instant of the next window
