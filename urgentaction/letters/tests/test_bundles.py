import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from urgentaction.actions.tests.factories import ActionFactory
from urgentaction.campaigns.models import Channel
from urgentaction.campaigns.tests.factories import CampaignFactory, TargetFactory
from urgentaction.conftest import sign_in_staff
from urgentaction.core.models import AuditEntry
from urgentaction.letters.documents import build_bundle, remove_old_bundles
from urgentaction.letters.models import HandInBundle
from urgentaction.letters.tasks import make_bundle_job, requeue_forgotten_bundles
from urgentaction.privacy.rights import erase_supporter

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    return CampaignFactory(
        title="Free the three",
        targets=[TargetFactory(office="Minister A"), TargetFactory(office="Minister B")],
    )


def letters(campaign, count: int, **fields) -> list:
    return [
        ActionFactory(
            campaign=campaign, first_name=f"Writer{n}", body=f"Letter number {n}.", **fields
        )
        for n in range(count)
    ]


def build(campaign, **fields) -> HandInBundle:
    bundle = HandInBundle.objects.create(campaign=campaign, **fields)
    assert make_bundle_job.call(bundle.pk)
    bundle.refresh_from_db()
    assert bundle.status == HandInBundle.Status.READY, bundle.error
    return bundle


def pdf_pages(bundle: HandInBundle) -> list[str]:
    return [page.extract_text() for page in PdfReader(bundle.path).pages]


def test_a_bundle_has_a_cover_and_every_letter_to_every_target(campaign):
    letters(campaign, 3)

    bundle = build(campaign)

    pages = pdf_pages(bundle)
    assert (bundle.letters, bundle.pages, len(pages)) == (6, 7, 7)
    assert "Free the three" in pages[0]
    assert "every target of the campaign" in pages[0]
    assert "Letters 6" in pages[0]
    for n in range(3):
        assert sum(f"Letter number {n}." in page for page in pages) == 2


def test_a_bundle_can_be_for_one_target_and_some_dates(campaign):
    old, _recent = letters(campaign, 2)
    old.created_at = timezone.now() - timedelta(days=10)
    old.save()
    minister_b = campaign.targets.get(office="Minister B")

    bundle = build(
        campaign, target=minister_b, written_from=timezone.localdate() - timedelta(days=2)
    )

    pages = pdf_pages(bundle)
    assert len(pages) == 2
    assert "Letter number 1." in pages[1]
    assert "Minister B" in pages[1]
    assert "Minister A" not in pages[1]


def test_unconfirmed_and_expired_letters_stay_out(campaign):
    letters(campaign, 1)
    ActionFactory(campaign=campaign, confirmed_at=None, body="Not confirmed.")
    ActionFactory(campaign=campaign, expired_at=timezone.now(), body="")
    ActionFactory(campaign=campaign, channel=Channel.POST, confirmed_at=None, body="Posted myself.")

    bundle = build(campaign, target=campaign.targets.first())

    text = "\n".join(pdf_pages(bundle))
    assert bundle.letters == 2
    assert "Not confirmed." not in text
    assert "Posted myself." in text


def test_a_list_of_signatories_has_names_and_towns_but_no_emails(campaign):
    letters(campaign, 3, town="Busan", email="private@people.example")

    bundle = build(campaign, kind=HandInBundle.Kind.SIGNATORIES)

    text = "\n".join(pdf_pages(bundle))
    assert bundle.letters == 3
    assert "Writer2 Lovelace" in text
    assert "Busan" in text
    assert "private@people.example" not in text


@pytest.fixture
def ready_bundle(campaign):
    letters(campaign, 1)
    return build(campaign)


def test_staff_download_a_ready_bundle(admin_client, ready_bundle):
    response = admin_client.get(
        reverse("admin:letters_handinbundle_download", args=[ready_bundle.pk])
    )

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert len(PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages) == 3
    assert AuditEntry.objects.get().kind == AuditEntry.Kind.DOWNLOAD


def test_an_outsider_cannot_download_a_bundle(client, ready_bundle):
    url = reverse("admin:letters_handinbundle_download", args=[ready_bundle.pk])
    anonymous = client.get(url)
    client.force_login(get_user_model().objects.create_user("supporter"))
    member = client.get(url)
    sign_in_staff(client, get_user_model().objects.create_user("intern", is_staff=True))
    staff_without_permission = client.get(url)

    assert anonymous.status_code == member.status_code == 302
    assert anonymous["Location"].startswith(reverse("admin:login"))
    assert staff_without_permission.status_code == 403


def test_staff_ask_for_a_bundle_in_the_admin_and_the_target_must_fit(admin_client, campaign):
    stranger = TargetFactory(office="Someone else")
    url = reverse("admin:letters_handinbundle_add")

    refused = admin_client.post(
        url, {"campaign": campaign.pk, "kind": "letters", "target": stranger.pk}
    )
    accepted = admin_client.post(url, {"campaign": campaign.pk, "kind": "letters"})

    assert "Choose one of the campaign" in refused.content.decode()
    assert accepted.status_code == 302
    bundle = HandInBundle.objects.get()
    assert bundle.status == HandInBundle.Status.WAITING
    assert bundle.requested_by.username == "admin"


def test_the_signatories_csv_neutralises_formulas_and_leaves_out_emails(admin_client, campaign):
    ActionFactory(
        campaign=campaign, first_name='=HYPERLINK("http://evil")', last_name="+1", town="@Leeds"
    )
    ActionFactory(campaign=campaign, first_name="-2", email="private@people.example")

    response = admin_client.post(
        reverse("admin:campaigns_campaign_changelist"),
        {"action": "download_signatories", "_selected_action": [campaign.pk]},
    )

    text = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Campaign", "First name", "Last name", "Town", "Country", "Date"]
    assert rows[1][1:4] == ['\'=HYPERLINK("http://evil")', "'+1", "'@Leeds"]
    assert rows[2][1] == "'-2"
    assert "private@people.example" not in text
    assert AuditEntry.objects.get().subject == "signatories CSV"


def test_an_empty_list_of_signatories_is_still_a_page(campaign):
    bundle = build(campaign, kind=HandInBundle.Kind.SIGNATORIES)

    assert (bundle.letters, bundle.pages) == (0, 1)
    assert "Free the three" in pdf_pages(bundle)[0]


@pytest.mark.django_db(transaction=True)
def test_staff_ask_for_a_bundle_and_a_background_job_makes_it(admin_client, campaign):
    letters(campaign, 2)

    admin_client.post(
        reverse("admin:letters_handinbundle_add"), {"campaign": campaign.pk, "kind": "letters"}
    )
    bundle = HandInBundle.objects.get()
    assert bundle.status == HandInBundle.Status.WAITING

    call_command("run_tasks", "--until-idle", verbosity=0)

    bundle.refresh_from_db()
    assert bundle.status == HandInBundle.Status.READY
    assert bundle.letters == 2 * campaign.targets.count()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "lost",
    [
        {"status": HandInBundle.Status.BUILDING, "started_at": timedelta(hours=2)},
        {"status": HandInBundle.Status.WAITING, "created_at": timedelta(minutes=11)},
    ],
)
def test_a_bundle_whose_job_was_lost_or_whose_maker_died_is_made_again(campaign, lost):
    letters(campaign, 1)
    ago = {field: timezone.now() - value for field, value in lost.items() if field != "status"}
    stuck = HandInBundle.objects.create(campaign=campaign, status=lost["status"])
    HandInBundle.objects.filter(pk=stuck.pk).update(**ago)

    call_command("worker", "--until-idle")
    call_command("run_tasks", "--until-idle", verbosity=0)

    stuck.refresh_from_db()
    assert stuck.status == HandInBundle.Status.READY


def test_a_bundle_just_asked_for_or_being_made_is_not_queued_again(campaign):
    HandInBundle.objects.create(campaign=campaign)
    HandInBundle.objects.create(
        campaign=campaign, status=HandInBundle.Status.BUILDING, started_at=timezone.now()
    )

    assert requeue_forgotten_bundles() == 0


def test_old_bundles_are_deleted_with_their_files(campaign, settings):
    letters(campaign, 1)
    old = build(campaign)
    HandInBundle.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=settings.BUNDLE_RETENTION_DAYS + 1)
    )
    orphan = old.path.parent / "left-behind.pdf"
    orphan.write_bytes(b"%PDF")

    remove_old_bundles()

    assert not HandInBundle.objects.exists()
    assert not old.path.exists()
    assert not orphan.exists()


def staff_with(client, *codenames: str) -> None:
    user = get_user_model().objects.create_user("clerk", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    sign_in_staff(client, user)


def export_signatories(client, campaign):
    return client.post(
        reverse("admin:campaigns_campaign_changelist"),
        {"action": "download_signatories", "_selected_action": [campaign.pk]},
    )


def test_it_takes_the_right_to_export_supporters_to_export_signatories(client, campaign):
    staff_with(client, "view_campaign", "view_supporter")

    response = export_signatories(client, campaign)

    assert not hasattr(response, "streaming_content")
    assert not AuditEntry.objects.exists()


def test_it_lets_staff_with_the_right_to_export_supporters_export_signatories(client, campaign):
    staff_with(client, "view_campaign", "export_supporter")

    response = export_signatories(client, campaign)

    assert response["Content-Type"] == "text/csv; charset=utf-8"


BUNDLE_PERMISSIONS = ["add_handinbundle", "view_handinbundle"]


def test_it_takes_the_right_to_export_supporters_to_ask_for_or_download_a_bundle(
    client, ready_bundle
):
    staff_with(client, *BUNDLE_PERMISSIONS)

    ask = client.get(reverse("admin:letters_handinbundle_add"))
    download = client.get(reverse("admin:letters_handinbundle_download", args=[ready_bundle.pk]))

    assert ask.status_code == download.status_code == 403
    assert not AuditEntry.objects.exists()


def test_it_lets_staff_with_the_right_to_export_supporters_ask_for_and_download_bundles(
    client, ready_bundle
):
    staff_with(client, *BUNDLE_PERMISSIONS, "export_supporter")

    ask = client.get(reverse("admin:letters_handinbundle_add"))
    download = client.get(reverse("admin:letters_handinbundle_download", args=[ready_bundle.pk]))

    assert ask.status_code == download.status_code == 200


@pytest.fixture
def erased_writer(campaign):
    """A campaign's bundles of letters and of signatories, made while a writer who then
    erased their data was among its writers."""
    letters(campaign, 2)
    writer = ActionFactory(campaign=campaign, first_name="Hyeonseo", body="Qzbodymark letter.")
    made = [build(campaign), build(campaign, kind=HandInBundle.Kind.SIGNATORIES)]
    assert all("Hyeonseo" in "\n".join(pdf_pages(bundle)) for bundle in made)
    return writer, made


# Committed, as the files go once the erasure is.
@pytest.mark.django_db(transaction=True)
def test_erasure_keeps_staffs_bundles_but_deletes_their_files_to_be_made_again(
    client, erased_writer
):
    writer, made = erased_writer

    erase_supporter(writer.supporter)

    for bundle in made:
        assert not bundle.path.exists()
        bundle.refresh_from_db()
        assert bundle.status == HandInBundle.Status.STALE
    staff_with(client, *BUNDLE_PERMISSIONS, "export_supporter")
    listed = client.get(reverse("admin:letters_handinbundle_changelist")).content.decode()
    assert "To make again: a writer erased their data" in listed

    client.post(
        reverse("admin:letters_handinbundle_changelist"),
        {"action": "make_bundles_again", "_selected_action": [bundle.pk for bundle in made]},
    )

    for bundle in made:
        bundle.refresh_from_db()
        assert bundle.status == HandInBundle.Status.WAITING
        assert make_bundle_job.call(bundle.pk)
        bundle.refresh_from_db()
        text = "\n".join(pdf_pages(bundle))
        assert "Writer1" in text
        assert "Hyeonseo" not in text and "Qzbodymark" not in text


@pytest.mark.django_db(transaction=True)
def test_a_bundle_being_made_when_a_writer_erases_is_set_aside_with_no_file(
    erased_writer, settings
):
    writer, [bundle, _] = erased_writer
    HandInBundle.objects.filter(pk=bundle.pk).update(
        status=HandInBundle.Status.BUILDING, started_at=timezone.now()
    )
    bundle.refresh_from_db()

    # The maker has read the letters; the erasure comes before it is done.
    erase_supporter(writer.supporter)
    build_bundle(bundle)

    bundle.refresh_from_db()
    assert (bundle.status, bundle.file_name) == (HandInBundle.Status.STALE, "")
    assert list((settings.DATA_DIR / "bundles").glob("*.pdf")) == []
