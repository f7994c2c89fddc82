import time
import uuid

import factory
from django.core import signing
from django.utils import timezone

from urgentaction.actions.models import Action, Delivery
from urgentaction.actions.screening import STAMP_SALT
from urgentaction.campaigns.models import Channel
from urgentaction.campaigns.tests.factories import CampaignFactory
from urgentaction.core.tests.proofs import solved_proof
from urgentaction.lib.hashing import email_hash
from urgentaction.supporters.models import Supporter


class SupporterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supporter

    email = factory.Sequence(lambda n: f"supporter{n}@people.example")
    email_hash = factory.LazyAttribute(lambda o: email_hash(o.email))
    first_name = "Ada"
    last_name = "Lovelace"
    address_line1 = "1 High Street"
    town = "Leeds"
    postcode = "LS1 1AA"
    country = "United Kingdom"


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    campaign = factory.SubFactory(CampaignFactory)
    supporter = factory.SubFactory(SupporterFactory)
    form_token = factory.LazyFunction(uuid.uuid4)
    channel = Channel.EMAIL
    subject = "Please stop the deportation"
    body = "Dear Foreign Secretary\n\nPlease act now.\n\nYours sincerely"
    first_name = factory.SelfAttribute("supporter.first_name")
    last_name = factory.SelfAttribute("supporter.last_name")
    email = factory.SelfAttribute("supporter.email")
    address_line1 = "1 High Street"
    town = "Leeds"
    postcode = "LS1 1AA"
    country = "United Kingdom"
    confirmed_at = factory.LazyFunction(timezone.now)


class DeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delivery

    action = factory.SubFactory(ActionFactory)
    target = factory.LazyAttribute(lambda o: o.action.campaign.targets.first())
    message_id = factory.LazyFunction(lambda: Delivery.new_message_id("letters@rights.example"))


def shown_a_while_ago() -> str:
    """The signed time a form was shown, as a person filling it in would send it back."""
    return signing.dumps(time.time() - 60, salt=STAMP_SALT)


def valid_data(**overrides) -> dict[str, str]:
    """The letter form as a supporter sends it, with a solved proof of work."""
    data = {
        "rendered": shown_a_while_ago(),
        "altcha": solved_proof(),
        "form_token": str(uuid.uuid4()),
        "subject": "Please stop the deportation",
        "body": "Dear Foreign Secretary\r\n\r\nPlease act now.\r\n\r\nYours sincerely",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "ada@people.example",
        "address_line1": "1 High Street",
        "address_line2": "",
        "town": "Leeds",
        "postcode": "LS1 1AA",
        "country": "United Kingdom",
        "channel": "email",
        "source": "newsletter",
        "referrer": "https://news.example/story",
    }
    data.update(overrides)
    return data
