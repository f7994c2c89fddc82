"""Signing up for updates: a consent waiting for confirmation, and the email that asks for
it (double opt-in: nothing else is sent until the person confirms)."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from urgentaction.lib.hashing import email_hash
from urgentaction.mailings.emails import in_language, queue_email
from urgentaction.supporters.consent import new_link, record_consent
from urgentaction.supporters.models import AccessLink, Consent, ConsentText, Supporter

SIGNUP_LINK_DAYS = 7


def request_signup_confirmation(consent: Consent) -> None:
    """Double opt-in: nothing is sent to a new subscriber until they confirm."""
    token = new_link(
        purpose=AccessLink.Purpose.CONFIRM_SIGNUP,
        supporter=consent.supporter,
        consent=consent,
        days=SIGNUP_LINK_DAYS,
    )
    with in_language(consent.language):
        url = settings.SITE_URL + reverse("supporters:confirm", kwargs={"token": token})
    queue_email(
        to=consent.supporter.email,
        template="confirm_signup",
        context={"supporter": consent.supporter, "consent": consent, "confirm_url": url},
        language=consent.language,
    )


@transaction.atomic
def sign_up(
    *,
    first_name: str,
    last_name: str,
    email: str,
    text: ConsentText,
    page_url: str,
    language: str = settings.LANGUAGE_CODE,
) -> None:
    """The sign-up form: a consent waiting for confirmation from the inbox. An existing
    person's details change only once they confirm, as with letters."""
    supporter, created = Supporter.objects.get_or_create(
        email_hash=email_hash(email),
        defaults={"email": email, "first_name": first_name, "last_name": last_name},
    )
    if not created and not supporter.email:
        Supporter.objects.filter(pk=supporter.pk).update(
            email=email, first_name=first_name, last_name=last_name
        )
        supporter.refresh_from_db()
    consent = record_consent(
        supporter=supporter,
        text=text,
        method=Consent.Method.SIGNUP_FORM,
        page_url=page_url,
        language=language,
    )
    request_signup_confirmation(consent)
