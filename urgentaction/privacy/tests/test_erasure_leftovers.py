"""After a person erases their data, nothing of it is left anywhere in the database's
files: not in plain text, and not encrypted either (a backup plus the keys would read
it). Before erasure, only encrypted forms of it may be there."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.utils import timezone

from urgentaction.actions.counts import LetterCount
from urgentaction.actions.delivery import deliver_due
from urgentaction.actions.models import Action
from urgentaction.actions.tests.factories import valid_data
from urgentaction.campaigns.tests.factories import CampaignFactory, TargetFactory
from urgentaction.cases.models import Answer
from urgentaction.cases.questionnaire import ask_about_replies
from urgentaction.conftest import confirm_path, erase_through_my_data
from urgentaction.core.tests.dumps import dump, stored_values
from urgentaction.lib.encryption import decrypt
from urgentaction.mailings.emails import send_due_emails
from urgentaction.mailings.models import OutboundEmail
from urgentaction.supporters.models import ConsentText

# A marker in every field a supporter fills in, each found nowhere else.
PERSON = {
    "first_name": "Qzfirstmark",
    "last_name": "Qzlastmark",
    "email": "qzlocalmark@qzdomainmark.example",
    "address_line1": "7 Qzstreetmark Road",
    "address_line2": "Qzlinetwomark",
    "town": "Qztownmark",
    "postcode": "QZ7 7QZ",
    "country": "Qzcountrymark",
    "subject": "Qzsubjectmark for the family",
    "body": "Dear Foreign Secretary\n\nQzbodymark: my cousin is among them.\n\nYours",
    "source": "qzsourcemark",
    "referrer": "https://qzreferrermark.example/story",
}
MARKERS = [
    "Qzfirstmark",
    "Qzlastmark",
    "qzlocalmark",
    "qzdomainmark",
    "Qzstreetmark",
    "Qzlinetwomark",
    "Qztownmark",
    "QZ7 7QZ",
    "Qzcountrymark",
    "Qzsubjectmark",
    "Qzbodymark",
    "qzreferrermark",
    "qzsourcemark",
    "Qzreplymark",
]
# A reply the writer pasted into "did you get a reply?".
REPLY = "Dear Ms Qzlastmark, Qzreplymark: the Minister has raised the case."
# A letter's source tag is its own (encrypted, and erased with it), but the tag itself
# labels a published link: the dashboards count letters by tag in plain text
# (actions/tallies.py). A tag no one else used goes from the counts on erasure.
SOURCE_TAG = PERSON["source"]


def database_files() -> str:
    """Every byte of the database as it lies on disk (free pages and the write-ahead log
    included); on PostgreSQL, a dump of it."""
    if connection.vendor != "sqlite":
        return dump()
    name = Path(connection.settings_dict["NAME"])
    wal = name.with_name(name.name + "-wal")
    raw = name.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    return raw.decode("latin-1")


def found(text: str) -> list[str]:
    return [marker for marker in MARKERS if marker in text]


def decrypted(values: list[bytes]) -> str:
    """The encrypted values, as whoever holds the keys would read them."""
    return "\n".join(decrypt(value) for value in values)


def holds(files: str, value: bytes) -> bool:
    """Whether the database's files (or its dump, where values are in hex) hold ``value``."""
    return value.decode("latin-1") in files or value.hex() in files


def paste_a_reply(client: Client) -> None:
    """Two weeks on, the writer answers "did you get a reply?" and pastes it."""
    with time_machine.travel(timezone.now() + timedelta(days=14, minutes=1), tick=False):
        ask_about_replies()
        question = OutboundEmail.objects.get(kind="reply_question")
        path = re.search(r"https?://[^/\s]+(/replies/[^\s]+/)", question.text).group(1)
        target = Action.objects.get(campaign__requires_confirmation=True).campaign.targets.get()
        response = client.post(path, {f"kind_{target.pk}": "answered", f"reply_{target.pk}": REPLY})
    assert response.status_code == 302
    assert Answer.objects.get().reply == REPLY


@pytest.mark.django_db(transaction=True)
def test_erasure_leaves_no_form_of_any_personal_value(smtp_server):
    ConsentText.objects.create(wording="Yes, email me news.", details="Leave any time.")
    confirmed = CampaignFactory(requires_confirmation=True)
    refusing = TargetFactory(email="closed@ministry.example", office="Interior Minister")
    straight = CampaignFactory(requires_confirmation=False, targets=[refusing])
    # The refusing server quotes the writer's address, as many do.
    smtp_server.refuse["closed@ministry.example"] = (
        f"550 5.7.1 Mail from <{PERSON['email']}> refused by policy"
    )
    client = Client()
    client.post(confirmed.get_absolute_url(), valid_data(**PERSON, wants_updates="on"))
    send_due_emails()
    client.post(confirm_path(OutboundEmail.objects.get(kind="confirm_letter")))
    client.post(straight.get_absolute_url(), valid_data(**PERSON))
    deliver_due()
    send_due_emails()
    assert {m["To"] for m in smtp_server.messages} >= {PERSON["email"]}
    assert OutboundEmail.objects.filter(kind="letter_failed").exists()
    paste_a_reply(client)

    before = database_files()
    sealed = stored_values()
    assert found(before) == [SOURCE_TAG], "stored in plain text (but the counts' tag)"
    assert found(decrypted(sealed)) == MARKERS, "the test's markers were not all stored"
    personal = [value for value in sealed if found(decrypt(value))]
    assert all(holds(before, value) for value in personal)
    assert LetterCount.objects.filter(source=SOURCE_TAG).exists()
    totals = sorted(LetterCount.objects.values_list("campaign_id", "stage", "count"))

    erase_through_my_data(PERSON["email"], client)

    after = database_files()
    assert found(after) == []
    assert found(decrypted(stored_values())) == [], "left encrypted"
    assert not [value for value in personal if holds(after, value)], "an old copy is left"
    assert set(Action.objects.values_list("source", flat=True)) == {""}
    assert not LetterCount.objects.filter(source=SOURCE_TAG).exists()
    assert sorted(LetterCount.objects.values_list("campaign_id", "stage", "count")) == totals
