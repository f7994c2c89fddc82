import re
from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.test import Client
from django.utils import timezone

from urgentaction.actions.tests.factories import ActionFactory, SupporterFactory
from urgentaction.campaigns.models import Campaign
from urgentaction.campaigns.tests.factories import CampaignFactory
from urgentaction.cases.links import STOP_LINK_AGE, STOP_SALT, stop_url
from urgentaction.cases.models import CaseOptOut
from urgentaction.cases.notices import announce_follow_ups
from urgentaction.lib.secret_links import hide_tokens
from urgentaction.mailings.models import OutboundEmail
from urgentaction.privacy.rights import erase_supporter, export_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def case() -> Campaign:
    return CampaignFactory(title="Free the three")


@pytest.fixture
def ada(case):
    supporter = SupporterFactory(email="ada@people.example")
    ActionFactory(campaign=case, supporter=supporter)
    return supporter


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def told(supporter) -> list[str]:
    """The statuses of the case notices to ``supporter``."""
    emails = OutboundEmail.objects.filter(kind="case_notice", supporter=supporter)
    return list(emails.values_list("status", flat=True))


def test_opening_the_link_names_the_case_and_changes_nothing(client, case, ada):
    response = client.get(path_of(stop_url(ada, case)))

    html = response.content.decode()
    assert response.status_code == 200
    assert f"You wrote about “Free the three” ({case.reference})" in html
    assert '<form method="post"' in html
    assert "no-store" in response["Cache-Control"]
    assert not CaseOptOut.objects.exists()


def test_the_button_stops_notices_about_the_case_and_no_other(client, case, ada):
    first = CampaignFactory(follow_up_of=case)
    announce_follow_ups()
    other_case = CampaignFactory(title="Another case")
    ActionFactory(campaign=other_case, supporter=ada)

    # From the notice of the first follow-up: the link names the case itself.
    response = client.post(path_of(stop_url(ada, first)))

    assert "You will hear no more about this case" in response.content.decode()
    assert told(ada) == ["cancelled"]
    CampaignFactory(follow_up_of=case)
    CampaignFactory(follow_up_of=other_case)
    announce_follow_ups()
    assert sorted(told(ada)) == ["cancelled", "pending"]
    assert CaseOptOut.objects.get().case == case


def test_a_mail_clients_one_click_needs_no_cookie_or_form_token(case, ada):
    one_click = Client(enforce_csrf_checks=True)

    response = one_click.post(path_of(stop_url(ada, case)), {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert CaseOptOut.objects.filter(supporter=ada, case=case).exists()


def test_pressing_it_twice_is_harmless(client, case, ada):
    url = path_of(stop_url(ada, case))

    client.post(url)
    client.post(url)

    assert CaseOptOut.objects.count() == 1


def forged_links(ada, case) -> list[str]:
    other = SupporterFactory(email="grace@people.example")
    real = path_of(stop_url(ada, case))
    token = real.split("/")[-2]
    # Another person's id and hash, signed with a key that is not the site's.
    wrong_key = signing.TimestampSigner(key="not-the-site-key", salt=STOP_SALT).sign_object(
        [other.pk, other.email_hash[:16], case.pk]
    )
    # The real signature on someone else's data.
    _payload, stamp, signature = token.split(":")
    other_payload = signing.b64_encode(
        f'[{other.pk},"{other.email_hash[:16]}",{case.pk}]'.encode()
    ).decode()
    return [
        real.replace(token, wrong_key),
        real.replace(token, f"{other_payload}:{stamp}:{signature}"),
        real.replace(token, token[:-2] + ("AA" if not token.endswith("AA") else "BB")),
        real.replace(token, "not-a-token"),
    ]


def test_a_forged_or_altered_link_stops_nothing(client, case, ada):
    for url in forged_links(ada, case):
        assert client.get(url).status_code == 404
        response = client.post(url)
        assert response.status_code == 404
        assert "This link no longer works" in response.content.decode()

    assert not CaseOptOut.objects.exists()


def test_an_expired_link_stops_nothing(client, case, ada):
    url = path_of(stop_url(ada, case))

    with time_machine.travel(timezone.now() + STOP_LINK_AGE + timedelta(minutes=1)):
        assert client.post(url).status_code == 404
    with time_machine.travel(timezone.now() + STOP_LINK_AGE - timedelta(minutes=1)):
        assert client.get(url).status_code == 200

    assert not CaseOptOut.objects.exists()


def test_an_erased_persons_link_stops_nothing(client, case, ada):
    url = path_of(stop_url(ada, case))
    erase_supporter(ada)

    assert client.post(url).status_code == 404
    assert not CaseOptOut.objects.exists()


def test_the_links_token_is_hidden_in_logs(case, ada):
    url = stop_url(ada, case)
    token = url.split("/")[-2]

    assert token not in hide_tokens(f"GET {path_of(url)} 200")
    assert token not in hide_tokens(f"POST /ko{path_of(url)} 200")
    assert hide_tokens(url).endswith("/cases/stop/…/")


def test_a_person_sees_the_cases_they_left_and_erasure_forgets_them(client, case, ada):
    CampaignFactory(follow_up_of=case)
    announce_follow_ups()
    client.post(path_of(stop_url(ada, case)))

    [left] = export_data(ada)["cases_you_hear_no_more_about"]
    assert (left["case"], left["title"]) == (case.reference, "Free the three")

    erase_supporter(ada)
    assert not CaseOptOut.objects.exists()
    assert not ada.case_notices.exists()
