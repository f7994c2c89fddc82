from datetime import timedelta

import pytest
from django.utils import timezone

from urgentaction.campaigns.models import Campaign
from urgentaction.campaigns.tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db


def test_it_lists_live_actions_most_urgent_first(client):
    today = timezone.localdate()
    later = CampaignFactory(title="Later deadline", deadline=today + timedelta(days=20))
    sooner = CampaignFactory(title="Sooner deadline", deadline=today + timedelta(days=2))
    open_ended = CampaignFactory(title="No deadline", deadline=None)
    CampaignFactory(title="A draft", status=Campaign.Status.DRAFT)
    CampaignFactory(title="A closed one", status=Campaign.Status.CLOSED)

    html = client.get("/").content.decode()

    positions = [html.index(c.title) for c in (sooner, later, open_ended)]
    assert positions == sorted(positions)
    assert "A draft" not in html
    assert "A closed one" not in html
    assert f'href="{sooner.get_absolute_url()}"' in html


def test_it_says_so_when_nothing_is_open(client):
    response = client.get("/")

    assert "There are no urgent actions open right now." in response.content.decode()
