"""Pure rules: IP masking and the scrubbing of event-log values."""

from __future__ import annotations

import pytest

from chalicelib.platform.ipmask import mask_ip, viewer_ip
from chalicelib.platform.scrub import scrub_text


@pytest.mark.parametrize(("raw", "masked"), [
    ("192.168.14.77", "192.168.0.0"),
    ("::ffff:10.20.30.40", "10.20.0.0"),
    ("2001:db8:abcd:1234:5678::1", "2001:db8:abcd::"),
    ("not-an-ip", None),
])
def test_ip_mask_keeps_two_ipv4_octets_and_48_ipv6_bits(raw, masked):
    """The pure masking rule; R_VIS_02 itself is proved where a route keeps an address: the event log's
    security entries (tests/functional/test_no_full_ip.py)."""
    assert mask_ip(raw) == masked


def test_R_VIS_02_cloudfront_viewer_address_is_masked():
    """The guard reads every request's viewer address through this (api/guard.py `viewer_origin`)."""
    assert viewer_ip("198.51.100.10:46532") == "198.51.0.0"
    assert viewer_ip("2001:db8:1:2:3:4:5:6:443") == "2001:db8:1::"
    assert viewer_ip(None) is None


def test_R_LOG_01_scrub_removes_control_characters_addresses_and_ips():
    text = "zoek\r\n{\"kind\": \"forged\"}\x00 piet@minbzk.nl 10.1.2.3"
    cleaned = scrub_text(text)
    assert "\n" not in cleaned and "\r" not in cleaned and "\x00" not in cleaned
    assert "piet@minbzk.nl" not in cleaned and "[e-mail]" in cleaned
    assert "10.1.2.3" not in cleaned and "10.1.0.0" in cleaned


def test_scrub_bounds_length():
    assert len(scrub_text("a" * 5000)) == 200


@pytest.mark.parametrize(("term", "logged"), [
    ("bsn 123456782", "bsn [nummer]"), ("06-12345678", "[nummer]"), ("(06) 1234 5678", "[nummer]"),
    ("12.345.678", "[nummer]"), ("27001", "27001"), ("a@b", "[e-mail]"), ("x\n@\ny", "x [e-mail] y"),
])
def test_R_LOG_01_search_terms_lose_numbers_and_addresses(term, logged):
    from chalicelib.platform.scrub import scrub_search_term

    assert scrub_search_term(term) == logged
