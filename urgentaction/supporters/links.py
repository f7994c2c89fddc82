"""Long-lived links in every update email: unsubscribe (RFC 8058 one-click) and the
preference page. They are signed, not stored: a token names one supporter, cannot be
turned into another's, and needs no login or code."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from urgentaction.supporters.models import Supporter

UNSUBSCRIBE_SALT = "urgentaction.supporters.unsubscribe"
PREFERENCES_SALT = "urgentaction.supporters.preferences"


def _token(supporter: Supporter, salt: str) -> str:
    # The keyed hash ties the token to the address, not only to the row. No timestamp:
    # the same address always gets the same link, which never expires.
    return signing.Signer(salt=salt).sign_object([supporter.pk, supporter.email_hash[:16]])


def _supporter(token: str, salt: str) -> Supporter | None:
    try:
        pk, hashed = signing.Signer(salt=salt).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    supporter = Supporter.objects.filter(pk=pk).first()
    if supporter is None or supporter.email_hash[:16] != hashed or not supporter.email:
        return None
    return supporter


def unsubscribe_url(supporter: Supporter) -> str:
    token = _token(supporter, UNSUBSCRIBE_SALT)
    return settings.SITE_URL + reverse("supporters:unsubscribe", kwargs={"token": token})


def preferences_url(supporter: Supporter) -> str:
    token = _token(supporter, PREFERENCES_SALT)
    return settings.SITE_URL + reverse("supporters:preferences", kwargs={"token": token})


def supporter_to_unsubscribe(token: str) -> Supporter | None:
    return _supporter(token, UNSUBSCRIBE_SALT)


def supporter_for_preferences(token: str) -> Supporter | None:
    return _supporter(token, PREFERENCES_SALT)
