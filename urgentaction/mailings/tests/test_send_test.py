import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from urgentaction.campaigns.tests.factories import CampaignFactory
from urgentaction.conftest import sign_in_staff
from urgentaction.core.models import AuditEntry
from urgentaction.mailings.models import OutboundEmail, Update

pytestmark = pytest.mark.django_db


@pytest.fixture
def update():
    return Update.objects.create(
        campaign=CampaignFactory(title="Free the three"), subject="They are free", body="Thanks."
    )


def editor(email: str = "", *codenames: str) -> tuple[Client, object]:
    user = get_user_model().objects.create_user("editor", email, is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(codename__in=codenames or ("view_update", "change_update"))
    )
    client = Client()
    sign_in_staff(client, user)
    return client, user


def send_test(client, update, **extra):
    return client.post(
        reverse("admin:mailings_update_changelist"),
        {"action": "send_test_to_me", "_selected_action": [update.pk], **extra},
    )


def test_staff_without_an_email_address_are_asked_for_one_on_the_spot(update):
    client, _user = editor()

    response = send_test(client, update)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Your account has no email address yet" in html
    assert 'type="email" name="email" id="id_email" value="" autocomplete="email"' in html
    assert f'name="_selected_action" value="{update.pk}"' in html
    assert 'name="action" value="send_test_to_me"' in html
    assert not OutboundEmail.objects.exists()


def test_the_address_they_give_is_saved_to_their_account_and_gets_the_test(smtp_server, update):
    client, user = editor()

    response = send_test(client, update, email=" kim@org.example ")
    call_command("worker", "--until-idle")

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "kim@org.example"
    [test] = smtp_server.messages
    subject = f"[Test] [{update.campaign.reference}] They are free"
    assert (test["To"], test["Subject"]) == ("kim@org.example", subject)
    assert AuditEntry.objects.get().detail == "test to self"
    update.refresh_from_db()
    assert update.status == Update.Status.DRAFT


def test_an_address_that_is_not_one_is_refused_with_what_to_do(update):
    client, user = editor()

    response = send_test(client, update, email="kim at org")

    html = response.content.decode()
    assert "<title>Error: " in html
    assert "Enter an email address in the correct format, like name@example.com" in html
    assert 'aria-describedby="id_email_helptext id_email_error"' in html
    assert 'value="kim at org"' in html
    user.refresh_from_db()
    assert user.email == ""
    assert not OutboundEmail.objects.exists()


def test_an_empty_address_is_asked_for_again(update):
    client, _user = editor()

    response = send_test(client, update, email="")

    assert "Enter your email address" in response.content.decode()
    assert not OutboundEmail.objects.exists()


def test_an_updates_page_offers_a_test_that_says_where_it_goes(smtp_server, update):
    client, _user = editor("editor@org.example")
    page = client.get(reverse("admin:mailings_update_change", args=[update.pk]))
    test = reverse("admin:mailings_update_test", args=[update.pk])

    confirm = client.get(test)
    send_test(client, update)
    call_command("worker", "--until-idle")

    assert f'href="{test}"' in page.content.decode()
    html = " ".join(confirm.content.decode().split())
    assert "It goes to <strong>editor@org.example</strong> only" in html
    assert 'value="Send the test"' in html and 'name="email"' not in html
    assert [message["To"] for message in smtp_server.messages] == ["editor@org.example"]


def test_an_updates_page_asks_staff_without_an_address_for_one(update):
    client, _user = editor()

    html = client.get(reverse("admin:mailings_update_test", args=[update.pk])).content.decode()

    assert 'name="email"' in html and 'value="Save my address and send the test"' in html


def test_only_staff_who_may_edit_updates_may_send_a_test(update):
    test = reverse("admin:mailings_update_test", args=[update.pk])
    viewer, viewer_user = editor("", "view_update")
    outsider = Client()
    outsider.force_login(get_user_model().objects.create_user("outsider"))

    page = viewer.get(reverse("admin:mailings_update_change", args=[update.pk]))

    assert f'href="{test}"' not in page.content.decode()
    assert viewer.get(test).status_code == 403
    assert outsider.get(test).status_code == 302
    send_test(viewer, update, email="viewer@org.example")
    viewer_user.refresh_from_db()
    assert viewer_user.email == ""
    assert not OutboundEmail.objects.exists()
