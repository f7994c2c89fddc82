from html import escape

import pytest
from django.contrib.admin.templatetags.admin_list import result_headers
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from urgentaction.actions.models import Action
from urgentaction.actions.tests.factories import DeliveryFactory
from urgentaction.campaigns.models import Campaign
from urgentaction.campaigns.tests.factories import TargetFactory
from urgentaction.conftest import sign_in_staff
from urgentaction.core.models import AuditEntry
from urgentaction.mailings.emails import queue_email

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "campaigns_campaign",
    "campaigns_target",
    "campaigns_lettertemplate",
    "supporters_supporter",
    "actions_action",
    "actions_delivery",
    "actions_digest",
    "mailings_outboundemail",
    "supporters_consent",
    "supporters_consenttext",
    "supporters_suppression",
    "letters_handinbundle",
    "mailings_update",
    "core_auditentry",
    "pages_page",
]


@pytest.fixture
def staff_client(client):
    user = get_user_model().objects.create_superuser("staff", "staff@org.example", "pw-for-tests")
    sign_in_staff(client, user)
    return client


@pytest.mark.parametrize("name", CHANGELISTS)
def test_staff_can_browse_and_search_every_list(staff_client, name):
    DeliveryFactory()

    response = staff_client.get(reverse(f"admin:{name}_changelist"), {"q": "a"})

    assert response.status_code == 200


@pytest.mark.parametrize(
    "name", ["supporters_supporter", "actions_action", "actions_delivery", "mailings_outboundemail"]
)
def test_staff_find_a_persons_records_by_their_full_email_address(staff_client, name):
    mine, theirs = DeliveryFactory(), DeliveryFactory()
    queue_email(to=mine.action.email, template="letter_received", context={}, action=mine.action)
    queue_email(to=theirs.action.email, template="letter_received", context={}, action=None)
    url = reverse(f"admin:{name}_changelist")

    found = staff_client.get(url, {"q": f" {mine.action.email.upper()} "}).context["cl"]

    assert found.result_count == 1
    assert staff_client.get(url, {"q": "nobody@people.example"}).context["cl"].result_count == 0
    # The audit log records the search, but not the address searched for.
    details = " ".join(AuditEntry.objects.values_list("detail", flat=True)).lower()
    assert "people.example" not in details and "people%40example" not in details


@pytest.mark.parametrize("name", CHANGELISTS)
def test_an_outsider_is_sent_to_log_in(client, name):
    user = get_user_model().objects.create_user("outsider", "out@people.example", "pw-for-tests")
    client.force_login(user)

    response = client.get(reverse(f"admin:{name}_changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.fixture
def staff_without_permissions(client):
    sign_in_staff(client, get_user_model().objects.create_user("intern", is_staff=True))
    return client


@pytest.mark.parametrize("name", CHANGELISTS)
def test_staff_without_the_permission_are_refused_every_list(staff_without_permissions, name):
    response = staff_without_permissions.get(reverse(f"admin:{name}_changelist"))

    assert response.status_code == 403


def test_staff_without_the_permission_see_no_ones_records(staff_without_permissions):
    delivery = DeliveryFactory()
    email = queue_email(to="a@people.example", template="letter_received", context={})
    records = [
        ("supporters_supporter", delivery.action.supporter.pk),
        ("actions_action", delivery.action.pk),
        ("actions_delivery", delivery.pk),
        ("mailings_outboundemail", email.pk),
    ]

    for name, pk in records:
        response = staff_without_permissions.get(reverse(f"admin:{name}_change", args=[pk]))
        assert response.status_code == 403, name
    assert not AuditEntry.objects.exists()


def test_staff_see_the_full_message_of_a_delivery(staff_client):
    delivery = DeliveryFactory()

    html = staff_client.get(
        reverse("admin:actions_delivery_change", args=[delivery.pk])
    ).content.decode()

    assert f"Message-ID: {escape(delivery.message_id)}" in html
    assert "Reply-To: Ada Lovelace &lt;" in html
    assert "Please act now." in html


def test_staff_see_that_an_erased_persons_letter_has_no_message(staff_client):
    delivery = DeliveryFactory()
    Action.objects.filter(pk=delivery.action_id).update(email="", body="")

    response = staff_client.get(reverse("admin:actions_delivery_change", args=[delivery.pk]))

    assert response.status_code == 200
    assert "None: its writer erased their data." in response.content.decode()


def test_staff_can_publish_a_campaign_with_its_letter(staff_client):
    target = TargetFactory()

    response = staff_client.post(
        reverse("admin:campaigns_campaign_add"),
        {
            "title_en_gb": "Free the journalists",
            "slug": "free-the-journalists",
            "summary_en_gb": "Three journalists are held without charge.",
            "story_en_gb": "They were arrested at dawn.",
            "targets": [target.pk],
            "offers_email": "on",
            "letter-TOTAL_FORMS": "1",
            "letter-INITIAL_FORMS": "0",
            "letter-MIN_NUM_FORMS": "1",
            "letter-MAX_NUM_FORMS": "1",
            "letter-0-subject_en_gb": "Release them",
            "letter-0-body_en_gb": "{salutation}\n\nRelease them now.\n\nYours sincerely",
        },
    )

    assert response.status_code == 302, response.context["adminform"].errors
    campaign = Campaign.objects.get(slug="free-the-journalists")
    assert campaign.status == Campaign.Status.DRAFT
    staff_client.post(
        reverse("admin:campaigns_campaign_publish", args=[campaign.pk]), {"publish": "1"}
    )
    campaign.refresh_from_db()
    assert campaign.published_at is not None
    assert campaign.letter.subject == "Release them"
    assert staff_client.get(campaign.get_absolute_url()).status_code == 200


def test_staff_see_each_targets_queue_and_when_it_will_be_done(staff_client):
    target = TargetFactory(hourly_cap=30, office="Home Secretary")
    for _ in range(3):
        DeliveryFactory(action__campaign__targets=[target], target=target)
    DeliveryFactory(target=target, action__campaign__targets=[target], status="failed")

    html = staff_client.get(reverse("admin:campaigns_target_changelist")).content.decode()

    row = html[html.index("Home Secretary") :]
    assert '<td class="field-queued">3</td>' in row
    assert '<td class="field-failed">1</td>' in row
    assert '<td class="field-expected_finish">' in row


def test_staff_can_find_targets_whose_letters_keep_failing(staff_client):
    TargetFactory(office="Working office")
    TargetFactory(office="Broken office", flagged_at=timezone.now())

    html = staff_client.get(reverse("admin:campaigns_target_changelist"), {"address": "flagged"})

    assert "Broken office" in html.content.decode()
    assert "Working office" not in html.content.decode()


def test_looking_at_personal_data_is_written_to_the_audit_log(staff_client):
    delivery = DeliveryFactory()

    staff_client.get(reverse("admin:supporters_supporter_changelist"), {"q": "ada"})
    staff_client.get(reverse("admin:actions_action_change", args=[delivery.action_id]))
    staff_client.get(reverse("admin:campaigns_campaign_changelist"))

    entries = list(
        AuditEntry.objects.order_by("pk").values_list("user__username", "kind", "subject", "detail")
    )
    assert entries == [
        ("staff", "view_list", "supporters", "q=ada"),
        ("staff", "view", f"letter {delivery.action_id}", ""),
    ]


def test_it_writes_deleting_personal_records_to_the_audit_log(staff_client):
    in_bulk, alone = DeliveryFactory(), DeliveryFactory()

    staff_client.post(
        reverse("admin:actions_delivery_changelist"),
        {"action": "delete_selected", "_selected_action": [in_bulk.pk], "post": "yes"},
    )
    staff_client.post(reverse("admin:actions_delivery_delete", args=[alone.pk]), {"post": "yes"})

    deletions = AuditEntry.objects.filter(kind=AuditEntry.Kind.DELETE).order_by("pk")
    assert list(deletions.values_list("user__username", "subject")) == [
        ("staff", f"delivery {in_bulk.pk}"),
        ("staff", f"delivery {alone.pk}"),
    ]


def test_nobody_can_edit_the_audit_log(staff_client):
    response = staff_client.get(reverse("admin:core_auditentry_add"))

    assert response.status_code == 403


def test_staff_cannot_edit_a_supporters_address_out_of_step_with_its_hash(staff_client):
    supporter = DeliveryFactory().action.supporter
    url = reverse("admin:supporters_supporter_change", args=[supporter.pk])

    html = staff_client.get(url).content.decode()

    assert supporter.email in html
    assert 'name="email"' not in html and 'name="last_name"' not in html
    assert staff_client.get(reverse("admin:supporters_supporter_add")).status_code == 403


@pytest.mark.parametrize(
    ("name", "encrypted"),
    [("supporters_supporter", ["email", "town", "country"]), ("mailings_outboundemail", ["to"])],
)
def test_encrypted_columns_are_not_offered_for_sorting(staff_client, name, encrypted):
    DeliveryFactory()

    changelist = staff_client.get(reverse(f"admin:{name}_changelist")).context["cl"]

    columns = zip(changelist.list_display, result_headers(changelist), strict=True)
    headers = {field: header["sortable"] for field, header in columns}
    assert not any(headers[field] for field in encrypted)
    assert headers["created_at"]
