import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from urgentaction.actions.tests.factories import ActionFactory, DeliveryFactory
from urgentaction.campaigns.tests.factories import CampaignFactory, TargetFactory

pytestmark = pytest.mark.django_db


def test_a_campaign_in_test_mode_sends_letters_only_to_its_test_address(smtp_server):
    target = TargetFactory(email="minister@government.example")
    campaign = CampaignFactory(targets=[target], test_mode=True, test_email="staff@org.example")
    DeliveryFactory(action=ActionFactory(campaign=campaign, subject="Free them"), target=target)

    call_command("worker", "--until-idle")

    [letter] = smtp_server.messages
    assert letter["To"] == "staff@org.example"
    assert letter["Subject"] == "[Test] Free them"
    assert "outside test mode it goes to" in letter.get_content()
    assert all("minister@government.example" not in rcpts for _, rcpts in smtp_server.envelopes)


def test_staff_are_told_on_the_page_and_the_public_is_not(client):
    campaign = CampaignFactory(test_mode=True, test_email="staff@org.example")

    public = client.get(campaign.get_absolute_url()).content.decode()
    client.force_login(get_user_model().objects.create_user("staff", is_staff=True))
    staff = client.get(campaign.get_absolute_url()).content.decode()

    assert "Test mode" not in public
    assert "Test mode: letters go to staff@org.example, not to the targets." in staff
