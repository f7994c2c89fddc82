"""A campaign: one urgent action's page, with its story, its targets, how letters may be
sent, its languages and its outcome."""

import re
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from urgentaction.campaigns.models.choices import Channel, OutcomeKind
from urgentaction.campaigns.models.references import (
    give_reference,
    keep_first_publication,
)
from urgentaction.campaigns.models.targets import Target
from urgentaction.campaigns.photos import photo_name, srcset, store_photo, validate_photo
from urgentaction.lib.origin import web_origin


def validate_origins(value: object) -> None:
    """A list of web origins, each written as a browser writes it (lib/origin.py)."""
    if not isinstance(value, list):
        raise ValidationError(_("Enter one web address on each line."))
    for origin in value:
        try:
            ok = isinstance(origin, str) and web_origin(origin) == origin
        except ValueError:
            ok = False
        if not ok:
            raise ValidationError(
                _("“%(origin)s” is not a site's address like https://partner.example.org."),
                params={"origin": origin},
            )


class CampaignQuerySet(models.QuerySet):
    def live(self) -> "CampaignQuerySet":
        return self.filter(status=Campaign.Status.LIVE)

    def public(self) -> "CampaignQuerySet":
        return self.exclude(status=Campaign.Status.DRAFT)

    def past_deadline(self, today: date) -> "CampaignQuerySet":
        """Live campaigns whose deadline has passed: to close, or to give a new date."""
        return self.live().filter(deadline__lt=today)

    def most_urgent_first(self) -> "CampaignQuerySet":
        return self.order_by(F("deadline").asc(nulls_last=True), "-published_at")

    def in_case(self, campaign: "Campaign") -> "CampaignQuerySet":
        """The campaigns of ``campaign``'s case: the first and its follow-ups."""
        case = campaign.case_id
        return self.filter(Q(pk=case) | Q(follow_up_of=case))

    def newest_first(self) -> "CampaignQuerySet":
        """A case's campaigns: its follow-ups, the latest first (a draft, not numbered
        yet, before them all), then the case itself."""
        return self.order_by(
            F("follow_up_of").asc(nulls_last=True),
            F("follow_up_number").desc(nulls_first=True),
            "-pk",
        )

    def with_outcome(self) -> "CampaignQuerySet":
        """Published cases whose outcome staff recorded, the latest first: one page each,
        the case's first (its follow-ups show the same outcome)."""
        return (
            self.public()
            .exclude(outcome_kind="")
            .exclude(follow_up_of__outcome_kind__gt="")
            .order_by(F("outcome_date").desc(nulls_last=True), "-pk")
        )


class Campaign(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        LIVE = "live", _("Live")
        CLOSED = "closed", _("Closed")

    slug = models.SlugField(_("web address"), max_length=100, unique=True)
    title = models.CharField(
        _("title"),
        max_length=200,
        help_text=_("States the ask, e.g. 'Stop the forced return of...'"),
    )
    summary = models.CharField(_("summary"), max_length=400, help_text=_("One sentence."))
    story = models.TextField(_("case story"), help_text=_("Paragraphs separated by a blank line."))
    quote = models.TextField(_("pull quote"), blank=True)
    quote_attribution = models.CharField(_("quote by"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    photo = models.FileField(
        _("photo"),
        upload_to=photo_name,
        blank=True,
        validators=[validate_photo],
        help_text=_(
            "Optional: a JPEG, PNG or WebP of 5 MB or less. It is stored upright and resized "
            "for the web, without where and when it was taken, or by whom."
        ),
    )
    photo_alt = models.CharField(
        _("what the photo shows"),
        max_length=300,
        blank=True,
        help_text=_("For people who cannot see it, e.g. 'Lee holding a photo of his son'."),
    )
    # The photo for narrow screens, SMALL_WIDTH wide, when the photo is wider.
    photo_small = models.FileField(upload_to=photo_name, blank=True, editable=False)
    photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    urgency_note = models.CharField(
        _("urgency"),
        max_length=200,
        blank=True,
        help_text=_("e.g. Time is running out: they could be sent back any day."),
    )
    # Recorded by staff with cases.outcomes.record_outcome, which closes the campaign and
    # cancels its letters not yet delivered; the kind and date can be corrected after.
    outcome_kind = models.CharField(
        _("kind of outcome"), max_length=20, choices=OutcomeKind.choices, blank=True
    )
    outcome_date = models.DateField(_("date of the outcome"), null=True, blank=True)
    outcome = models.TextField(
        _("outcome"), blank=True, help_text=_("Shown on the page once the campaign is closed.")
    )
    safety_advice = models.TextField(
        _("safety advice"),
        blank=True,
        help_text=_(
            "Shown beside the form, e.g. 'If you have family in China or North Korea, "
            "consider signing with your initials, and do not mention them.'"
        ),
    )
    reply_email = models.EmailField(
        _("address for replies"),
        blank=True,
        help_text=_(
            "Where offices' replies to letters signed with initials go, for staff to pass "
            "on. Empty: REPLIES_EMAIL."
        ),
    )
    thank_you = models.TextField(
        _("after sending"),
        blank=True,
        help_text=_(
            "Shown on the thank-you page after a supporter sends their letter, e.g. what "
            "happens next in the case, or another way to help."
        ),
    )
    # The targets' roles: ``targets`` are whom the letter is addressed to (Role.TO),
    # ``copy_targets`` get a copy of it (Role.COPY).
    targets = models.ManyToManyField(Target, related_name="campaigns", verbose_name=_("targets"))
    copy_targets = models.ManyToManyField(
        Target,
        related_name="copied_on",
        blank=True,
        verbose_name=_("send a copy to"),
        help_text=_(
            "Each gets a copy of every letter, with a line that says so: by email, or "
            "printed with their own address. For example the country's ambassador."
        ),
    )
    offers_email = models.BooleanField(_("offer sending by email through this site"), default=True)
    offers_mail_app = models.BooleanField(
        _("offer sending from the supporter's own email"), default=True
    )
    offers_post = models.BooleanField(_("offer printing and posting"), default=True)
    goal = models.PositiveIntegerField(_("goal"), null=True, blank=True)
    requires_confirmation = models.BooleanField(
        _("supporters confirm their email before their letter goes"),
        default=True,
        help_text=_("Stops anyone sending letters in someone else's name."),
    )
    allow_template_letters = models.BooleanField(
        _("send letters that are the suggested text unchanged"),
        default=False,
        help_text=_(
            "Off: letters that barely change the suggested text, or nearly copy another "
            "letter, are held for review (offices discount identical letters)."
        ),
    )
    test_mode = models.BooleanField(
        _("test mode"),
        default=False,
        help_text=_("Send every letter to the test address instead of the targets."),
    )
    test_email = models.EmailField(_("test address"), blank=True)
    action_count = models.PositiveIntegerField(_("actions taken"), default=0, editable=False)
    # When action_count last changed: the campaign page shows the count, and its cached
    # copies say when they last changed (Last-Modified), without a change of updated_at.
    counted_at = models.DateTimeField(_("last counted"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    publish_at = models.DateTimeField(
        _("publish at"),
        null=True,
        blank=True,
        help_text=_("A draft goes live by itself at this time (if it has a letter and a target)."),
    )
    close_at = models.DateTimeField(
        _("close at"),
        null=True,
        blank=True,
        help_text=_("A live campaign closes by itself at this time."),
    )
    published_languages = models.JSONField(
        _("translations published"),
        default=list,
        blank=True,
        help_text=_(
            "Languages besides the default that supporters may read the campaign in. One "
            "shows only once its translation is complete."
        ),
    )
    follow_up_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
        # Only a published case, never a follow-up itself: a case's follow-ups hang
        # from the case, and number FI 1, FI 2... among themselves.
        limit_choices_to={"reference_number__isnull": False, "follow_up_of__isnull": True},
        verbose_name=_("follow-up of"),
        help_text=_(
            "Publish this campaign as further information on an earlier case: it takes "
            "that case's reference, with the next follow-up number (FI 1, FI 2...), and "
            "everyone who wrote on the case is told once it is published. It cannot "
            "change once the campaign has been published."
        ),
    )
    # Given at first publication (references.py), never changed: "UA 12/26".
    reference_prefix = models.CharField(
        _("reference prefix"), max_length=20, blank=True, editable=False
    )
    reference_year = models.PositiveSmallIntegerField(
        _("reference year"), null=True, blank=True, editable=False
    )
    reference_number = models.PositiveIntegerField(
        _("reference number"), null=True, blank=True, editable=False
    )
    follow_up_number = models.PositiveSmallIntegerField(
        _("follow-up number"), null=True, blank=True, editable=False
    )
    letter_in_supporters_language = models.BooleanField(
        _("offer the letter in the supporter's language"),
        default=False,
        help_text=_(
            "Off: the suggested letter is in the language the targets read, when the "
            "campaign has it in that language. On: in the language of the page."
        ),
    )
    embed_origins = models.JSONField(
        _("sites that may show it"),
        default=list,
        blank=True,
        validators=[validate_origins],
        help_text=_(
            "One on each line, e.g. https://partner.example.org: the only sites whose pages "
            "may show the action inside them. None: no site may."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["reference_year", "reference_number"],
                condition=Q(follow_up_of=None),
                name="one_case_per_reference",
            ),
            models.UniqueConstraint(
                fields=["follow_up_of", "follow_up_number"], name="one_follow_up_per_number"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        """Publishing for the first time dates the campaign and gives it its reference."""
        if self.status == self.Status.LIVE and self.published_at is None:
            self.published_at = timezone.now()
        store_photo(self)
        with transaction.atomic():
            if self.pk is not None:
                keep_first_publication(self)
            super().save(*args, **kwargs)
            if self.status == self.Status.LIVE:
                give_reference(self)

    def get_absolute_url(self) -> str:
        return reverse("campaigns:detail", kwargs={"slug": self.slug})

    @property
    def photo_srcset(self) -> str:
        return srcset(self)

    @property
    def replies_to(self) -> str:
        """The organisation's address that replies to letters signed with initials reach."""
        return self.reply_email or settings.REPLIES_EMAIL

    def clean(self) -> None:
        errors = {}
        if self.test_mode and not self.test_email:
            errors["test_email"] = _("Enter the address test letters go to.")
        if self.photo and not self.photo_alt.strip():
            errors["photo_alt"] = _("Say what the photo shows, for people who cannot see it.")
        if self.publish_at and self.status != self.Status.DRAFT:
            errors["status"] = _(
                "A campaign to publish later stays a draft until then: choose Draft, or clear "
                "the time to publish at."
            )
        if self.publish_at and self.close_at and self.close_at <= self.publish_at:
            errors["close_at"] = _("Choose a time to close after the time to publish.")
        if self.reference_number is not None and self.follow_up_of_id != self._stored_case():
            errors["follow_up_of"] = _(
                "A published campaign keeps its reference: it cannot become, or stop being, "
                "a follow-up. Duplicate it to start a follow-up."
            )
        if self.outcome_kind and self.status != self.Status.CLOSED:
            errors["status"] = _(
                "A case whose outcome is recorded stays closed: its letters were cancelled."
            )
        if self.outcome_kind and not self.outcome_date:
            errors["outcome_date"] = _("Enter the date of the outcome.")
        if errors:
            raise ValidationError(errors)

    def _stored_case(self) -> int | None:
        return type(self).objects.filter(pk=self.pk).values_list("follow_up_of", flat=True).first()

    @property
    def case_id(self) -> int | None:
        """The first campaign of this one's case (itself, unless it is a follow-up)."""
        return self.follow_up_of_id or self.pk

    @property
    def case_reference(self) -> str:
        """The case's reference, "UA 12/26", which its follow-ups share; empty until the
        campaign is first published."""
        if self.reference_number is None:
            return ""
        number = f"{self.reference_number}/{self.reference_year % 100:02d}"
        return f"{self.reference_prefix} {number}" if self.reference_prefix else number

    @property
    def reference(self) -> str:
        """This campaign's own reference: "UA 12/26", or a follow-up's "UA 12/26 FI 1"."""
        if self.follow_up_number is None:
            return self.case_reference
        return _("%(reference)s FI %(number)s") % {
            "reference": self.case_reference,
            "number": self.follow_up_number,
        }

    @property
    def is_live(self) -> bool:
        return self.status == self.Status.LIVE

    @property
    def has_outcome(self) -> bool:
        """Staff recorded what became of the case: nothing of it is sent any more."""
        return bool(self.outcome_kind)

    def channels(self) -> list[str]:
        offered = {
            Channel.EMAIL: self.offers_email,
            Channel.MAIL_APP: self.offers_mail_app,
            Channel.POST: self.offers_post,
        }
        return [channel for channel, on in offered.items() if on]

    def story_paragraphs(self) -> list[str]:
        return [part.strip() for part in re.split(r"\n\s*\n", self.story) if part.strip()]
