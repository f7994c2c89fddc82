import base64
import uuid

import pytest
from cryptography.fernet import Fernet
from django.apps import apps as django_apps
from django.conf import settings
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from urgentaction.actions.delivery import deliver_due
from urgentaction.actions.models import Action, Delivery
from urgentaction.actions.tests.factories import DeliveryFactory, SupporterFactory, valid_data
from urgentaction.campaigns.models import Target
from urgentaction.campaigns.tests.factories import CampaignFactory, TargetFactory
from urgentaction.conftest import confirm_path
from urgentaction.core.tests.dumps import dump, readable, stored_values
from urgentaction.lib.encrypted_text import migrate_columns
from urgentaction.lib.encryption import (
    AEAD,
    FERNET,
    ZLIB,
    decrypt,
    encrypt,
    rotated,
    unseal,
)
from urgentaction.lib.hashing import email_hash
from urgentaction.mailings.emails import send_due_emails
from urgentaction.mailings.models import OutboundEmail
from urgentaction.supporters.models import ConsentText, Supporter

PERSON = {
    "first_name": "Hyeonseo",
    "last_name": "Parkington",
    "email": "hyeonseo.parkington@people.example",
    "address_line1": "17 Quillfeather Lane",
    "town": "Wetherby Quay",
    "postcode": "QZ9 7XW",
    "subject": "Please protect the Kim family",
    "body": "Dear Foreign Secretary\n\nMy aunt crossed the Tumen river in 1997.\n\nYours",
}
TRACES = [*PERSON.values(), "My aunt crossed the Tumen river in 1997."]


@pytest.mark.django_db(transaction=True)
def test_a_database_dump_holds_no_plaintext_name_email_address_or_letter(client, smtp_server):
    ConsentText.objects.create(wording="Yes, email me news.", details="Leave any time.")
    campaign = CampaignFactory(requires_confirmation=True)
    client.post(campaign.get_absolute_url(), valid_data(**PERSON, wants_updates="on"))
    send_due_emails()  # the confirmation, sent and kept
    client.post(confirm_path(OutboundEmail.objects.get()))
    deliver_due()

    raw = dump()

    for trace in TRACES:
        assert trace not in raw, trace
        assert trace.replace("\n", "\\n") not in raw, trace
    # The dump does hold all of it, for whoever has the keys.
    assert all(trace in readable(raw) for trace in TRACES)
    assert len(smtp_server.messages) == 2


@pytest.mark.django_db
def test_encrypted_fields_cannot_be_searched_by_mistake():
    with pytest.raises(TypeError, match="encrypted"):
        list(Supporter.objects.filter(email="someone@people.example"))
    with pytest.raises(FieldError):
        list(Action.objects.filter(last_name__icontains="park"))

    assert list(Supporter.objects.filter(email="")) == []


@pytest.mark.django_db(transaction=True)
def test_rotating_the_key_encrypts_everything_again_with_the_new_one(client, settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.ENCRYPTION_KEYS = [old]
    client.post(CampaignFactory().get_absolute_url(), valid_data(**PERSON))

    settings.ENCRYPTION_KEYS = [new, old]
    call_command("rotate_encryption_key", stdout=None)

    values = stored_values()
    assert len(values) >= 12  # the action, its supporter and its confirmation email
    settings.ENCRYPTION_KEYS = [new]
    for value in values:
        assert value[:1] == AEAD
        decrypt(value)
    action = Action.objects.get()
    assert (action.first_name, action.body, action.supporter.email) == (
        PERSON["first_name"],
        PERSON["body"],
        PERSON["email"],
    )


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_what_was_stored_before():
    executor = MigrationExecutor(connection)
    executor.migrate([("supporters", "0004_preference_consent"), ("mailings", "0003_updates")])
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO supporters_supporter (email_hash, email, first_name, last_name, "
            "address_line1, address_line2, town, postcode, country, created_at, updated_at) "
            "VALUES ('h', %s, %s, %s, %s, '', %s, '', 'UK', %s, %s)",
            [
                PERSON["email"],
                PERSON["first_name"],
                PERSON["last_name"],
                PERSON["address_line1"],
                PERSON["town"],
                "2026-01-01 00:00:00",
                "2026-01-01 00:00:00",
            ],
        )
        cursor.execute(
            "INSERT INTO mailings_outboundemail (status, attempts, next_attempt_at, last_error, "
            'message_id, created_at, kind, "to", subject, text, html, from_email, headers) '
            "VALUES ('pending', 0, %s, '', '<m@x>', %s, 'confirm_letter', %s, %s, %s, '', '', "
            "'{}')",
            [
                "2026-01-01 00:00:00",
                "2026-01-01 00:00:00",
                PERSON["email"],
                PERSON["subject"],
                PERSON["body"],
            ],
        )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    with connection.cursor() as cursor:
        cursor.execute("SELECT email, first_name, address_line2 FROM supporters_supporter")
        email, first_name, blank = cursor.fetchone()
        cursor.execute('SELECT "to", text, to_hash FROM mailings_outboundemail')
        to, text, to_hash = cursor.fetchone()
    assert all(sealed(value) for value in (email, first_name, to, text))
    assert blank == b""
    supporter = Supporter.objects.get()
    assert (supporter.email, supporter.town) == (PERSON["email"], PERSON["town"])
    assert OutboundEmail.objects.get().text == PERSON["body"]
    assert to_hash == email_hash(PERSON["email"])


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_letters_and_replies_stored_before():
    target = TargetFactory()
    campaign = CampaignFactory(targets=[target])
    supporter = SupporterFactory(email=PERSON["email"])
    before = [("actions", "0007_campaign_time_index")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    action = old.get_model("actions", "Action").objects.create(
        campaign_id=campaign.pk,
        supporter_id=supporter.pk,
        form_token=uuid.uuid4(),
        channel="email",
        **{name: PERSON[name] for name in ("subject", "body", "first_name", "last_name")},
        email=PERSON["email"],
        address_line1=PERSON["address_line1"],
        town=PERSON["town"],
        country="UK",
    )
    reply = f"550 5.1.1 <{PERSON['email']}>: no such user"
    old.get_model("actions", "Delivery").objects.create(
        action_id=action.pk, target_id=target.pk, message_id="<d@x>", last_error=reply
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT subject, body, first_name, last_name, email, address_line1, town "
            "FROM actions_action"
        )
        stored = cursor.fetchone()
        cursor.execute("SELECT last_error FROM actions_delivery")
        (error,) = cursor.fetchone()
    assert all(sealed(value) for value in (*stored, error)), stored
    letter = Action.objects.get()
    assert (letter.body, letter.email) == (PERSON["body"], PERSON["email"])
    assert Delivery.objects.get().last_error == reply


@pytest.mark.django_db
def test_a_mail_servers_reply_quoting_an_address_is_stored_encrypted():
    delivery = DeliveryFactory()
    reply = f"550 5.1.1 <{PERSON['email']}>: no such user"
    Delivery.objects.filter(pk=delivery.pk).update(last_error=reply)

    with connection.cursor() as cursor:
        cursor.execute("SELECT last_error FROM actions_delivery WHERE id = %s", [delivery.pk])
        [stored] = cursor.fetchone()
    assert bytes(stored)[:1] == AEAD
    assert Delivery.objects.get(pk=delivery.pk).last_error == reply


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_sources_and_failures_and_scrubs_what_letters_left():
    target = TargetFactory()
    campaign = CampaignFactory(targets=[target])
    supporter = SupporterFactory(email=PERSON["email"])
    before = [("actions", "0011_encrypt_stored_errors"), ("campaigns", "0003_near_copies")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    reply = f"550 5.1.1 <{PERSON['email']}>: no such user"
    old.get_model("campaigns", "Target").objects.filter(pk=target.pk).update(last_failure=reply)
    old.get_model("actions", "Action").objects.create(
        campaign_id=campaign.pk,
        supporter_id=supporter.pk,
        form_token=uuid.uuid4(),
        channel="email",
        source="newsletter-for-hyeonseo",
        held_reasons=["blocked email domain: people.example", "sent too fast"],
        fingerprint=[12345, 67890],
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    # Run again, as after a crash part-way: nothing is encrypted twice.
    encrypt_again, _ = migrate_columns("actions", "Action", ["source"])
    encrypt_again(django_apps, connection.schema_editor())

    with connection.cursor() as cursor:
        cursor.execute("SELECT source FROM actions_action")
        (source,) = cursor.fetchone()
        cursor.execute("SELECT last_failure FROM campaigns_target")
        (failure,) = cursor.fetchone()
    assert sealed(source) and sealed(failure)
    action = Action.objects.get()
    assert action.source == "newsletter-for-hyeonseo"
    assert action.held_reasons == ["blocked email domain", "sent too fast"]
    assert action.fingerprint == []
    assert Target.objects.get().last_failure == reply


def sealed(value: object) -> bool:
    """Whether a value read from its column is sealed in bytes: in the newest envelope,
    or a Fernet token turned from its base64 by the migration to bytes."""
    return isinstance(value, bytes) and value[:1] in (AEAD, FERNET)


LETTER = PERSON["body"] * 20


@pytest.mark.django_db
def test_a_letter_is_compressed_inside_its_envelope():
    stored = encrypt(LETTER)

    assert unseal(stored)[:1] == ZLIB
    assert len(stored) < len(Fernet(settings.ENCRYPTION_KEYS[0]).encrypt(LETTER.encode())) / 2
    assert decrypt(stored) == LETTER


@pytest.mark.parametrize(
    "text", ["Ada", "Wetherby Quay", "ada.lovelace@people.example", "Vq3#kZ9!xP2@mL8$wR5%tY7^"]
)
def test_text_that_compression_would_not_shorten_is_stored_as_it_is(text):
    stored = encrypt(text)

    assert unseal(stored) == text.encode()
    assert decrypt(stored) == text


@pytest.mark.parametrize("text", [LETTER, "박현서", "외무장관님께, " * 40, "Ada"])
def test_a_value_stored_before_compression_began_still_reads(text):
    """Such a value's envelope holds the text itself, with no version byte."""
    old = Fernet(settings.ENCRYPTION_KEYS[0]).encrypt(text.encode()).decode()

    assert decrypt(old) == text


def test_a_compressed_value_survives_rotating_the_key(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.ENCRYPTION_KEYS = [old]
    stored = encrypt(LETTER)

    settings.ENCRYPTION_KEYS = [new, old]
    again = rotated(stored)

    settings.ENCRYPTION_KEYS = [new]
    assert decrypt(again) == LETTER


@pytest.mark.parametrize("text", ["Ada", "Wetherby Quay", "박현서", LETTER])
def test_a_value_costs_29_bytes_more_than_what_its_envelope_holds(text):
    stored = encrypt(text)

    assert stored[:1] == AEAD
    assert len(stored) == 29 + len(unseal(stored))
    assert decrypt(stored) == text


def test_the_same_text_is_sealed_differently_each_time():
    assert encrypt("Wetherby Quay") != encrypt("Wetherby Quay")


@pytest.mark.parametrize("text", [LETTER, "박현서", "Ada"])
def test_a_fernet_token_stored_before_values_were_bytes_still_reads(text):
    token = Fernet(settings.ENCRYPTION_KEYS[0]).encrypt(text.encode())

    assert decrypt(token) == text  # its base64, as a text column held it
    assert decrypt(base64.urlsafe_b64decode(token)) == text  # its bytes, as migrated
    assert decrypt(rotated(base64.urlsafe_b64decode(token))) == text


def test_a_value_sealed_with_a_key_no_longer_listed_is_refused(settings):
    stored = encrypt("Wetherby Quay")
    settings.ENCRYPTION_KEYS = [Fernet.generate_key().decode()]

    with pytest.raises(ValueError, match="ENCRYPTION_KEYS"):
        decrypt(stored)


def test_a_changed_byte_is_refused():
    stored = bytearray(encrypt("Wetherby Quay"))
    stored[20] ^= 1

    with pytest.raises(ValueError, match="could not be decrypted"):
        decrypt(bytes(stored))


BEFORE_BYTES = [
    ("actions", "0023_blocklist_changed_at"),
    ("supporters", "0009_translations"),
    ("mailings", "0010_email_rendered_from_its_delivery"),
]


@pytest.mark.django_db(transaction=True)
def test_the_migration_to_bytes_keeps_every_value_both_ways(client):
    client.post(CampaignFactory().get_absolute_url(), valid_data(**PERSON))
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_BYTES)

    with connection.cursor() as cursor:
        cursor.execute("SELECT body, address_line2, email FROM actions_action")
        body, blank, email = cursor.fetchone()
    assert isinstance(body, str) and decrypt(body) == PERSON["body"]
    assert blank == ""
    assert decrypt(email) == PERSON["email"]

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    with connection.cursor() as cursor:
        cursor.execute("SELECT body, address_line2 FROM actions_action")
        body, blank = cursor.fetchone()
    assert body[:1] == FERNET and blank == b""
    letter = Action.objects.get()
    assert (letter.body, letter.email, letter.address_line2) == (
        PERSON["body"],
        PERSON["email"],
        "",
    )
    assert Action.objects.filter(address_line2="").count() == 1
    assert Supporter.objects.get().first_name == PERSON["first_name"]
