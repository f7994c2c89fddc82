"""Django logs the path of a request it refused (``Not Found: /letters/<token>/...``) and the
development server every request's: a personal link's token is hidden in those records."""

import logging

import pytest
from django.test import Client

from urgentaction.actions.links import letter_url
from urgentaction.actions.tests.factories import ActionFactory

pytestmark = pytest.mark.django_db


def logged(caplog, name: str) -> str:
    records = [record for record in caplog.records if record.name == name]
    assert records
    return "\n".join(f"{record.getMessage()} {record.args}" for record in records)


def test_it_hides_the_token_of_a_letter_link_that_no_longer_works(client, caplog):
    action = ActionFactory()
    path = letter_url(action)
    token = path.split("/")[2]
    action.body = ""
    action.save()

    assert client.get(path).status_code == 404

    text = logged(caplog, "django.request")
    assert token not in text
    assert "Not Found: /letters/…/letter.pdf" in text


def test_it_hides_the_token_when_a_method_or_a_form_is_refused(caplog):
    token = "Zq8sLiveToken_of-Ada"

    Client().put(f"/confirm/{token}/")
    Client(enforce_csrf_checks=True).post(f"/updates/preferences/{token}/")

    requests, csrf = logged(caplog, "django.request"), logged(caplog, "django.security.csrf")
    assert token not in requests + csrf
    assert "Method Not Allowed (PUT): /confirm/…/" in requests
    assert "/updates/preferences/…/" in csrf


def test_it_hides_the_token_in_the_development_servers_log(caplog):
    # As django.core.servers.basehttp.WSGIRequestHandler logs each request.
    logging.getLogger("django.server").info(
        '"%s" %s %s', "GET /confirm/Zq8sLiveToken/ HTTP/1.1", "200", "1438"
    )

    assert logged(caplog, "django.server").startswith('"GET /confirm/…/ HTTP/1.1" 200 1438')
