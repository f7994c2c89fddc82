"""A supporter's letter (an action), and the questions asked of many letters at once (its
query set)."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from urgentaction.actions.models.deliveries import WAITING, Delivery
from urgentaction.actions.states import STATE_ROWS, Review, State, state_of
from urgentaction.campaigns.models import Campaign, Channel, Role
from urgentaction.lib.encryption import EncryptedEmailField, EncryptedTextField
from urgentaction.lib.outbox import OutboxStatus
from urgentaction.supporters.models import Supporter


def initials(name: str) -> str:
    """ "Ada King Lovelace" -> "A. K. L." (the first letter of each word, in any script)."""
    return " ".join(f"{word[0]}." for word in name.split())


class ActionQuerySet(models.QuerySet):
    def update(self, **fields) -> int:
        """Every change to letters marks them changed (``updated_at``), which a CRM syncing
        through the API reads from: confirming, reviewing, expiring, erasing all come
        through here, as ``save()`` does through ``auto_now``."""
        fields.setdefault("updated_at", timezone.now())
        return super().update(**fields)

    def held(self) -> "ActionQuerySet":
        return self.filter(review=Review.HELD)

    def awaiting_confirmation(self) -> "ActionQuerySet":
        return self.filter(channel=Channel.EMAIL, confirmed_at=None, expired_at=None)

    # Actions not expired unconfirmed (one may still await confirmation).
    CURRENT = Q(expired_at=None)

    def current(self) -> "ActionQuerySet":
        return self.filter(self.CURRENT)

    def standing(self) -> "ActionQuerySet":
        """Letters that count: confirmed, or sent or posted by the supporter themselves."""
        return self.current().filter(Q(confirmed_at__isnull=False) | ~Q(channel=Channel.EMAIL))

    def with_deliveries(self) -> "ActionQuerySet":
        """Each with whether any copy to its addressees is waiting to go, has gone, or has
        failed (for Action.state), asked of each row on its own: no grouping, so a list
        still counts its rows cheaply."""
        copies = Delivery.objects.filter(action=OuterRef("pk"), role=Role.TO)
        return self.annotate(
            copies_waiting=Exists(copies.filter(status__in=WAITING)),
            copies_sent=Exists(copies.filter(status=OutboxStatus.SENT)),
            copies_failed=Exists(copies.filter(status=OutboxStatus.FAILED)),
            copies_cancelled=Exists(copies.filter(status=OutboxStatus.CANCELLED)),
        )

    def in_state(self, state: State) -> "ActionQuerySet":
        """Letters whose ``state`` is this one (needs ``with_deliveries()``)."""
        return self.filter(STATE_ROWS[state])


class Action(models.Model):
    """One supporter's letter to a campaign's targets, exactly as they submitted it."""

    # What identifies its writer or is their words: blanked on expiry, erasure, retention.
    PERSONAL_FIELDS = (
        "subject",
        "body",
        "first_name",
        "last_name",
        "email",
        "address_line1",
        "address_line2",
        "town",
        "postcode",
        "country",
        "source",
        "referrer",
    )

    # No index of its own: the campaign's indexes below start with it (one page less
    # written a letter).
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.PROTECT,
        related_name="actions",
        verbose_name=_("campaign"),
        db_index=False,
    )
    supporter = models.ForeignKey(
        Supporter, on_delete=models.PROTECT, related_name="actions", verbose_name=_("supporter")
    )
    form_token = models.UUIDField(
        _("form token"), unique=True, editable=False, help_text=_("Makes resubmits harmless.")
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    subject = EncryptedTextField(_("subject"), max_length=200)
    body = EncryptedTextField(_("letter"))
    first_name = EncryptedTextField(_("first name"), max_length=100)
    last_name = EncryptedTextField(_("last name"), max_length=100)
    email = EncryptedEmailField(_("email address"), max_length=254)
    address_line1 = EncryptedTextField(_("address line 1"), max_length=200)
    address_line2 = EncryptedTextField(_("address line 2"), max_length=200, blank=True)
    town = EncryptedTextField(_("town or city"), max_length=100)
    postcode = EncryptedTextField(_("postcode"), max_length=20, blank=True)
    country = EncryptedTextField(_("country"), max_length=100)
    wants_updates = models.BooleanField(_("asked for updates"), default=False)
    initials_only = models.BooleanField(
        _("signed with initials only"),
        default=False,
        help_text=_(
            "The office sees only the writer's initials and town; replies come to the "
            "campaign's address for staff to pass on."
        ),
    )
    consent = models.ForeignKey(
        "supporters.Consent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("consent to updates"),
        db_index=False,
    )
    # The language of the page they wrote on: their emails are in it. The letter's own
    # language can differ (the one its office reads): its printed date and layout follow it.
    language = models.CharField(_("language"), max_length=35, default=settings.LANGUAGE_CODE)
    letter_language = models.CharField(
        _("language of the letter"), max_length=35, default=settings.LANGUAGE_CODE
    )
    source = EncryptedTextField(_("source"), max_length=100, blank=True)
    referrer = EncryptedTextField(_("referrer"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("written"), default=timezone.now, db_index=True)
    # Kept by save() and ActionQuerySet.update() on every change.
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    expired_at = models.DateTimeField(
        _("expired"), null=True, blank=True, help_text=_("Never confirmed; its letter was deleted.")
    )
    repeat_notified_at = models.DateTimeField(_("told of a repeat"), null=True, blank=True)
    review = models.CharField(
        _("review"), max_length=10, choices=Review.choices, blank=True, default=Review.NONE
    )
    held_reasons = models.JSONField(_("why it was held"), default=list, blank=True)
    fingerprint = models.JSONField(
        _("fingerprint"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("A sketch of the supporter's own words, to spot near copies."),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
        db_index=False,
    )
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    counted_at = models.DateTimeField(_("counted"), null=True, blank=True, editable=False)
    delivered_at = models.DateTimeField(
        _("first delivered"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the first copy reached a target's mail server."),
    )
    reported_sent_at = models.DateTimeField(
        _("supporter said they sent it"),
        null=True,
        blank=True,
        help_text=_("For letters supporters send or post themselves: counted from then."),
    )

    objects = ActionQuerySet.as_manager()

    class Meta:
        # A supporter's action is a letter, in the words of the staff who read the list.
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["-created_at"]
        indexes = [
            # The latest letters of a campaign (near-copy check, exports) without a sort.
            models.Index(fields=["campaign", "created_at"], name="action_campaign_time_idx"),
            # A campaign's letters changed since a time, for a CRM's incremental sync.
            models.Index(fields=["campaign", "updated_at"], name="action_campaign_changed_idx"),
            # Letters waiting for review, and the oldest, for the staff home's alert, read
            # from the index alone.
            models.Index(
                fields=["review", "created_at"],
                condition=Q(review="held"),
                name="action_held_idx",
            ),
            # Most letters have neither: only those that do are indexed, so that a new
            # letter writes no page of these (the letters of a consent or a reviewer,
            # which deleting either looks up).
            models.Index(
                fields=["consent"], condition=Q(consent__isnull=False), name="action_consent_idx"
            ),
            models.Index(
                fields=["reviewed_by"],
                condition=Q(reviewed_by__isnull=False),
                name="action_reviewed_by_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "supporter"],
                condition=Q(expired_at=None),
                name="one_action_per_supporter_per_campaign",
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}: {self.campaign}"

    def save(self, *args, **kwargs) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "updated_at"}
        super().save(*args, **kwargs)

    @property
    def sender_name(self) -> str:
        """The name the office sees: the writer's initials only, if they asked."""
        if self.initials_only:
            return initials(f"{self.first_name} {self.last_name}")
        return f"{self.first_name} {self.last_name}"

    def sender_address_lines(self) -> list[str]:
        if self.initials_only:
            lines = [self.town]
        else:
            lines = [self.address_line1, self.address_line2, self.town, self.postcode]
            lines.append(self.country)
        return [line for line in lines if line]

    @property
    def is_erased(self) -> bool:
        """Its writer erased their data (or its letter expired): nothing of it may go."""
        return not (self.email and self.body)

    @property
    def awaiting_confirmation(self) -> bool:
        return (
            self.channel == Channel.EMAIL and self.confirmed_at is None and self.expired_at is None
        )

    @property
    def state(self) -> str:
        """Where the letter is, in one plain phrase (needs ``with_deliveries()``)."""
        return state_of(self).label

    def signed_body(self) -> str:
        """The letter as it goes out: the case's reference, the supporter's words, then
        their name and address."""
        signature = "\n".join([self.sender_name, *self.sender_address_lines()])
        letter = f"{self.body.rstrip()}\n\n{signature}\n"
        reference = self.reference_line()
        return f"{reference}\n\n{letter}" if reference else letter

    def reference_line(self) -> str:
        """The line above the salutation that names the case, "Reference: UA 12/26", in
        the letter's language; empty for a campaign not yet published."""
        with translation.override(self.letter_language):
            reference = self.campaign.reference
            if not reference:
                return ""
            return gettext("Reference: %(reference)s") % {"reference": reference}
