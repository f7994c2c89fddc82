"""The question "Did you get a reply?" put to each writer, and their answers."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from urgentaction.actions.models import Action
from urgentaction.campaigns.models import Target
from urgentaction.cases.models.responses import Tenure
from urgentaction.lib.encryption import EncryptedTextField


class Questionnaire(models.Model):
    """ "Did you get a reply?", asked once of a letter's writer 14 days after it went,
    and once more at 21 days if they have not answered (``questionnaire.py``)."""

    action = models.OneToOneField(
        Action, on_delete=models.CASCADE, related_name="questionnaire", verbose_name=_("letter")
    )
    letter_went_at = models.DateTimeField(
        _("letter went"),
        help_text=_("Delivered by email, or sent or posted by the writer (as they told us)."),
    )
    asked_at = models.DateTimeField(_("asked"), default=timezone.now)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("“did you get a reply?” question")
        verbose_name_plural = _("“did you get a reply?” questions")
        ordering = ["-asked_at"]

    def __str__(self) -> str:
        return f"{self.action.campaign} ({self.asked_at:%Y-%m-%d})"


class AnswerQuerySet(models.QuerySet):
    def awaiting_review(self) -> "AnswerQuerySet":
        return self.filter(review=Answer.Review.HELD)

    def published_replies(self) -> "AnswerQuerySet":
        return self.filter(review=Answer.Review.PUBLISHED).exclude(reply="")


class Answer(models.Model):
    """One writer's answer about one target: whether it replied, when, and, if they
    pasted it, the reply itself (encrypted, held for staff, published only if they
    choose)."""

    class Kind(models.TextChoices):
        ANSWERED = "answered", _("Yes, a reply that answered my points")
        EVADED = "evaded", _("Yes, but it did not answer my points")
        NO_REPLY = "no_reply", _("No reply")
        NOT_YET = "not_yet", pgettext_lazy("no reply", "Not yet")
        NOT_EXPECTED = "not_expected", _("I wasn't expecting one")

    REPLIED = (Kind.ANSWERED, Kind.EVADED)

    class Review(models.TextChoices):
        NONE = "", _("Nothing pasted")
        HELD = "held", _("Waiting for review")
        PUBLISHED = "published", pgettext_lazy("a pasted reply", "Published")
        DECLINED = "declined", _("Not published")

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question")
    )
    target = models.ForeignKey(
        Target, on_delete=models.PROTECT, related_name="answers", verbose_name=_("target")
    )
    tenure = models.ForeignKey(
        Tenure, on_delete=models.PROTECT, related_name="answers", verbose_name=_("holder then")
    )
    kind = models.CharField(_("answer"), max_length=15, choices=Kind.choices)
    replied_on = models.DateField(_("reply came on"), null=True, blank=True)
    days_to_reply = models.PositiveIntegerField(
        _("days to reply"), null=True, blank=True, editable=False
    )
    reply = EncryptedTextField(
        _("reply"),
        blank=True,
        help_text=_(
            "As the supporter pasted it. Before publishing, take out anything that names "
            "or points to them."
        ),
    )
    review = models.CharField(
        _("pasted reply"), max_length=10, choices=Review.choices, blank=True, default=Review.NONE
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    created_at = models.DateTimeField(_("answered"), default=timezone.now)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("answer to “did you get a reply?”")
        verbose_name_plural = _("answers to “did you get a reply?”")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "target"], name="one_answer_per_target"
            )
        ]
        indexes = [
            # Pasted replies waiting for review, for the staff home's alert.
            models.Index(
                fields=["review", "created_at"],
                condition=Q(review="held"),
                name="answer_held_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.target.office}: {self.get_kind_display()}"
