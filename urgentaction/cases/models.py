from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from urgentaction.actions.models import Action
from urgentaction.campaigns.models import Campaign, Target
from urgentaction.cases.documents import document_name, store_document, validate_document
from urgentaction.lib.encryption import EncryptedTextField
from urgentaction.mailings.models import OutboundEmail
from urgentaction.supporters.models import Supporter


class OutcomeRecord(models.Model):
    """Staff recording a case's outcome: who did it and when, the letters it cancelled,
    and how far its email to everyone who wrote has got. What the outcome is (its kind,
    date and words) belongs to the campaign, whose pages show it."""

    class Status(models.TextChoices):
        SENDING = "sending", _("Telling everyone who wrote")
        SENT = "sent", _("Everyone who wrote was told")

    campaign = models.OneToOneField(
        Campaign,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("campaign"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    letters_cancelled = models.PositiveIntegerField(_("letters cancelled"), default=0)
    emails_cancelled = models.PositiveIntegerField(
        _("emails to targets cancelled"),
        default=0,
        help_text=_("A letter to two targets and a copy target is three emails."),
    )
    status = models.CharField(
        _("outcome email"), max_length=10, choices=Status.choices, default=Status.SENDING
    )
    told = models.PositiveIntegerField(_("people told"), default=0)
    finished_at = models.DateTimeField(_("everyone told"), null=True, blank=True)

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"{self.campaign}: {self.campaign.get_outcome_kind_display()}"


class LetterFate(models.TextChoices):
    """What became of a writer's own letter, as their outcome email tells it."""

    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled: the case ended first")
    FAILED = "failed", _("Could not be delivered")
    OWN = "own", _("Sent by the writer themselves")


class OutcomeEmail(models.Model):
    """One person told of an outcome: one email each, however many letters they wrote on
    the case, however often the job that queues them runs."""

    record = models.ForeignKey(
        OutcomeRecord, on_delete=models.CASCADE, related_name="emails", verbose_name=_("outcome")
    )
    supporter = models.ForeignKey(
        Supporter, on_delete=models.CASCADE, related_name="+", verbose_name=_("supporter")
    )
    email = models.OneToOneField(
        OutboundEmail, on_delete=models.CASCADE, related_name="+", verbose_name=_("email")
    )
    letter = models.CharField(_("their letter"), max_length=10, choices=LetterFate.choices)

    class Meta:
        verbose_name = _("outcome email")
        verbose_name_plural = _("outcome emails")
        constraints = [
            models.UniqueConstraint(fields=["record", "supporter"], name="one_outcome_email_each")
        ]

    def __str__(self) -> str:
        return f"{self.record} → {self.supporter_id}"


class TenureQuerySet(models.QuerySet):
    def covering(self, moment: datetime) -> "TenureQuerySet":
        """The tenures that ``moment`` falls in (one per target)."""
        return self.filter(
            Q(since=None) | Q(since__lte=moment), Q(until=None) | Q(until__gt=moment)
        )

    def public(self) -> "TenureQuerySet":
        """Tenures of targets that a published campaign writes to."""
        public = Campaign.objects.public().filter(targets=OuterRef("target"))
        return self.filter(Exists(public))


class Tenure(models.Model):
    """Who held a target's office, and from when to when: letters, answers and replies
    are counted for the person who held the office when the letter went. The worker
    notices a new holder within a minute of staff recording them (``tenures.py``)."""

    target = models.ForeignKey(
        Target, on_delete=models.CASCADE, related_name="tenures", verbose_name=_("target")
    )
    holder = models.CharField(_("holder"), max_length=200, blank=True)
    since = models.DateTimeField(
        _("since"), null=True, blank=True, help_text=_("Empty: from the first letter.")
    )
    until = models.DateTimeField(
        _("until"), null=True, blank=True, help_text=_("Empty: holds the office now.")
    )

    objects = TenureQuerySet.as_manager()

    class Meta:
        verbose_name = _("tenure")
        verbose_name_plural = _("tenures")
        ordering = ["target", models.F("since").asc(nulls_first=True)]
        constraints = [
            models.UniqueConstraint(
                fields=["target"], condition=Q(until=None), name="one_current_tenure_per_target"
            )
        ]

    def __str__(self) -> str:
        return f"{self.target.office} ({self.holder})" if self.holder else self.target.office


class ResponseQuerySet(models.QuerySet):
    def published(self) -> "ResponseQuerySet":
        return self.filter(published=True).order_by("-received_on", "-pk")


class TargetResponse(models.Model):
    """A target's response to a case, logged by staff: a letter or email back, a public
    statement, a meeting. Shown on the case's pages and the target's page once staff
    say it may be published."""

    class Channel(models.TextChoices):
        LETTER = "letter", _("Letter")
        EMAIL = "email", _("Email")
        STATEMENT = "statement", _("Public statement")
        MEETING = "meeting", _("Meeting")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="responses", verbose_name=_("case")
    )
    target = models.ForeignKey(
        Target, on_delete=models.PROTECT, related_name="responses", verbose_name=_("from")
    )
    holder = models.CharField(
        _("holder at the time"),
        max_length=200,
        blank=True,
        help_text=_("Who held the office when it responded. Empty: who holds it now."),
    )
    received_on = models.DateField(_("date"))
    channel = models.CharField(_("how"), max_length=10, choices=Channel.choices)
    summary = models.TextField(
        _("summary"), help_text=_("A few sentences, in your words: what they said or did.")
    )
    text = models.TextField(
        _("full text"), blank=True, help_text=_("Their words, as they sent or said them.")
    )
    document = models.FileField(
        _("PDF"),
        upload_to=document_name,
        blank=True,
        validators=[validate_document],
        help_text=_(
            "Optional: the response as a PDF of 10 MB or less. Its author, dates and other "
            "hidden details are removed before it is stored."
        ),
    )
    published = models.BooleanField(
        _("may be published"),
        default=False,
        help_text=_("Shown on the case's page and the target's page."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
        verbose_name=_("logged by"),
    )
    created_at = models.DateTimeField(_("logged"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("response from a target")
        verbose_name_plural = _("responses from targets")
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.target.office}, {self.received_on:%Y-%m-%d}"

    def save(self, *args, **kwargs) -> None:
        if not self.holder:
            self.holder = self.target.holder
        store_document(self)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        name = self.document.name
        if name:
            transaction.on_commit(lambda: default_storage.delete(name))
        return super().delete(*args, **kwargs)

    def clean(self) -> None:
        theirs = self.campaign_id and self.target_id
        if theirs and not self.campaign.targets.filter(pk=self.target_id).exists():
            raise ValidationError({"target": _("Choose one of the case's targets.")})


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
