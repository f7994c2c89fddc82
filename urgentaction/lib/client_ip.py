import ipaddress

from django.conf import settings
from django.http import HttpRequest

from urgentaction.lib.hashing import keyed_hash


def client_address(request: HttpRequest) -> str:
    """The client's IP address, read from TRUSTED_PROXY_HEADER only when that is
    configured (the last address in it, the one our own proxy added); otherwise from the
    connection, so that a client cannot claim another address with a header of its own.
    Never stored: it is used for counting, as a keyed hash or in hashed cache keys."""
    address = request.META.get("REMOTE_ADDR", "")
    if settings.TRUSTED_PROXY_HEADER:
        header = "HTTP_" + settings.TRUSTED_PROXY_HEADER.upper().replace("-", "_")
        forwarded = request.META.get(header, "")
        if forwarded:
            address = forwarded.split(",")[-1].strip()
    return address


def network_of(address: str) -> str:
    """The network an address counts as: an IPv6 address's /64 (a home or a phone is given
    a whole /64, so one visitor could otherwise count as billions), an IPv4 address itself,
    also when written as IPv6 (``::ffff:192.0.2.1``). Anything else is returned as it is."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 4:
        return str(ip)
    if ip.ipv4_mapped:
        return str(ip.ipv4_mapped)
    return str(ipaddress.IPv6Network((ip, 64), strict=False))


def client_network(request: HttpRequest) -> str:
    """The client's network (``network_of`` its address): what rate limits count and
    sign-in lockouts (AXES_CLIENT_IP_CALLABLE) lock."""
    return network_of(client_address(request))


def network_key(request: HttpRequest) -> str:
    """The client's network as a rate-limit key: a keyed hash, never the address."""
    return key_of(client_network(request))


def key_of(network: str) -> str:
    """A network's rate-limit key (``network_key``)."""
    return f"network:{keyed_hash('client-ip', network)[:40]}"
