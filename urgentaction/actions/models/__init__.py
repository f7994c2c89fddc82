# The dashboards' counters are models of this app, kept in a module of their own.
from urgentaction.actions.counts import LetterCount, TargetCount
from urgentaction.actions.models.action import Action, ActionQuerySet, initials
from urgentaction.actions.models.blocklist import BlockedDomain, BlockedWord
from urgentaction.actions.models.deliveries import (
    WAITING,
    ConfirmationLink,
    Delivery,
    DeliveryQuerySet,
    Digest,
    new_bounce_token,
)

# A letter's review and state, which its model's fields and queries take.
from urgentaction.actions.states import Review, State

__all__ = [
    "WAITING",
    "Action",
    "ActionQuerySet",
    "BlockedDomain",
    "BlockedWord",
    "ConfirmationLink",
    "Delivery",
    "DeliveryQuerySet",
    "Digest",
    "LetterCount",
    "Review",
    "State",
    "TargetCount",
    "initials",
    "new_bounce_token",
]
