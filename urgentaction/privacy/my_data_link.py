"""The link to a person's data, emailed to whoever typed in their address at /my-data/."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from urgentaction.mailings.emails import in_language, queue_email
from urgentaction.privacy.models import MyDataRequest
from urgentaction.supporters.consent import new_link
from urgentaction.supporters.models import AccessLink, Supporter

MY_DATA_LINK_DAYS = 1
BATCH = 100


def answer_my_data_requests() -> int:
    """Email a link to each address asked for that we hold anything for, and forget every
    request; return how many were answered. Deleting a request claims it: another worker
    that deletes nothing leaves it alone."""
    answered = 0
    for request in MyDataRequest.objects.order_by("pk")[:BATCH]:
        with transaction.atomic():
            if MyDataRequest.objects.filter(pk=request.pk).delete()[0]:
                email_my_data_link(email=request.email, language=request.language)
                answered += 1
    return answered


@transaction.atomic
def email_my_data_link(*, email: str, language: str = settings.LANGUAGE_CODE) -> None:
    """Email ``email`` a link to its data, if we hold any and no link sent lately waits
    in its inbox."""
    supporter = Supporter.objects.with_email(email).exclude(email="").first()
    purpose = AccessLink.Purpose.MY_DATA
    if supporter is None or AccessLink.objects.sent_lately(email=email, purpose=purpose).exists():
        return
    token = new_link(purpose=purpose, supporter=supporter, days=MY_DATA_LINK_DAYS)
    with in_language(language):
        url = settings.SITE_URL + reverse("privacy:my_data_open", kwargs={"token": token})
    queue_email(
        to=supporter.email,
        template="my_data_link",
        context={"supporter": supporter, "url": url},
        language=language,
    )
