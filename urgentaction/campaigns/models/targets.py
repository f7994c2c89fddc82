"""An office or person letters go to, with its postal and email address and the pace its
inbox takes letters at."""

import re
import zoneinfo
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from urgentaction.lib.encryption import EncryptedTextField


def validate_timezone(name: str) -> None:
    if name not in zoneinfo.available_timezones():
        raise ValidationError(_("Enter a time zone name such as Europe/London."))


def validate_language(code: str) -> None:
    if not re.fullmatch(r"[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*", code):
        raise ValidationError(_("Enter a language code such as en or ko."))


class Role(models.TextChoices):
    """What a target is on a campaign: whom its letters are addressed to, or whom a copy
    of each goes to."""

    TO = "to", _("addressee")
    COPY = "copy", _("copy")


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
    language = models.CharField(
        _("language"),
        max_length=35,
        default="en",
        validators=[validate_language],
        help_text=_(
            "The language the office reads, as a code: en, ko, fr... The suggested letter is "
            "offered in it when the campaign has the letter in that language."
        ),
    )
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

    def copy_line(self) -> str:
        """The line a copy of a letter carries, in the active language: "Copy to: ..."."""
        return gettext("Copy to: %(name)s") % {"name": self.display_name}

    def address_lines(self) -> list[str]:
        lines = [self.display_name, self.organisation, *self.address.splitlines()]
        lines += [self.postcode, self.country]
        return [line.strip() for line in lines if line and line.strip()]
