"""Each subscriber gets an update in the language they signed up in: its words where staff
wrote them in it (otherwise the default language's), its links to that language's pages."""

import pytest
from django.utils import timezone

from urgentaction.actions.tests.factories import SupporterFactory
from urgentaction.campaigns.tests.factories import CampaignFactory
from urgentaction.mailings.models import OutboundEmail, Update
from urgentaction.mailings.updates import fan_out
from urgentaction.supporters.models import Consent, ConsentText

pytestmark = pytest.mark.django_db


def subscriber(email: str, language: str):
    supporter = SupporterFactory(email=email)
    Consent.objects.create(
        supporter=supporter,
        email_hash=supporter.email_hash,
        text=ConsentText.objects.create(wording="News.", details="Rarely."),
        method=Consent.Method.SIGNUP_FORM,
        confirmed_at=timezone.now(),
        language=language,
    )
    return supporter


def sent_to(supporter) -> OutboundEmail:
    return OutboundEmail.objects.get(supporter=supporter)


def test_each_reader_gets_the_update_in_their_language():
    english, korean = (
        subscriber("en@people.example", "en-gb"),
        subscriber("ko@people.example", "ko"),
    )
    campaign = CampaignFactory()
    Update.objects.create(
        campaign=campaign,
        subject="They are free",
        body="Thanks to **your letters**.",
        subject_ko="모두 풀려났습니다",
        body_ko="여러분의 **편지** 덕분입니다.",
        status=Update.Status.SENDING,
    )

    fan_out()

    assert sent_to(english).subject == f"[{campaign.reference}] They are free"
    assert "<strong>your letters</strong>" in sent_to(english).html
    assert sent_to(korean).subject == f"[{campaign.reference}] 모두 풀려났습니다"
    assert "<strong>편지</strong>" in sent_to(korean).html
    assert "/ko/updates/unsubscribe/" in sent_to(korean).headers["List-Unsubscribe"]
    assert "/ko/updates/preferences/" in sent_to(korean).text
    assert "/updates/unsubscribe/" in sent_to(english).headers["List-Unsubscribe"]
    assert "/ko/" not in sent_to(english).text


def test_an_update_not_written_in_korean_reaches_korean_readers_in_english():
    korean = subscriber("ko@people.example", "ko")
    campaign = CampaignFactory()
    Update.objects.create(
        campaign=campaign, subject="They are free", body="Thanks.", status="sending"
    )

    fan_out()

    assert sent_to(korean).subject == f"[{campaign.reference}] They are free"
