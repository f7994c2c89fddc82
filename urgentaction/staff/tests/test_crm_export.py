import csv
import io
from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from urgentaction.actions.tests.factories import ActionFactory
from urgentaction.campaigns.tests.factories import CampaignFactory
from urgentaction.conftest import sign_in_staff
from urgentaction.core.models import AuditEntry
from urgentaction.privacy.rights import erase_supporter
from urgentaction.staff.tests.conftest import CAMPAIGNER_PERMISSIONS, user_with
from urgentaction.supporters.models import Consent, ConsentText

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    return CampaignFactory(slug="free-them")


@pytest.fixture
def exporter():
    client = Client()
    permissions = [*CAMPAIGNER_PERMISSIONS, "supporters.export_supporter"]
    sign_in_staff(client, user_with("exporter", permissions, is_staff=True))
    return client


def url(campaign) -> str:
    return reverse("admin:staff_crm_export", args=[campaign.slug])


def rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_it_exports_who_wrote_how_to_reach_them_and_what_they_agreed_to(exporter, campaign):
    wording = ConsentText.objects.create(wording="Email me news.", details="Now and then.")
    written = datetime(2026, 7, 14, 22, 30, tzinfo=UTC)  # 23:30 in London
    agreed = ActionFactory(
        campaign=campaign,
        first_name="Ada",
        last_name="Lovelace",
        email="ada@people.example",
        address_line2="Flat 2",
        source="newsletter",
        created_at=written,
        wants_updates=True,
    )
    agreed.consent = Consent.objects.create(
        supporter=agreed.supporter,
        email_hash=agreed.supporter.email_hash,
        text=wording,
        method=Consent.Method.ACTION_FORM,
        confirmed_at=timezone.now(),
    )
    agreed.save()
    ActionFactory(
        campaign=campaign,
        first_name="=HYPERLINK(1)",
        channel="post",
        confirmed_at=None,
        created_at=written,
    )
    ActionFactory(created_at=written)  # another campaign's

    response = exporter.get(url(campaign))

    assert response["Content-Disposition"] == 'attachment; filename="free-them-letters.csv"'
    header, first, second = rows(response)
    assert header[:3] == ["First name", "Last name", "Email"]
    assert first == [
        "Ada",
        "Lovelace",
        "ada@people.example",
        "1 High Street",
        "Flat 2",
        "Leeds",
        "LS1 1AA",
        "United Kingdom",
        "email",
        "2026-07-14T23:30:00+01:00",
        "newsletter",
        "yes",
        f"v{wording.pk}",
        "Email me news.\nNow and then.",
        "yes",
    ]
    assert second[0] == "'=HYPERLINK(1)"
    assert (second[8], second[11], second[14]) == ("post", "no", "no")


def test_it_leaves_out_people_who_erased_their_data_and_letters_that_expired(exporter, campaign):
    ActionFactory(campaign=campaign, first_name="Kept")
    erase_supporter(ActionFactory(campaign=campaign, first_name="Erased").supporter)
    ActionFactory(campaign=campaign, first_name="Expired", expired_at=timezone.now())

    names = [row[0] for row in rows(exporter.get(url(campaign)))[1:]]

    assert names == ["Kept"]


def test_each_export_is_written_to_the_audit_log(exporter, campaign):
    rows(exporter.get(url(campaign)))

    entry = AuditEntry.objects.get()
    assert (entry.user.username, entry.kind, entry.subject, entry.detail) == (
        "exporter",
        AuditEntry.Kind.EXPORT,
        "letters CSV for a CRM",
        campaign.title,
    )


def test_it_takes_the_right_to_export_supporters(campaigner_client, outsider_client, campaign):
    ActionFactory(campaign=campaign)

    assert campaigner_client.get(url(campaign)).status_code == 403
    assert outsider_client.get(url(campaign)).status_code == 302
    assert not AuditEntry.objects.exists()
    dashboard = reverse("admin:staff_dashboard", args=[campaign.slug])
    assert url(campaign) not in campaigner_client.get(dashboard).content.decode()


def test_the_dashboard_offers_it_to_staff_who_may_export(exporter, campaign):
    dashboard = reverse("admin:staff_dashboard", args=[campaign.slug])

    assert url(campaign) in exporter.get(dashboard).content.decode()
