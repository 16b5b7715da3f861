"""Pure parts of the local stack and portal build: the privacy text parser, links, the mailbox."""

from __future__ import annotations

from types import SimpleNamespace

from devstack.build_portal import PRIVACY_TEXT, autolink, page_templates, page_url
from devstack.mailbox import _convert
from devstack.privacy_text import load, parse


def test_privacy_statement_parses_into_chapters_situations_and_lists() -> None:
    """The parser behind the /privacy/ page; the page itself (R_PRV_04) is proved in tests/browser/test_portal.py."""
    statement = load(PRIVACY_TEXT)
    assert statement.title == "Privacyverklaring Leer-Rijk"
    chapters = [b.text for b in statement.blocks if b.kind == "h2"]
    assert chapters[0] == "Inhoud"
    assert chapters[1:] == [
        "1. Situaties waarbij persoonsgegevens worden verwerkt", "2. Cookies*", "3. Webstatistieken",
        "4. Uw rechten", "5. Wijziging van de privacyverklaring",
        "6. Begrippenlijst (in volgorde van eerste vermelding)",
    ]
    situations = [b.text for b in statement.blocks if b.kind == "h3"]
    assert situations[0] == "U bezoekt het Leer-Rijk Portaal, maar logt niet in en maakt geen account aan"
    assert len(situations) == 7
    assert next(b.text for b in statement.blocks if b.kind == "h4") == "1. Uw leidinggevende"
    glossary = next(b for b in statement.blocks if b.kind == "dl")
    assert glossary.terms[0][0] == "Leer-Rijk Portaal"


def test_table_of_contents_links_to_numbered_chapters() -> None:
    statement = parse("Titel\n\nInhoud\n 1. Eerste\n  • sub\n 2. Tweede\n\n1. Eerste hoofdstuk\nTekst.\n")
    contents = statement.blocks[1]
    assert [(i.text, i.href, i.children) for i in contents.items] == [
        ("Eerste", "#hoofdstuk-1", ["sub"]), ("Tweede", None, []),
    ]
    assert statement.blocks[2].anchor == "hoofdstuk-1"


def test_autolink_escapes_text_and_links_addresses() -> None:
    html = autolink("Mail <b> naar contact.ris@rijksoverheid.nl.")
    assert html == (
        'Mail &lt;b&gt; naar <a class="nl-link" href="mailto:contact.ris@rijksoverheid.nl">'
        "contact.ris@rijksoverheid.nl</a>."
    )


def test_pages_are_every_template_except_layouts_and_partials() -> None:
    pages = list(page_templates())
    assert {"index.html", "privacy/index.html", "404.html"} <= set(pages)
    assert "base.html" not in pages
    assert page_url("privacy/index.html") == "/privacy/"
    assert page_url("index.html") == "/"


def test_mailbox_reads_formatted_and_raw_ses_messages() -> None:
    formatted = SimpleNamespace(
        id="m1", source="noreply@leer-rijk.example", subject="Inloggen",
        destinations={"ToAddresses": ["eva@belastingdienst.nl"], "CcAddresses": [], "BccAddresses": ["b@x.nl"]},
        body='<p>Klik <a href="http://127.0.0.1:8000/x">hier</a></p><script>alert(1)</script>',
    )
    message = _convert(formatted)
    assert message.destinations == ["eva@belastingdienst.nl", "b@x.nl"]
    assert "<script>" not in message.body_html() and 'href="http://127.0.0.1:8000/x"' in message.body_html()

    raw = SimpleNamespace(
        id="m2", source="noreply@leer-rijk.example", destinations=[],
        raw_data=(
            "From: noreply@leer-rijk.example\nTo: sem@minbzk.nl\nSubject: Vraag\nMIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=utf-8\n\nZie http://127.0.0.1:8000/privacy/ <graag>\n"
        ),
    )
    message = _convert(raw)
    assert (message.subject, message.destinations) == ("Vraag", ["sem@minbzk.nl"])
    assert '<a class="nl-link" href="http://127.0.0.1:8000/privacy/">' in message.body_html()
    assert "&lt;graag&gt;" in message.body_html()
