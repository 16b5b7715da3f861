"""IP masking (R_VIS_02): IPv4 keeps two octets, IPv6 keeps 48 bits, mapped IPv4 counts as IPv4."""

from __future__ import annotations

import ipaddress


def mask_ip(raw: str) -> str | None:
    """Return the masked address, or None when `raw` is not an IP address."""
    try:
        address = ipaddress.ip_address(raw.strip().strip("[]"))
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if isinstance(address, ipaddress.IPv4Address):
        return str(ipaddress.ip_network(f"{address}/16", strict=False).network_address)
    return str(ipaddress.ip_network(f"{address}/48", strict=False).network_address)


def viewer_ip(header_value: str | None) -> str | None:
    """Mask CloudFront-Viewer-Address ("ip:port"; IPv6 comes without brackets) at once."""
    if not header_value or ":" not in header_value:
        return None
    return mask_ip(header_value.rsplit(":", 1)[0])
