"""A draft at its public address: staff preview it, nobody else learns it exists."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from urgentaction.actions.models import Action
from urgentaction.actions.tests.factories import valid_data
from urgentaction.campaigns.models import Campaign
from urgentaction.campaigns.tests.factories import CampaignFactory
from urgentaction.conftest import sign_in_staff
from urgentaction.core import staff_sessions
from urgentaction.staff.tests.conftest import user_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return CampaignFactory(status=Campaign.Status.DRAFT, title="Free the poets")


@pytest.fixture
def staff(client):
    sign_in_staff(client, user_with("editor", ["campaigns.view_campaign"], is_staff=True))
    return client


def test_staff_preview_a_draft_at_its_address(staff, draft):
    response = staff.get(draft.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert "Preview: not published." in html
    assert "<h1>Free the poets</h1>" in html
    assert '<button type="submit" class="button" id="send" disabled>' in html
    assert "private" in response["Cache-Control"]


def test_a_live_campaign_shows_staff_no_preview_notice(staff):
    live = CampaignFactory()

    html = staff.get(live.get_absolute_url()).content.decode()

    assert "Preview: not published." not in html
    assert 'id="send">' in html


def test_nobody_else_learns_a_draft_exists(client, draft):
    outsider = Client()
    outsider.force_login(get_user_model().objects.create_user("outsider"))
    password_only = Client()
    password_only.force_login(user_with("half", ["campaigns.view_campaign"], is_staff=True))
    no_permission = Client()
    sign_in_staff(no_permission, user_with("intern", [], is_staff=True))

    for visitor in (client, outsider, password_only, no_permission):
        assert visitor.get(draft.get_absolute_url()).status_code == 404


def test_a_preview_ends_with_the_staff_session(staff, draft):
    staff_sessions.end(staff.session)

    assert staff.get(draft.get_absolute_url()).status_code == 404


def test_no_letter_can_be_sent_to_a_draft(staff, draft):
    response = staff.post(draft.get_absolute_url(), valid_data())

    assert response.status_code == 404
    assert not Action.objects.exists()
