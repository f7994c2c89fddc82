"""Events that partners' systems hear of (the API's webhooks, docs/api.md).

The app where a thing happens calls ``emit`` inside the transaction that makes it happen,
naming the objects it concerns. The app that tells others, at the top of the house,
registers a listener at start-up (``listen``) and records what it will send as rows in
that same transaction: an event is kept exactly when its change is, and nothing is sent
from here. A lower app thus announces what happened without importing the app that
passes it on.
"""

from collections.abc import Callable
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    ACTION_CREATED = "action.created", _("action.created: a letter was written")
    ACTION_CONFIRMED = (
        "action.confirmed",
        _("action.confirmed: a letter was confirmed (or needed no confirmation)"),
    )
    LETTER_DELIVERED = (
        "letter.delivered",
        _("letter.delivered: a copy of a letter reached its target's mail server"),
    )
    LETTER_FAILED = "letter.failed", _("letter.failed: a copy of a letter will not arrive")
    SIGNUP_CONFIRMED = (
        "signup.confirmed",
        _("signup.confirmed: someone confirmed their consent to updates"),
    )
    PERSON_UNSUBSCRIBED = (
        "person.unsubscribed",
        _("person.unsubscribed: someone withdrew their consent to updates"),
    )
    PERSON_ERASED = "person.erased", _("person.erased: someone's data was erased")


Listener = Callable[[str, dict[str, Any]], object]

_listeners: list[Listener] = []


def listen(listener: Listener) -> None:
    """Have ``listener(event, about)`` called for every event, in the emitter's
    transaction."""
    if listener not in _listeners:
        _listeners.append(listener)


def emit(event: Event, **about: Any) -> None:
    """Tell the listeners that ``event`` happened to the objects in ``about`` (each event
    names its own: docs/api.md). Call it inside the transaction that makes the change."""
    for listener in _listeners:
        listener(event, about)
