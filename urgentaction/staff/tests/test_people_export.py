import csv
import io
from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse

from urgentaction.actions.tests.factories import SupporterFactory
from urgentaction.conftest import sign_in_staff
from urgentaction.core.models import AuditEntry
from urgentaction.privacy.rights import erase_supporter
from urgentaction.staff.tests.conftest import CAMPAIGNER_PERMISSIONS, user_with
from urgentaction.supporters.consent import withdraw
from urgentaction.supporters.models import Consent, ConsentText, Suppression

pytestmark = pytest.mark.django_db

CONFIRMED = datetime(2026, 7, 14, 22, 30, tzinfo=UTC)  # 23:30 in London


@pytest.fixture
def wording():
    return ConsentText.objects.create(wording="Email me news.", details="Now and then.")


@pytest.fixture
def exporter():
    client = Client()
    permissions = [*CAMPAIGNER_PERMISSIONS, "supporters.export_supporter"]
    sign_in_staff(client, user_with("exporter", permissions, is_staff=True))
    return client


def consenting(wording, *, confirmed_at=CONFIRMED, **details):
    person = SupporterFactory(**details)
    Consent.objects.create(
        supporter=person,
        email_hash=person.email_hash,
        text=wording,
        method=Consent.Method.SIGNUP_FORM,
        confirmed_at=confirmed_at,
    )
    return person


def url(layout: str) -> str:
    return reverse("admin:staff_people_export", args=[layout])


def rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_it_lays_people_out_for_civicrms_contact_import(exporter, wording):
    consenting(
        wording,
        first_name="Ada",
        last_name="Lovelace",
        email="ada@people.example",
        address_line2="Flat 2",
    )

    response = exporter.get(url("civicrm"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="people-for-civicrm-')
    assert rows(response) == [
        [
            "First Name",
            "Last Name",
            "Email",
            "Street Address",
            "Supplemental Address 1",
            "City",
            "Postal Code",
            "Country",
            "Contact Source",
            "Consent Date",
            "Consent Wording Version",
        ],
        [
            "Ada",
            "Lovelace",
            "ada@people.example",
            "1 High Street",
            "Flat 2",
            "Leeds",
            "LS1 1AA",
            "United Kingdom",
            "Urgent action site: agreed to updates",
            "2026-07-14T23:30:00+01:00",
            f"v{wording.pk}",
        ],
    ]


def test_it_lays_people_out_for_a_mailchimp_audience_import(exporter, wording):
    consenting(wording, first_name="Ada", last_name="Lovelace", email="ada@people.example")

    response = exporter.get(url("mailchimp"))

    assert rows(response) == [
        ["Email Address", "First Name", "Last Name", "Consent Time", "Consent Wording", "Tags"],
        [
            "ada@people.example",
            "Ada",
            "Lovelace",
            "2026-07-14T23:30:00+01:00",
            f"v{wording.pk}",
            f"consent v{wording.pk}",
        ],
    ]


@pytest.mark.parametrize("layout", ["civicrm", "mailchimp"])
def test_it_leaves_out_people_erased_suppressed_withdrawn_or_unconfirmed(exporter, wording, layout):
    consenting(wording, first_name="Kept", email="kept@people.example")
    erase_supporter(consenting(wording, first_name="Erased"))
    suppressed = consenting(wording, first_name="Suppressed")
    Suppression.objects.create(email_hash=suppressed.email_hash, reason="complaint")
    withdraw(consenting(wording, first_name="Withdrawn"), how="unsubscribe link")
    consenting(wording, first_name="Unconfirmed", confirmed_at=None)
    SupporterFactory(first_name="Never asked")

    found = rows(exporter.get(url(layout)))[1:]

    assert [row for row in found if "kept@people.example" in row] == found
    assert len(found) == 1


def test_each_person_comes_once_with_their_latest_consent(exporter, wording):
    newer = ConsentText.objects.create(wording="Email me news, please.", details="Monthly.")
    person = consenting(wording, email="ada@people.example")
    Consent.objects.create(
        supporter=person,
        email_hash=person.email_hash,
        text=newer,
        method=Consent.Method.PREFERENCES,
        confirmed_at=datetime(2026, 8, 1, 9, 0, tzinfo=UTC),
    )

    [person_row] = rows(exporter.get(url("mailchimp")))[1:]

    assert person_row[3:] == ["2026-08-01T10:00:00+01:00", f"v{newer.pk}", f"consent v{newer.pk}"]


def test_cells_that_look_like_formulas_are_neutralised(exporter, wording):
    consenting(wording, first_name="=HYPERLINK(1)")

    [person_row] = rows(exporter.get(url("civicrm")))[1:]

    assert person_row[0] == "'=HYPERLINK(1)"


@pytest.mark.parametrize(("layout", "system"), [("civicrm", "CiviCRM"), ("mailchimp", "Mailchimp")])
def test_each_download_is_written_to_the_audit_log(exporter, wording, layout, system):
    rows(exporter.get(url(layout)))

    entry = AuditEntry.objects.get()
    assert (entry.user.username, entry.kind, entry.subject) == (
        "exporter",
        AuditEntry.Kind.EXPORT,
        f"people who agreed to updates, CSV for {system}",
    )


def test_it_takes_the_right_to_export_supporters(campaigner_client, outsider_client, wording):
    consenting(wording)

    assert campaigner_client.get(url("civicrm")).status_code == 403
    assert outsider_client.get(url("mailchimp")).status_code == 302
    assert not AuditEntry.objects.exists()


def test_there_is_no_other_layout(exporter):
    assert exporter.get(url("salesforce")).status_code == 404
    assert not AuditEntry.objects.exists()


def test_the_consent_list_offers_both_to_staff_who_may_export(superuser_client):
    page = superuser_client.get(reverse("admin:supporters_consent_changelist"))

    assert url("civicrm") in page.content.decode()
    assert url("mailchimp") in page.content.decode()


def test_the_consent_list_does_not_offer_them_to_staff_who_may_not(db):
    reader = Client()
    sign_in_staff(reader, user_with("reader", ["supporters.view_consent"], is_staff=True))

    page = reader.get(reverse("admin:supporters_consent_changelist"))

    assert page.status_code == 200
    assert url("civicrm") not in page.content.decode()
