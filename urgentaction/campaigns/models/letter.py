"""The suggested letter, filled in from each target."""

import re

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from urgentaction.campaigns.models.campaign import Campaign
from urgentaction.campaigns.models.targets import Target

# What a suggested letter may say in braces, filled in from each target.
PLACEHOLDERS = {
    "salutation": _("the target's salutation, e.g. Dear Foreign Secretary"),
    "office": _("the office, e.g. Foreign Secretary"),
    "name": _("the name of the person who holds it now"),
}
PLACEHOLDER = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")


class LetterTemplate(models.Model):
    """The suggested letter. ``{salutation}``, ``{office}`` and ``{name}`` are filled in
    from the target; the supporter's name and address are added as the signature."""

    campaign = models.OneToOneField(
        Campaign, on_delete=models.CASCADE, related_name="letter", verbose_name=_("campaign")
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(
        _("letter"),
        help_text=_(
            "Start with {salutation}; end with the sign-off (e.g. Yours sincerely). "
            "The supporter's name and address are added below it."
        ),
    )

    class Meta:
        verbose_name = _("letter template")
        verbose_name_plural = _("letter templates")

    def __str__(self) -> str:
        return self.subject

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        # The campaign's cached pages, and what web processes keep of it for letters
        # (actions/kept.py), are keyed by its updated_at.
        Campaign.objects.filter(pk=self.campaign_id).update(updated_at=timezone.now())

    def render_body(self, targets: list[Target]) -> str:
        """The body as offered to supporters; shared words when there are several targets."""
        if len(targets) == 1:
            target = targets[0]
            values = {
                "salutation": target.salutation,
                "office": target.office,
                "name": target.holder,
            }
        else:
            values = {
                "salutation": str(_("Dear Sir or Madam")),
                "office": ", ".join(t.office for t in targets),
                "name": "",
            }
        return PLACEHOLDER.sub(lambda match: values[match.group(1)], self.body)
