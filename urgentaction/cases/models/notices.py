"""Follow-ups announced to the people who wrote on a case, and their way to stop them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from urgentaction.campaigns.models import Campaign
from urgentaction.mailings.models import OutboundEmail
from urgentaction.supporters.models import Supporter


class FollowUpAnnouncement(models.Model):
    """Telling everyone who wrote on a case that a follow-up of it is published: one
    notice each, queued batch by batch by the worker (notices.py)."""

    follow_up = models.OneToOneField(
        Campaign,
        on_delete=models.CASCADE,
        related_name="announcement",
        verbose_name=_("follow-up"),
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("everyone queued"), null=True, blank=True)

    class Meta:
        verbose_name = _("case notice")
        verbose_name_plural = _("case notices")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.follow_up.reference}: {self.follow_up}"


class CaseNotice(models.Model):
    """One person told of one follow-up: the record that they were, so that nobody is
    told twice, however often the worker runs."""

    announcement = models.ForeignKey(
        FollowUpAnnouncement, on_delete=models.CASCADE, related_name="notices"
    )
    supporter = models.ForeignKey(Supporter, on_delete=models.CASCADE, related_name="case_notices")
    email = models.OneToOneField(
        OutboundEmail,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case_notice",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "supporter"], name="one_notice_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.announcement} → {self.supporter_id}"


class CaseOptOut(models.Model):
    """A person who asked to hear no more about one case (the link in its notices)."""

    supporter = models.ForeignKey(Supporter, on_delete=models.CASCADE, related_name="case_opt_outs")
    case = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="opt_outs", verbose_name=_("case")
    )
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)

    class Meta:
        verbose_name = _("request to hear no more about a case")
        verbose_name_plural = _("requests to hear no more about a case")
        constraints = [
            models.UniqueConstraint(fields=["supporter", "case"], name="one_opt_out_per_case")
        ]

    def __str__(self) -> str:
        return f"{self.case.case_reference} ({self.created_at:%Y-%m-%d})"
