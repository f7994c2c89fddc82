import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from urgentaction.campaigns import demo
from urgentaction.campaigns.models import Campaign, LetterTemplate, Target

STAFF_USERNAME = "admin"
# On the reserved example domain: the demo's mail server keeps what is sent to it, such
# as the test of an update that staff send to themselves.
STAFF_EMAIL = "admin@example.org"


class Command(BaseCommand):
    help = (
        "Load the demo urgent action and, on the first run, create a staff account. "
        "Running it again changes nothing."
    )

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        campaign, created = Campaign.objects.get_or_create(
            slug=demo.DEMO_SLUG,
            defaults={
                **demo.CAMPAIGN,
                "status": Campaign.Status.LIVE,
                "deadline": timezone.localdate() + timedelta(days=12),
            },
        )
        if created:
            target, _ = Target.objects.get_or_create(
                email=demo.TARGET["email"], defaults=demo.TARGET
            )
            campaign.targets.add(target)
            LetterTemplate.objects.create(
                campaign=campaign, subject=demo.LETTER_SUBJECT, body=demo.LETTER_BODY
            )
            self.stdout.write(f"Loaded the demo urgent action: /actions/{campaign.slug}/")
        else:
            self.stdout.write("The demo urgent action is already loaded.")
        self._create_staff_account()

    def _create_staff_account(self) -> None:
        User = get_user_model()
        if User.objects.filter(is_staff=True).exists():
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=STAFF_USERNAME, email=STAFF_EMAIL, password=password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created a staff account for /admin/: username {STAFF_USERNAME}, "
                f"password {password} (shown only this once), email {STAFF_EMAIL}."
            )
        )
