"""Copies to, on paper: the printed letter has a page more for each copy target, with its
own address in the window and a "Copy to:" line; a bundle can be for a copy target."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from urgentaction.actions.tests.factories import ActionFactory
from urgentaction.actions.tests.test_take_action import valid_data
from urgentaction.campaigns.models import Channel
from urgentaction.campaigns.tests.factories import CampaignFactory, TargetFactory
from urgentaction.letters.documents import letter_pdf
from urgentaction.letters.models import HandInBundle
from urgentaction.letters.tests.test_bundles import build, pdf_pages
from urgentaction.letters.tests.test_letter_pdf import A4_HEIGHT, MM

pytestmark = pytest.mark.django_db

COPY_LINE = "Copy to: Ambassador of the People's Republic of China to the United Kingdom"


@pytest.fixture
def ambassador():
    return TargetFactory(
        office="Ambassador of the People's Republic of China to the United Kingdom",
        holder="",
        organisation="Embassy of the People's Republic of China",
        address="49-51 Portland Place\nLondon",
        postcode="W1B 1JL",
    )


@pytest.fixture
def campaign(ambassador):
    minister = TargetFactory(office="Foreign Secretary", holder="Jane Minister")
    return CampaignFactory(targets=[minister], copy_targets=[ambassador])


def window_of(pdf: bytes, page: int) -> str:
    """The text a DL envelope's window shows on ``page``."""
    found = []

    def visit(text, cm, tm, font, size):
        x = (cm[0] * tm[4] + cm[2] * tm[5] + cm[4]) / MM
        y = (A4_HEIGHT - (cm[1] * tm[4] + cm[3] * tm[5] + cm[5])) / MM
        if text.strip() and 20 <= x <= 105 and 50 <= y <= 90:
            found.append(text.strip())

    PdfReader(io.BytesIO(pdf)).pages[page].extract_text(visitor_text=visit)
    return " ".join(found)


def test_the_printed_letter_has_a_copy_with_its_own_address_and_a_copy_to_line(campaign):
    action = ActionFactory(campaign=campaign, channel=Channel.POST, body="Please act now.")

    pdf = letter_pdf(action)

    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) == 2
    assert all("Please act now." in page for page in pages)
    assert "Copy to:" not in pages[0]
    assert f"Ada Lovelace\n{COPY_LINE}\n" in pages[1]  # under the signature
    assert window_of(pdf, 0).startswith("Foreign Secretary Jane Minister")
    assert window_of(pdf, 1) == (
        "Ambassador of the People's Republic of China to the United Kingdom "
        "Embassy of the People's Republic of China 49-51 Portland Place London W1B 1JL "
        "United Kingdom"
    )


def test_the_thank_you_page_gives_the_copys_envelope_address(client, campaign):
    sent = client.post(campaign.get_absolute_url(), valid_data(channel="post"))
    html = client.get(sent["Location"], follow=True).content.decode()

    assert "Post each in an envelope of its own to:" in html
    assert "49-51 Portland Place<br>London<br>W1B 1JL" in html


def test_a_bundle_for_a_copy_target_holds_copies(campaign, ambassador):
    ActionFactory(campaign=campaign, body="Letter number 0.")

    bundle = build(campaign, kind=HandInBundle.Kind.LETTERS, target=ambassador)

    cover, letter = pdf_pages(bundle)
    assert "Copies to" in cover
    assert "Letter number 0." in letter
    assert COPY_LINE in " ".join(letter.split())


def test_staff_may_ask_for_a_bundle_for_a_copy_target(admin_client, campaign, ambassador):
    response = admin_client.post(
        reverse("admin:letters_handinbundle_add"),
        {"campaign": campaign.pk, "kind": "letters", "target": ambassador.pk},
    )

    assert response.status_code == 302
    assert HandInBundle.objects.get().target == ambassador
