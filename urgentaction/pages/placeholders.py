"""Facts a page quotes from the site's configuration, filled in when it is shown, so that
the privacy notice says how long data is really kept rather than what someone once typed."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
# Markdown's punctuation, escaped in a value so that it shows as written.
MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")

PLACEHOLDER_HELP = _(
    "Markdown: # headings, **bold**, [links](https://example.org), lists; no HTML. These "
    "are filled in from the site's settings when the page is shown: {org_name}, "
    "{contact_email}, {site_url}, {letter_retention_days}, {supporter_retention_months}, "
    "{bundle_retention_days}, {confirmation_expiry_days}, {letter_link_days}."
)


def values() -> dict[str, str]:
    return {
        "org_name": settings.ORG_NAME,
        "contact_email": settings.CONTACT_EMAIL,
        "site_url": settings.SITE_URL,
        "letter_retention_days": str(settings.LETTER_RETENTION_DAYS),
        "supporter_retention_months": str(settings.SUPPORTER_RETENTION_MONTHS),
        "bundle_retention_days": str(settings.BUNDLE_RETENTION_DAYS),
        "confirmation_expiry_days": str(settings.CONFIRMATION_EXPIRY_DAYS),
        "letter_link_days": str(settings.LETTER_LINK_DAYS),
    }


def _is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def fill(text: str, known: dict[str, str] | None = None) -> str:
    """``text`` with each known ``{name}`` replaced by its value; unknown names and unset
    settings (an empty CONTACT_EMAIL) are left as written, for staff to see and mend."""
    known = values() if known is None else known

    def value(match: re.Match) -> str:
        name = match.group(1)
        if not known.get(name):
            return match.group(0)
        if name == "contact_email" and _is_email(known[name]):
            return f"<{known[name]}>"  # a link that opens an email to it
        return MARKDOWN_PUNCTUATION.sub(r"\\\1", known[name])

    return PLACEHOLDER.sub(value, text)
