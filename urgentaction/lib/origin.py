"""Origins: cross-site form posts refused without a per-visitor token in the page (which
would make the page uncacheable), since browsers say where a POST comes from; and the
origins of other sites, written as browsers and Content-Security-Policy write them."""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest


def same_origin(request: HttpRequest) -> bool:
    """True unless the browser says the POST comes from another site. Browsers send
    Sec-Fetch-Site and Origin with every form POST; a client that sends neither is not a
    browser carrying someone's session, and is left to the other checks."""
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        return False
    source = request.headers.get("Origin") or request.headers.get("Referer")
    if source is None:
        return True
    if source == "null":
        return False
    parts = urlsplit(source)
    origin = f"{parts.scheme}://{parts.netloc}"
    ours = f"{request.scheme}://{request.get_host()}"
    return origin == ours or origin in settings.CSRF_TRUSTED_ORIGINS


HOST = re.compile(r"[a-z0-9-]+(\.[a-z0-9-]+)*|\[[0-9a-f:.]+\]")
DEFAULT_PORTS = {"http": 80, "https": 443}


def web_origin(value: str) -> str:
    """``value`` as a web origin, the way browsers write one and CSP's frame-ancestors
    matches it: ``https://partner.example.org`` (scheme and host in lower case, a host
    name in ASCII, the port only when it is not the scheme's own). ValueError for
    anything else: a path, a query, a user name, another scheme, a wildcard."""
    try:
        parts = urlsplit(value.strip())
        port = parts.port
        host = (parts.hostname or "").encode("idna").decode("ascii")
    except (ValueError, UnicodeError) as error:
        raise ValueError(value) from error
    if ":" in host:
        host = f"[{host}]"
    scheme = parts.scheme.lower()
    if (
        scheme not in DEFAULT_PORTS
        or not HOST.fullmatch(host)
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or parts.username is not None
    ):
        raise ValueError(value)
    shown_port = f":{port}" if port is not None and port != DEFAULT_PORTS[scheme] else ""
    return f"{scheme}://{host}{shown_port}"
