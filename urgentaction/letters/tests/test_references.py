"""A case's reference on everything that leaves the site about it: the letter, emailed or
printed, above the salutation; hand-in bundles; the subjects of supporters' emails."""

import pytest
from django.core.management import call_command

from urgentaction.actions.confirmation import request_confirmation
from urgentaction.actions.tests.factories import ActionFactory, DeliveryFactory
from urgentaction.campaigns.models import Campaign, Channel
from urgentaction.campaigns.tests.factories import CampaignFactory, TargetFactory
from urgentaction.letters.documents import letter_pdf
from urgentaction.letters.tests.test_bundles import build, letters, pdf_pages
from urgentaction.letters.tests.test_letter_pdf import positions, text_of
from urgentaction.mailings.emails import with_words
from urgentaction.mailings.models import OutboundEmail

pytestmark = pytest.mark.django_db

LETTER = "Dear Foreign Secretary\n\nPlease act now.\n\nYours sincerely"


@pytest.fixture
def case() -> Campaign:
    return CampaignFactory(title="Free the three")


def test_the_emailed_letter_names_the_case_above_the_salutation(smtp_server, case):
    DeliveryFactory(action=ActionFactory(campaign=case, body=LETTER))

    call_command("worker", "--until-idle")

    [message] = smtp_server.messages
    body = message.get_content().replace("\r\n", "\n")
    assert body.startswith(f"Reference: {case.reference}\n\nDear Foreign Secretary\n")


def test_a_follow_ups_letter_names_the_follow_up(smtp_server, case):
    follow_up = CampaignFactory(follow_up_of=case)
    DeliveryFactory(action=ActionFactory(campaign=follow_up, body=LETTER))

    call_command("worker", "--until-idle")

    [message] = smtp_server.messages
    assert message.get_content().startswith(f"Reference: {case.reference} FI 1\r\n\r\nDear")


def test_the_printed_letter_names_the_case_above_the_salutation(case):
    action = ActionFactory(campaign=case, channel=Channel.POST, body=LETTER)

    pdf = letter_pdf(action)

    runs = {text: y for text, _x, y in positions(pdf)}
    reference = f"Reference: {case.reference}"
    assert reference in text_of(pdf)
    assert runs[reference] < runs["Dear Foreign Secretary"]


def test_a_bundle_names_the_case_on_its_cover_and_its_list_of_signatories():
    case = CampaignFactory(title="Free the three", targets=[TargetFactory()])
    letters(case, 2)

    cover, *printed = pdf_pages(build(case))
    [signatories] = pdf_pages(build(case, kind="signatories"))

    assert f"Reference {case.reference}" in cover
    assert all(f"Reference: {case.reference}" in page for page in printed)
    assert signatories.startswith(f"{case.reference}: Free the three")


def test_supporters_emails_about_a_campaign_start_with_its_reference(case):
    follow_up = CampaignFactory(follow_up_of=case, title="News of the three")

    request_confirmation(ActionFactory(campaign=follow_up, confirmed_at=None))

    email = with_words(OutboundEmail.objects.get())
    assert email.subject == f"[{case.reference} FI 1] Confirm your letter: News of the three"


def test_a_draft_has_no_reference_to_show(case):
    draft = CampaignFactory(status=Campaign.Status.DRAFT, targets=list(case.targets.all()))
    action = ActionFactory.build(campaign=draft, body=LETTER)

    assert action.signed_body().startswith("Dear Foreign Secretary")
    assert "Reference" not in text_of(letter_pdf(action))
