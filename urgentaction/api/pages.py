"""A campaign's letters a page at a time, in the order they last changed: a keyset over
(updated_at, id) read along the (campaign, updated_at) index, so that a page costs the
same at the millionth letter as at the first. A letter confirmed, reviewed or erased
after it was taken moves to the end, where a sync from ``since`` finds it."""

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
    """Up to ``limit`` letters changed at or after ``since``, or after the position a
    cursor gave; personal fields are read (and decrypted) only when they will be shown. Each
    letter's ``erased`` says nothing of its writer is kept: erasure and expiry blank the
    address."""
    letters = Action.objects.filter(campaign=campaign).annotate(
        erased=ExpressionWrapper(Q(email=""), output_field=BooleanField())
    )
    letters = letters.defer(*UNSHOWN_FIELDS, *(() if personal else Action.PERSONAL_FIELDS))
    if after is not None:
        # A range from the last letter's time (which the index serves), less the letters
        # at that very time already shown.
        letters = letters.filter(updated_at__gte=after.updated_at).exclude(
            updated_at=after.updated_at, pk__lte=after.pk
        )
    elif since is not None:
        letters = letters.filter(updated_at__gte=since)
    return letters.order_by("updated_at", "pk")[:limit]
