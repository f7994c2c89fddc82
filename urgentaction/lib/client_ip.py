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


def client_network(request: HttpRequest) -> str:
    """A keyed hash of the client's address."""
    return keyed_hash("client-ip", client_address(request))


def network_key(request: HttpRequest) -> str:
    """The client's network as a rate-limit key."""
    return f"network:{client_network(request)[:40]}"
