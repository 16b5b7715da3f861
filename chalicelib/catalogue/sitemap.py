"""The sitemap of public course pages (issue 28): every course a visitor may see, built on request from
the catalogue index the search already keeps in memory (no table read when warm), so it is as current as
the catalogue. The portal is static and its course page one template (`/opleiding/?id=...`), so a sitemap
made when the portal is built or deployed would miss every course a supplier adds later. The portal's
`robots.txt` names this address; a sitemap named there may list pages of the whole host (sitemaps.org).
"""

from __future__ import annotations

from urllib.parse import quote
from xml.etree import ElementTree

from chalicelib.catalogue import index as catalogue_index
from chalicelib.catalogue import search_rules as search

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
MAX_URLS = 50_000  # the protocol's limit for one file; beyond it a sitemap index would be needed


def sitemap_xml(portal_origin: str) -> str:
    root = ElementTree.Element("urlset", xmlns=NAMESPACE)
    public = sorted((doc for doc in catalogue_index.current().docs if search.visible(doc, None)), key=lambda d: d["id"])
    for doc in public[:MAX_URLS]:
        entry = ElementTree.SubElement(root, "url")
        ElementTree.SubElement(entry, "loc").text = f"{portal_origin}/opleiding/?id={quote(str(doc['id']), safe='')}"
        if doc.get("updated"):
            ElementTree.SubElement(entry, "lastmod").text = str(doc["updated"])[:10]
    return str(ElementTree.tostring(root, encoding="unicode", xml_declaration=True))
