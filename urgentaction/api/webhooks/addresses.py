"""Where webhooks may go. Only ``https://`` (``http://`` too with WEBHOOK_ALLOW_HTTP), and
only to public addresses (unless WEBHOOK_ALLOW_PRIVATE): a partner's URL must never make
this server call its own private network, its loopback or a cloud's metadata service.

A URL is checked when it is registered and again before each delivery, against the
addresses its host resolves to then; the delivery connects only to the addresses that
were checked, so that a name which resolves once to a public address and then to a
private one (DNS rebinding) gains nothing."""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# IPv6 prefixes that carry an IPv4 address in their last 32 bits (NAT64, RFC 6052).
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class Refused(ValueError):
    """A URL webhooks may not go to; the message says why, for whoever gave it."""


@dataclass(frozen=True)
class Destination:
    scheme: str
    host: str
    port: int
    # The checked addresses to connect to, in the resolver's order.
    addresses: tuple[str, ...]
    # The path and query, as the request line names them.
    target: str


def check_url(url: str) -> None:
    """Raise Refused if webhooks may not go to ``url`` now."""
    destination(url)


def destination(url: str) -> Destination:
    """Where to send a webhook for ``url``: its parts and its checked addresses. Raises
    Refused."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise Refused(_("This is not a URL.")) from None
    schemes = ("https", "http") if settings.WEBHOOK_ALLOW_HTTP else ("https",)
    if parts.scheme not in schemes:
        raise Refused(_("Webhooks go only to https:// URLs."))
    if not parts.hostname:
        raise Refused(_("This URL names no host."))
    if parts.username is not None or parts.password is not None:
        raise Refused(
            _("Put no user name or password in the URL: check the signature of each request.")
        )
    port = port or (443 if parts.scheme == "https" else 80)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    addresses = _checked_addresses(parts.hostname, port)
    return Destination(parts.scheme, parts.hostname, port, addresses, target)


def _checked_addresses(host: str, port: int) -> tuple[str, ...]:
    """The addresses ``host`` resolves to, once every one of them is allowed: a name with
    a private address among public ones is refused."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise Refused(_("The URL's host name could not be found.")) from None
    addresses = [ipaddress.ip_address(sockaddr[0].split("%")[0]) for *_, sockaddr in found]
    if not settings.WEBHOOK_ALLOW_PRIVATE:
        for address in addresses:
            if not is_public(address):
                raise Refused(
                    _(
                        "The URL's host is at %(address)s, a private, loopback or link-local "
                        "address: webhooks go only to public addresses."
                    )
                    % {"address": address}
                )
    return tuple(dict.fromkeys(str(address) for address in addresses))


def is_public(address: IPAddress) -> bool:
    """Reachable on the public internet: not private, loopback, link-local, reserved or
    multicast, including an IPv4 address carried inside an IPv6 one."""
    if isinstance(address, ipaddress.IPv6Address):
        carried = address.ipv4_mapped or address.sixtofour
        if carried is None and address in NAT64:
            carried = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if carried is not None:
            return is_public(carried)
    return address.is_global and not address.is_multicast
