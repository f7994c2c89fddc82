"""A campaign's letters a page at a time, in the order they were taken: a keyset over
(created_at, id) read along the (campaign, created_at) index, so that a page costs the
same at the millionth letter as at the first."""

from datetime import datetime

from django.db.models import BooleanField, ExpressionWrapper, Q

from urgentaction.actions.models import Action, ActionQuerySet
from urgentaction.api.cursor import Position
from urgentaction.campaigns.models import Campaign

# Never shown through the API: why a letter was held, and the sketch of its words.
UNSHOWN_FIELDS = ("held_reasons", "fingerprint")


def letters_page(
    campaign: Campaign,
    *,
    since: datetime | None,
    after: Position | None,
    limit: int,
    personal: bool,
) -> ActionQuerySet:
    """Up to ``limit`` letters taken at or after ``since``, or after the position a cursor
    gave; personal fields are read (and decrypted) only when they will be shown. Each
    letter's ``erased`` says nothing of its writer is kept: erasure and expiry blank the
    address."""
    letters = Action.objects.filter(campaign=campaign).annotate(
        erased=ExpressionWrapper(Q(email=""), output_field=BooleanField())
    )
    letters = letters.defer(*UNSHOWN_FIELDS, *(() if personal else Action.PERSONAL_FIELDS))
    if after is not None:
        # A range from the last letter's time (which the index serves), less the letters
        # at that very time already shown.
        letters = letters.filter(created_at__gte=after.created_at).exclude(
            created_at=after.created_at, pk__lte=after.pk
        )
    elif since is not None:
        letters = letters.filter(created_at__gte=since)
    return letters.order_by("created_at", "pk")[:limit]
