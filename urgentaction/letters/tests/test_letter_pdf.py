import io
import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from pypdf import PdfReader

from urgentaction.actions.links import letter_url
from urgentaction.actions.models import Action
from urgentaction.actions.tests.factories import ActionFactory, valid_data
from urgentaction.campaigns.models import Channel
from urgentaction.campaigns.tests.factories import CampaignFactory, TargetFactory
from urgentaction.letters.documents import letter_pdf

pytestmark = pytest.mark.django_db

MM = 72 / 25.4
A4_HEIGHT = 297 * MM
TRICKY = 'Typst marks # $ * _ @ < [ \\ and #read("/etc/passwd") must print as written.'
KOREAN = "한국어 문장입니다. 북한 난민의 강제 송환을 막아 주십시오."


@pytest.fixture
def action():
    target = TargetFactory(
        office="Foreign Secretary",
        holder="Jane Minister",
        organisation="Foreign Office",
        address="King Charles Street\nLondon",
        postcode="SW1A 2AH",
    )
    return ActionFactory(
        campaign=CampaignFactory(targets=[target]),
        channel=Channel.POST,
        first_name="김",
        last_name="민준",
        body=f"Dear Foreign Secretary\n\n{TRICKY}\n{KOREAN}\n\nYours sincerely",
    )


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def positions(pdf: bytes) -> list[tuple[str, float, float]]:
    """Each run of text on the first page with where it starts, in mm from the top left."""
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
            y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
            found.append((text.strip(), x / MM, (A4_HEIGHT - y) / MM))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return found


def test_the_letter_prints_what_the_supporter_wrote_exactly(action):
    text = text_of(letter_pdf(action))

    assert TRICKY in text
    assert KOREAN in text
    assert "Dear Foreign Secretary" in text
    assert "Yours sincerely" in text
    assert "root:x:0" not in text
    for line in ["김 민준", "1 High Street", "Leeds", "LS1 1AA"]:
        assert line in text
    for line in [
        "Foreign Secretary Jane Minister",
        "Foreign Office",
        "King Charles Street",
        "SW1A 2AH",
    ]:
        assert line in text


def test_the_recipient_shows_through_a_dl_window(action):
    runs = positions(letter_pdf(action))
    recipient = (
        "Foreign Secretary Jane Minister Foreign Office King Charles Street London SW1A 2AH "
        "United Kingdom"
    )

    in_window = [(text, x, y) for text, x, y in runs if 20 <= x <= 105 and 50 <= y <= 90]
    assert " ".join(text for text, _, _ in in_window) == recipient
    sender = [(x, y) for text, x, y in runs if text in ("High Street", "1 High Street")]
    assert sender and all(x > 105 and y < 50 for x, y in sender)


def test_the_supporter_downloads_their_letter_from_a_private_link(client, action):
    response = client.get(letter_url(action))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert KOREAN in text_of(b"".join(response))


def test_a_link_cannot_be_turned_into_another_supporters(client, action):
    other = ActionFactory(campaign=action.campaign, channel=Channel.POST)
    url = letter_url(action)
    forged = re.sub(r"letters/[^:]+:", f"letters/{other.pk}:", url)

    assert client.get(forged).status_code == 404
    assert client.get(url.replace("letter.pdf", "") + "x/letter.pdf").status_code == 404


def test_the_link_expires(client, action, settings):
    url = letter_url(action)

    with time_machine.travel(timezone.now() + timedelta(days=settings.LETTER_LINK_DAYS + 1)):
        assert client.get(url).status_code == 404


def test_the_thank_you_page_offers_the_letter_and_the_envelope_address(client):
    campaign = CampaignFactory()

    sent = client.post(campaign.get_absolute_url(), valid_data(channel="post"))
    html = client.get(sent["Location"], follow=True).content.decode()

    link = re.search(r'href="(/letters/[^"]+/letter\.pdf)"', html).group(1)
    assert "Download your letter (PDF)" in html
    assert "fold it in three" in html
    assert client.get(link).status_code == 200
    assert Action.objects.get().channel == "post"


def test_a_long_address_stays_whole_inside_the_window_and_the_sender_beside_it():
    lines = [f"Address line number {n}" for n in range(10)]
    target = TargetFactory(office="Minister", holder="", organisation="", address="\n".join(lines))
    action = ActionFactory(
        campaign=CampaignFactory(targets=[target]),
        address_line1="Flat 12, The Very Long Named Building on the Corner of Two Streets",
    )

    runs = positions(letter_pdf(action))

    for line in lines:
        placed = [(x, y) for text, x, y in runs if text == line]
        assert placed, line
        x, y = placed[0]
        assert 20 <= x <= 105 and 50 <= y <= 90, (line, x, y)
    sender = [(x, y) for text, x, y in runs if "Flat 12" in text or "Corner" in text]
    assert sender and all(x > 105 for x, y in sender)


def test_letters_in_many_scripts_print_with_the_bundled_fonts():
    # Scripts whose text survives PDF text extraction intact; Arabic, Thai and Devanagari
    # are checked by eye in test-artifacts/letter-scripts.png (test_pictures.py).
    words = ["请帮助他们", "ありがとう", "한국어 문장입니다", "✊"]
    action = ActionFactory(body="Dear Minister\n\n" + " ".join(words) + "\n\nYours sincerely")

    text = text_of(letter_pdf(action))

    for word in words:
        assert word in text
