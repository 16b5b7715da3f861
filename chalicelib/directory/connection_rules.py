"""Where a directory connection may point (R_DEX_01, R_SEC_04). Pure: no I/O.

The connection's bearer token is sent to its base URL, so the URL is a security setting: HTTPS to a
host on the configured list (`LEERRIJK_DIRECTORY_HOSTS`, by default the EDU-DEX Data API), or plain
HTTP to this machine in the local stage only (the emulator). No credentials, query or fragment.
"""

from __future__ import annotations

from urllib.parse import urlsplit

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})


def base_url_problem(url: str, allowed_hosts: tuple[str, ...], local_stage: bool) -> str | None:
    """A Dutch reason why the URL may not be used, or None."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "Vul een geldige URL in."
    host = (parts.hostname or "").lower()
    if parts.username or parts.password or parts.query or parts.fragment or not host:
        return "Vul alleen het adres van de Data API in, zonder gebruikersnaam, query of #."
    if local_stage and parts.scheme == "http" and host in LOCAL_HOSTS:
        return None
    if parts.scheme != "https":
        return "Gebruik een https-adres."
    if host not in allowed_hosts:
        return f"Deze host staat niet in de lijst van toegestane EDU-DEX-hosts ({', '.join(allowed_hosts)})."
    if port not in (None, 443):
        return "Gebruik de standaardpoort van https."
    return None
