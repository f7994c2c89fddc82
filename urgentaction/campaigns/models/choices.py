"""The choices a campaign is made of: how letters may be sent, and what became of a case."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """How a supporter sends their letter."""

    EMAIL = "email", _("Send it for me by email")
    MAIL_APP = "mail_app", _("Open it in my email app")
    POST = "post", _("Print it and post it")


class OutcomeKind(models.TextChoices):
    """What became of the people a case is about."""

    RELEASED = "released", _("Released")
    ALLOWED_TO_LEAVE = "allowed_to_leave", _("Allowed to leave or resettled")
    CHARGES_DROPPED = "charges_dropped", _("Charges dropped")
    SENTENCE_REDUCED = "sentence_reduced", _("Sentence reduced")
    STAY_OF_EXECUTION = "stay_of_execution", _("Stay of execution")
    SENTENCED = "sentenced", _("Sentenced")
    RETURNED = "returned", _("Returned or repatriated")
    DIED_IN_CUSTODY = "died_in_custody", _("Died in custody")
    NO_CHANGE = "no_change", _("No change")
    UNKNOWN = "unknown", _("Unknown")
