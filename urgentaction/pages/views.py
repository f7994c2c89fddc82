import hashlib

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from urgentaction.lib.public_pages import is_anonymous, public_page
from urgentaction.pages import placeholders
from urgentaction.pages.markdown import render as render_markdown
from urgentaction.pages.models import Page


@require_http_methods(["GET", "HEAD"])
def page(request: HttpRequest, slug: str) -> HttpResponse:
    """A page of the organisation's, cacheable like the campaign pages. Staff also see
    pages not yet published, to check them first."""
    staff = not is_anonymous(request) and request.user.is_staff
    pages = Page.objects.all() if staff else Page.objects.published()
    shown = get_object_or_404(pages, slug=slug)
    # The settings a page quotes change only with a restart, but the shared cache outlives
    # one: they are part of the version.
    quoted = hashlib.sha256(repr(sorted(placeholders.values().items())).encode()).hexdigest()
    return public_page(
        request,
        version=f"{shown.updated_at.timestamp()}|{quoted[:16]}",
        last_modified=shown.updated_at,
        build=lambda: render(
            request, "pages/page.html", {"page": shown, "body_html": render_markdown(shown.body)}
        ),
    )
