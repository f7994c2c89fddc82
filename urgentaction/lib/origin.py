"""Cross-site form posts refused without a per-visitor token in the page (which would
make the page uncacheable): browsers say where a POST comes from."""

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
