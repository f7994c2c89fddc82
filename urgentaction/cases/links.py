"""The link in every case notice that stops a person's notices about that case: signed,
not stored. A token names one person and one case, cannot be turned into another's,
and expires, so that a link kept in an old mailbox or a log stops working."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from urgentaction.campaigns.models import Campaign
from urgentaction.supporters.models import Supporter

STOP_SALT = "urgentaction.cases.stop"
# Long enough to outlast the months between one follow-up and the next: each notice
# carries a fresh link.
STOP_LINK_AGE = timedelta(days=365)


@dataclass(frozen=True)
class StopRequest:
    supporter: Supporter
    case: Campaign


def stop_url(supporter: Supporter, case: Campaign) -> str:
    """In the language active where it is made (the notice's)."""
    # The keyed hash ties the token to the address, not only to the row.
    token = signing.TimestampSigner(salt=STOP_SALT).sign_object(
        [supporter.pk, supporter.email_hash[:16], case.case_id]
    )
    return settings.SITE_URL + reverse("cases:stop", kwargs={"token": token})


def read_stop_token(token: str) -> StopRequest | None:
    """Whom and which case ``token`` names; None for a forged, altered or expired one,
    or one whose person has since been erased."""
    try:
        pk, hashed, case_id = signing.TimestampSigner(salt=STOP_SALT).unsign_object(
            token, max_age=STOP_LINK_AGE
        )
    except (signing.BadSignature, ValueError, TypeError):
        return None
    supporter = Supporter.objects.filter(pk=pk).first()
    case = Campaign.objects.filter(pk=case_id).first()
    if supporter is None or case is None or not supporter.email:
        return None
    if supporter.email_hash[:16] != hashed:
        return None
    return StopRequest(supporter=supporter, case=case)
