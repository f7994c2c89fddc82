import factory
from django.utils import timezone

from urgentaction.actions.tests.factories import SupporterFactory
from urgentaction.supporters.models import Consent, ConsentText


class ConsentTextFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsentText

    wording = "Email me updates on this case and other urgent actions."
    details = "We email about once a month. Unsubscribe in one click from any email."


class ConsentFactory(factory.django.DjangoModelFactory):
    """Confirmed consent to updates, given on the sign-up form."""

    class Meta:
        model = Consent

    supporter = factory.SubFactory(SupporterFactory)
    email_hash = factory.SelfAttribute("supporter.email_hash")
    text = factory.SubFactory(ConsentTextFactory)
    method = Consent.Method.SIGNUP_FORM
    confirmed_at = factory.LazyFunction(timezone.now)
