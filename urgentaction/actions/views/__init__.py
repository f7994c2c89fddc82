"""The supporter's path through a campaign: its page (page.py), the letter sent from it
(submit.py), and the thank-you and confirmation pages (thanks.py)."""

from urgentaction.actions.views.page import (
    campaign_page,
    page_campaigns,
    page_response,
    page_version,
    sections,
)
from urgentaction.actions.views.submit import (
    as_now,
    send_letter,
    shown_after,
    submit,
    takes_letters,
)
from urgentaction.actions.views.thanks import (
    THANKS_SALT,
    confirm_letter,
    sent_it,
    thanks,
    thanks_context,
)

__all__ = [
    "THANKS_SALT",
    "as_now",
    "campaign_page",
    "confirm_letter",
    "page_campaigns",
    "page_response",
    "page_version",
    "sections",
    "send_letter",
    "sent_it",
    "shown_after",
    "submit",
    "takes_letters",
    "thanks",
    "thanks_context",
]
