import re
import zoneinfo
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from urgentaction.campaigns.photos import photo_name, store_photo, validate_photo
from urgentaction.lib.encryption import EncryptedTextField

# What a suggested letter may say in braces, filled in from each target.
PLACEHOLDERS = {
    "salutation": _("the target's salutation, e.g. Dear Foreign Secretary"),
    "office": _("the office, e.g. Foreign Secretary"),
    "name": _("the name of the person who holds it now"),
}
PLACEHOLDER = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")


class Channel(models.TextChoices):
    """How a supporter sends their letter."""

    EMAIL = "email", _("Send it for me by email")
    MAIL_APP = "mail_app", _("Open it in my email app")
    POST = "post", _("Print it and post it")


def validate_timezone(name: str) -> None:
    if name not in zoneinfo.available_timezones():
        raise ValidationError(_("Enter a time zone name such as Europe/London."))


class TargetQuerySet(models.QuerySet):
    def flagged(self) -> "TargetQuerySet":
        """Targets whose address keeps failing, for staff to check."""
        return self.exclude(flagged_at=None)


class Target(models.Model):
    """Whom a letter is addressed to: an office ("Foreign Secretary") outlives any holder."""

    class Mode(models.TextChoices):
        EACH = "each", _("Each letter as its own email")
        DAILY = "daily", _("One digest email a day")

    office = models.CharField(_("office"), max_length=200, help_text=_("e.g. Foreign Secretary"))
    holder = models.CharField(
        _("holder"), max_length=200, blank=True, help_text=_("The person who holds the office now.")
    )
    salutation = models.CharField(
        _("salutation"), max_length=200, help_text=_("e.g. Dear Foreign Secretary")
    )
    organisation = models.CharField(
        _("organisation"), max_length=200, blank=True, help_text=_("e.g. Foreign Office")
    )
    address = models.TextField(
        _("postal address"), help_text=_("Street address, one line per line, without the postcode.")
    )
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True)
    email = models.EmailField(_("email address"))
    why = models.CharField(
        _("why this person"),
        max_length=300,
        blank=True,
        help_text=_("One line on why supporters should write to this person."),
    )
    hourly_cap = models.PositiveIntegerField(
        _("letters per hour"),
        null=True,
        blank=True,
        default=30,
        help_text=_("At most this many letters in any hour, evenly spread; empty for no limit."),
    )
    sending_from = models.TimeField(_("send from"), null=True, blank=True)
    sending_until = models.TimeField(
        _("send until"),
        null=True,
        blank=True,
        help_text=_("Optional office hours, in the target's time zone, when letters may arrive."),
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default=settings.TIME_ZONE, validators=[validate_timezone]
    )
    mode = models.CharField(_("delivery"), max_length=10, choices=Mode.choices, default=Mode.EACH)
    next_send_at = models.DateTimeField(_("next letter may go at"), null=True, editable=False)
    next_digest_at = models.DateTimeField(_("next digest due"), null=True, editable=False)
    hard_failures = models.PositiveIntegerField(_("failed deliveries in a row"), default=0)
    flagged_at = models.DateTimeField(
        _("address flagged"),
        null=True,
        blank=True,
        help_text=_("Set when letters keep failing: check the address, then clear this."),
    )
    # Mail servers quote addresses in their replies: encrypted like the deliveries' copy.
    last_failure = EncryptedTextField(_("last failure"), blank=True)

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["office", "holder"]

    def __str__(self) -> str:
        return f"{self.office} ({self.holder})" if self.holder else self.office

    @property
    def display_name(self) -> str:
        return f"{self.office} {self.holder}".strip()

    @property
    def send_interval(self) -> timedelta | None:
        """The gap between two letters that spreads the hourly cap evenly."""
        return timedelta(seconds=3600 / self.hourly_cap) if self.hourly_cap else None

    def next_opening(self, moment: datetime) -> datetime:
        """The first moment at or after ``moment`` inside the target's sending hours."""
        if self.sending_from is None or self.sending_until is None:
            return moment
        zone = zoneinfo.ZoneInfo(self.time_zone)
        local = moment.astimezone(zone)
        start, end = self.sending_from, self.sending_until
        now = local.time()
        inside = start <= now < end if start < end else now >= start or now < end
        if inside:
            return moment
        opening = local.replace(hour=start.hour, minute=start.minute, second=0, microsecond=0)
        if opening <= local:
            opening += timedelta(days=1)
        return opening

    def closing(self, moment: datetime) -> datetime | None:
        """When the sending hours that ``moment`` falls in end; None without sending hours.
        (``moment`` must be inside them.)"""
        start, end = self.sending_from, self.sending_until
        if start is None or end is None or start == end:
            return None
        local = moment.astimezone(zoneinfo.ZoneInfo(self.time_zone))
        day = local.date()
        if start > end and local.time() >= start:
            day += timedelta(days=1)  # hours that cross midnight end tomorrow
        return datetime.combine(day, end, tzinfo=local.tzinfo)

    def queue_finish(self, start: datetime, letters: int) -> datetime:
        """When the last of ``letters`` waiting letters will go, at this target's pace and
        within its sending hours: worked out a day of sending hours at a time, so that a
        queue of a million costs no more than one of ten."""
        moment = self.next_opening(start).astimezone(UTC)
        interval = self.send_interval
        left = letters - 1  # after the one that goes at ``moment``
        while interval is not None and left > 0:
            closing = self.closing(moment)
            if closing is None:
                return moment + interval * left
            # Letters go at moment + k * interval while that is before the closing: the
            # k from 1 up to the ceiling of room / interval, less one, in whole microseconds.
            room = closing.astimezone(UTC) - moment
            fit = -(-room // interval) - 1
            if left <= fit:
                return moment + interval * left
            left -= fit + 1
            moment = self.next_opening(moment + interval * (fit + 1)).astimezone(UTC)
        return moment

    def expected_send(self, place: int, *, now: datetime) -> datetime:
        """When the letter at ``place`` in this target's queue (1: the next to go) should
        go, at its pace and within its sending hours, counted from ``now``."""
        return self.queue_finish(max(self.next_send_at or now, now), place)

    def address_lines(self) -> list[str]:
        lines = [self.display_name, self.organisation, *self.address.splitlines()]
        lines += [self.postcode, self.country]
        return [line.strip() for line in lines if line and line.strip()]


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
            "Optional: a JPEG, PNG or WebP of 5 MB or less. Where and when it was taken, and "
            "by whom, is removed before it is stored."
        ),
    )
    photo_alt = models.CharField(
        _("what the photo shows"),
        max_length=300,
        blank=True,
        help_text=_("For people who cannot see it, e.g. 'Lee holding a photo of his son'."),
    )
    photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    urgency_note = models.CharField(
        _("urgency"),
        max_length=200,
        blank=True,
        help_text=_("e.g. Time is running out: they could be sent back any day."),
    )
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
    targets = models.ManyToManyField(Target, related_name="campaigns", verbose_name=_("targets"))
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
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        if self.status == self.Status.LIVE and self.published_at is None:
            self.published_at = timezone.now()
        store_photo(self)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("campaigns:detail", kwargs={"slug": self.slug})

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
        if errors:
            raise ValidationError(errors)

    @property
    def is_live(self) -> bool:
        return self.status == self.Status.LIVE

    def channels(self) -> list[str]:
        offered = {
            Channel.EMAIL: self.offers_email,
            Channel.MAIL_APP: self.offers_mail_app,
            Channel.POST: self.offers_post,
        }
        return [channel for channel, on in offered.items() if on]

    def story_paragraphs(self) -> list[str]:
        return [part.strip() for part in re.split(r"\n\s*\n", self.story) if part.strip()]


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
