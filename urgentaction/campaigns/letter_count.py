"""A campaign's count of letters on its cached pages. The count moves with every letter
in a busy hour, the rest of the page only when staff edit it: so the page is stored
without the count, with a mark where each count goes, and the count is filled in as the
page is served, from the campaign's row that serving reads anyway."""

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from urgentaction.campaigns.models import Campaign
from urgentaction.lib.public_pages import Fresh

# How the count is shown, by the name of the mark a page leaves for it.
SHOWN = {
    "count": "campaigns/includes/count.html",
    "thanked": "campaigns/includes/thanked.html",
}


def mark(name: str) -> SafeString:
    return mark_safe(f"<!--letter-count:{name}-->")  # noqa: S308


def shown(name: str, campaign: Campaign) -> str:
    """The count as the page shows it in ``name``'s place, in the current language."""
    return render_to_string(SHOWN[name], {"campaign": campaign})


def fresh(campaign: Campaign) -> Fresh:
    """The count as a page served from the cache shows it (``lib/public_pages.py``)."""
    return Fresh(
        version=str(campaign.action_count),
        changed=campaign.counted_at,
        fill=lambda html: fill(html, campaign),
    )


def fill(html: bytes, campaign: Campaign) -> bytes:
    for name in SHOWN:
        marked = mark(name).encode()
        if marked in html:
            html = html.replace(marked, shown(name, campaign).encode())
    return html
