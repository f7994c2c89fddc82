"""A supporter's links (confirm, my-data, preferences, unsubscribe, the printable letter,
the thank-you page's address) end up in mailboxes, browser histories and proxies' logs:
none of them may carry the person's address or name, in plain text or encoded."""

import base64
import binascii
import contextlib
import re
import zlib
from urllib.parse import unquote, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from urgentaction.actions.links import letter_url
from urgentaction.actions.models import Action
from urgentaction.actions.tests.factories import valid_data
from urgentaction.campaigns.tests.factories import CampaignFactory, TargetFactory
from urgentaction.conftest import confirm_path
from urgentaction.mailings.emails import send_due_emails
from urgentaction.mailings.models import OutboundEmail, Update
from urgentaction.mailings.updates import fan_out
from urgentaction.supporters.models import Consent, ConsentText

PERSON = {"first_name": "Sunhwa", "last_name": "Yeomkwon", "email": "sunhwa.yk@people.example"}
IDENTIFYING = ["sunhwa", "yeomkwon", "sunhwa.yk", "people.example"]
URL = re.compile(r"https?://[^\s\"'<>]+")


def decodings(segment: str) -> list[str]:
    """A link's path segment as it is, URL-decoded, and read as base64 (Django's signed
    values are base64 of JSON, compressed when that is shorter)."""
    found = [segment, unquote(segment)]
    for part in re.split(r"[.:]", segment):
        try:
            raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        except (binascii.Error, ValueError):
            continue
        found.append(raw.decode("latin-1"))
        with contextlib.suppress(zlib.error):
            found.append(zlib.decompress(raw).decode("latin-1"))
    return found


def identifying(url: str) -> list[str]:
    parts = urlsplit(url)
    texts = [
        text.casefold()
        for segment in [*parts.path.split("/"), *re.split(r"[&=]", parts.query)]
        for text in decodings(segment)
    ]
    return [mark for mark in IDENTIFYING if any(mark in text for text in texts)]


@pytest.mark.django_db
def test_no_link_in_any_email_names_its_supporter(client, smtp_server):
    wording = ConsentText.objects.create(wording="Yes, email me news.", details="Monthly.")
    refusing = TargetFactory(email="closed@ministry.example")
    confirmed = CampaignFactory(requires_confirmation=True)
    failing = CampaignFactory(requires_confirmation=False, targets=[refusing])
    smtp_server.refuse["closed@ministry.example"] = "550 5.1.1 No such mailbox"
    # The person signs up for updates, writes a letter and confirms it, writes another
    # that fails; someone else writes with their address; they ask for their data.
    Client().post("/updates/", {**PERSON, "agree": "on", "consent_version": wording.pk})
    # Each submit and the confirmation send the browser to a thank-you page's address.
    thanks = [client.post(confirmed.get_absolute_url(), valid_data(**PERSON))["Location"]]
    send_due_emails()  # the confirmation's link is made as it is sent
    confirmation = OutboundEmail.objects.get(kind="confirm_letter")
    thanks += [
        client.post(confirm_path(confirmation))["Location"],
        client.post(failing.get_absolute_url(), valid_data(**PERSON))["Location"],
        Client().post(confirmed.get_absolute_url(), valid_data(**PERSON, body="Again."))[
            "Location"
        ],
    ]
    Client().post("/my-data/", {"email": PERSON["email"]})
    consent = Consent.objects.get()
    consent.confirmed_at = timezone.now()
    consent.save()
    Update.objects.create(campaign=confirmed, subject="News", body="They are safe.")
    Update.objects.update(status=Update.Status.SENDING)
    fan_out()
    OutboundEmail.objects.update(next_attempt_at=timezone.now())
    call_command("worker", "--until-idle")

    kinds = set(OutboundEmail.objects.values_list("kind", flat=True))
    expected = {"confirm_signup", "confirm_letter", "letter_failed", "letter_repeat"}
    assert expected | {"my_data_link", "update"} <= kinds
    links = [
        url
        for message in smtp_server.messages
        for text in (
            *(part.get_content() for part in message.walk() if not part.is_multipart()),
            *message.values(),
        )
        for url in URL.findall(str(text))
    ]
    links += [letter_url(action) for action in Action.objects.all()]
    links += thanks
    assert all("/thanks/?state=" in url for url in thanks)
    assert any("/confirm/" in url for url in links)
    assert any("/unsubscribe/" in url for url in links)
    assert [(url, identifying(url)) for url in links if identifying(url)] == []


def test_the_check_finds_an_address_hidden_in_a_link():
    hidden = base64.urlsafe_b64encode(b'{"e":"sunhwa.yk@people.example"}').decode()

    assert identifying(f"https://act.example/confirm/{hidden}/") != []
    assert identifying("https://act.example/x/?who=sunhwa.yk%40people.example") != []
