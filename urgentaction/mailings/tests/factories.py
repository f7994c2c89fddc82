import factory

from urgentaction.campaigns.tests.factories import CampaignFactory
from urgentaction.lib.hashing import email_hash
from urgentaction.mailings.models import OutboundEmail, Update


class UpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Update

    campaign = factory.SubFactory(CampaignFactory)
    subject = "They are free"
    body = "Thanks to **your letters**, the three are free."


class OutboundEmailFactory(factory.django.DjangoModelFactory):
    """An email to a supporter, waiting in the outbox."""

    class Meta:
        model = OutboundEmail

    kind = "confirm_letter"
    to = factory.Sequence(lambda n: f"reader{n}@people.example")
    to_hash = factory.LazyAttribute(lambda o: email_hash(o.to))
    subject = "Please confirm your letter"
    text = "Please confirm your letter."
    html = "<p>Please confirm your letter.</p>"
    message_id = factory.LazyFunction(
        lambda: OutboundEmail.new_message_id("letters@rights.example")
    )
