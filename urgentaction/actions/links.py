"""The private link to a supporter's printable letter, which the thank-you page gives and
the letters app's download view reads."""

from django.core import signing
from django.urls import reverse

from urgentaction.actions.models import Action

LETTER_LINK_SALT = "urgentaction.letters.download"


def letter_url(action: Action) -> str:
    """Signed, so it cannot be guessed or turned into another supporter's; it expires
    after LETTER_LINK_DAYS (checked where it is read)."""
    token = signing.dumps(action.pk, salt=LETTER_LINK_SALT)
    return reverse("letters:download", kwargs={"token": token})


def letter_in_link(token: str, *, max_age_seconds: int) -> int | None:
    """The id of the action a letter link names; None if forged or expired."""
    try:
        return signing.loads(token, salt=LETTER_LINK_SALT, max_age=max_age_seconds)
    except signing.BadSignature:
        return None
