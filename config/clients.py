"""Who a client is, for the per-client limits (searches, reports, alerts, admin login).

An IPv4 address is one client. An IPv6 client gets a whole /64 from its provider (a home, a
phone, a cloud machine), and could take a new address from it for every request: its /64 is
the client. ClientAddressMiddleware (config/middleware.py) has already put the address the
trusted proxy saw in REMOTE_ADDR.
"""

import ipaddress
from functools import cache

IPV6_CLIENT_PREFIX = 64


def parsed_address(value: str) -> str | None:
    """`value` as an IP address in its normal spelling, or None when it is not one. An IPv4
    address written as IPv6 (::ffff:192.0.2.1) is the IPv4 address."""
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return str(address)


def client_key(address: str) -> str:
    """The client an address belongs to: the IPv4 address itself, or the IPv6 /64."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, IPV6_CLIENT_PREFIX), strict=False))
    return str(parsed)


def request_client(request) -> str:
    """The client of a request (`client_key` of its address)."""
    return client_key(request.META.get("REMOTE_ADDR", "")) if request is not None else ""


@cache
def proxy_networks(proxies: tuple[str, ...]) -> tuple:
    """The networks of the trusted proxies' addresses (an address is a network of one)."""
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies if proxy != "*")


def is_trusted_proxy(address: str, proxies: tuple[str, ...]) -> bool:
    if "*" in proxies:
        return True
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in proxy_networks(proxies))
