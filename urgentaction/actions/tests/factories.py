import uuid

import factory
from django.utils import timezone

from urgentaction.actions.models import Action, Delivery
from urgentaction.campaigns.models import Channel
from urgentaction.campaigns.tests.factories import CampaignFactory
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
