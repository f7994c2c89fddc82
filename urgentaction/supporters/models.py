from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from urgentaction.lib.encryption import EncryptedEmailField, EncryptedTextField
from urgentaction.lib.hashing import email_hash


class SupporterQuerySet(models.QuerySet):
    def with_email(self, email: str) -> "SupporterQuerySet":
        return self.filter(email_hash=email_hash(email))

    def subscribed(self) -> "SupporterQuerySet":
        """People who confirmed a consent to updates and have not withdrawn it."""
        return (
            self.filter(consents__confirmed_at__isnull=False, consents__withdrawn_at=None)
            .exclude(email_hash__in=Suppression.objects.values("email_hash"))
            .distinct()
        )

    def reachable(self) -> "SupporterQuerySet":
        """People we may still email about what they did (news of a case they wrote on),
        without their consent to updates: not erased or anonymised, not suppressed, and
        not unsubscribed (a consent withdrawn, and none in force since)."""
        withdrawn = Consent.objects.filter(
            supporter=models.OuterRef("pk"), withdrawn_at__isnull=False
        )
        active = Consent.objects.active().filter(supporter=models.OuterRef("pk"))
        return (
            self.exclude(email="")
            .exclude(email_hash__in=Suppression.objects.values("email_hash"))
            .exclude(models.Exists(withdrawn) & ~models.Exists(active))
        )

    def with_language(self) -> "SupporterQuerySet":
        """Each with ``language``: that of their latest consent still in force, in which
        their updates go."""
        latest = Consent.objects.active().filter(supporter=models.OuterRef("pk"))
        return self.annotate(
            language=models.Subquery(latest.order_by("-given_at", "-pk").values("language")[:1])
        )


class Supporter(models.Model):
    """A person who has acted or signed up, recognised by a keyed hash of their email."""

    # What a supporter gives with each letter, and we keep the latest of.
    DETAIL_FIELDS = (
        "first_name",
        "last_name",
        "address_line1",
        "address_line2",
        "town",
        "postcode",
        "country",
    )

    email_hash = models.CharField(_("email hash"), max_length=64, unique=True, editable=False)
    email = EncryptedEmailField(_("email address"), max_length=254)
    first_name = EncryptedTextField(_("first name"), max_length=100)
    last_name = EncryptedTextField(_("last name"), max_length=100)
    address_line1 = EncryptedTextField(_("address line 1"), max_length=200, blank=True)
    address_line2 = EncryptedTextField(_("address line 2"), max_length=200, blank=True)
    town = EncryptedTextField(_("town or city"), max_length=100, blank=True)
    postcode = EncryptedTextField(_("postcode"), max_length=20, blank=True)
    country = EncryptedTextField(_("country"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = SupporterQuerySet.as_manager()

    class Meta:
        verbose_name = _("supporter")
        verbose_name_plural = _("supporters")
        ordering = ["-created_at"]
        # Lists of signatories and hand-in bundles take names and addresses off the site.
        permissions = [("export_supporter", _("Can export supporters' names and addresses"))]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class ConsentTextQuerySet(models.QuerySet):
    def newest_first(self) -> "ConsentTextQuerySet":
        return self.order_by("-pk")

    def current(self) -> "ConsentText | None":
        return self.newest_first().first()


class ConsentText(models.Model):
    """The words next to a sign-up box. Versions never change once saved: staff write a
    new version, and every consent records the version its person saw."""

    wording = models.TextField(
        _("wording"),
        help_text=_(
            "Next to the box on every campaign and on the sign-up page, so about the "
            "organisation's work, not one case: e.g. 'Yes, email me news of our urgent "
            "actions and how I can help.'"
        ),
    )
    details = models.TextField(
        _("details"),
        help_text=_("Under the box: what is sent, how often, by whom, and that they can leave."),
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    objects = ConsentTextQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent wording")
        verbose_name_plural = _("consent wordings")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"v{self.pk}: {self.wording[:60]}"

    @property
    def full_text(self) -> str:
        return f"{self.wording}\n{self.details}"


class ConsentQuerySet(models.QuerySet):
    def active(self) -> "ConsentQuerySet":
        return self.filter(confirmed_at__isnull=False, withdrawn_at=None)


class Consent(models.Model):
    """One person's agreement to receive updates: who, when, the words they saw, where
    and how; confirmed from their inbox; withdrawn when they leave. Records are kept
    (a new sign-up is a new record), so the history can be shown."""

    class Method(models.TextChoices):
        ACTION_FORM = "action_form", _("Box on an action form")
        SIGNUP_FORM = "signup_form", _("Sign-up form")
        PREFERENCES = "preferences", _("Preference page")

    supporter = models.ForeignKey(
        Supporter, on_delete=models.CASCADE, related_name="consents", verbose_name=_("supporter")
    )
    email_hash = models.CharField(_("email hash"), max_length=64, db_index=True, editable=False)
    text = models.ForeignKey(ConsentText, on_delete=models.PROTECT, verbose_name=_("wording shown"))
    method = models.CharField(_("how"), max_length=20, choices=Method.choices)
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("campaign"),
    )
    page_url = models.CharField(_("page"), max_length=500, blank=True)
    # The language the wording was shown in, and the one updates are sent to them in.
    language = models.CharField(_("language"), max_length=35, default=settings.LANGUAGE_CODE)
    given_at = models.DateTimeField(_("given"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_how = models.CharField(_("withdrawn how"), max_length=40, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at"]

    def __str__(self) -> str:
        return f"{self.supporter} ({self.get_method_display()}, {self.given_at:%Y-%m-%d})"


class Suppression(models.Model):
    """An address we must never email again with updates, kept only as a keyed hash so
    that it stays suppressed after its owner is erased."""

    email_hash = models.CharField(max_length=64, unique=True)
    reason = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppressed addresses")

    def __str__(self) -> str:
        return f"{self.email_hash[:12]}… ({self.reason})"


class AccessLinkQuerySet(models.QuerySet):
    def sent_lately(self, *, email: str, purpose: str) -> "AccessLinkQuerySet":
        """Links for ``purpose`` emailed to ``email`` in the last LINK_RESEND_MINUTES and
        not used up: while one waits in the inbox, no other is sent."""
        since = timezone.now() - timedelta(minutes=settings.LINK_RESEND_MINUTES)
        return self.filter(
            supporter__email_hash=email_hash(email), purpose=purpose, created_at__gte=since
        )


class AccessLink(models.Model):
    """A single-use link emailed to a supporter: to confirm a sign-up, or to see and
    erase their data. Only a hash of its token is stored."""

    class Purpose(models.TextChoices):
        CONFIRM_SIGNUP = "confirm_signup", _("Confirm a sign-up")
        MY_DATA = "my_data", _("See or erase my data")

    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    supporter = models.ForeignKey(Supporter, on_delete=models.CASCADE, related_name="links")
    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    objects = AccessLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("access link")
        verbose_name_plural = _("access links")

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.created_at:%Y-%m-%d})"
