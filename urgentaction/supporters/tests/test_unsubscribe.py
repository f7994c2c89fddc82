import pytest
from django.test import Client
from django.utils import timezone

from urgentaction.actions.tests.factories import SupporterFactory
from urgentaction.conftest import same_page
from urgentaction.supporters.links import preferences_url, unsubscribe_url
from urgentaction.supporters.models import Consent, ConsentText, Supporter

pytestmark = pytest.mark.django_db


@pytest.fixture
def wording():
    return ConsentText.objects.create(wording="Email me news.", details="Twice a month at most.")


def subscriber(wording, email: str) -> Supporter:
    supporter = SupporterFactory(email=email)
    Consent.objects.create(
        supporter=supporter,
        email_hash=supporter.email_hash,
        text=wording,
        method=Consent.Method.SIGNUP_FORM,
        confirmed_at=timezone.now(),
    )
    return supporter


def path(url: str) -> str:
    return url.removeprefix("http://127.0.0.1:8000")


@pytest.fixture
def mail_client():
    """A mail client's one-click POST: no cookie, no CSRF token (RFC 8058)."""
    return Client(enforce_csrf_checks=True)


def test_a_cookieless_one_click_post_unsubscribes_at_once(wording, mail_client):
    ada = subscriber(wording, "ada@people.example")

    response = mail_client.post(path(unsubscribe_url(ada)), {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert not Supporter.objects.subscribed().exists()
    assert Consent.objects.get().withdrawn_how == "unsubscribe link"


def test_opening_the_link_changes_nothing(client, wording):
    ada = subscriber(wording, "ada@people.example")

    html = client.get(path(unsubscribe_url(ada))).content.decode()

    assert '<button type="submit" class="button">Unsubscribe</button>' in html
    assert Supporter.objects.subscribed().count() == 1


def test_a_token_for_one_address_cannot_unsubscribe_another(wording, mail_client):
    ada = subscriber(wording, "ada@people.example")
    bob = subscriber(wording, "bob@people.example")
    token = path(unsubscribe_url(ada)).split("/")[3]
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")

    mail_client.post(f"/updates/unsubscribe/{tampered}/")
    assert Supporter.objects.subscribed().count() == 2
    mail_client.post(path(unsubscribe_url(ada)))

    assert list(Supporter.objects.subscribed()) == [bob]


def test_unknown_tokens_get_the_same_answers_as_valid_ones(wording, mail_client):
    ada = subscriber(wording, "ada@people.example")
    valid, unknown = path(unsubscribe_url(ada)), "/updates/unsubscribe/nobody:at:all/"

    for method in (mail_client.get, mail_client.post):
        assert same_page(method(valid).content, valid) == same_page(
            method(unknown).content, unknown
        )


def test_the_preference_page_shows_then_changes(client, wording):
    ada = subscriber(wording, "ada@people.example")
    url = path(preferences_url(ada))

    shown = client.get(url).content.decode()
    assert "ada@people.example receives updates" in shown
    assert Supporter.objects.subscribed().count() == 1

    client.post(url, {"choice": "unsubscribe"})
    assert "does not receive updates" in client.get(url).content.decode()
    assert not Supporter.objects.subscribed().exists()

    client.post(url, {"choice": "subscribe"})
    assert Supporter.objects.subscribed().count() == 1
    assert Consent.objects.latest("pk").method == Consent.Method.PREFERENCES


def test_a_tampered_preference_link_shows_nothing(client, wording):
    ada = subscriber(wording, "ada@people.example")

    html = client.get(path(preferences_url(ada)).replace(":", ";", 1)).content.decode()

    assert "This link no longer works" in html
    assert "ada@people.example" not in html
