import os
import subprocess
import sys
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from urgentaction.actions.models import Action, Review
from urgentaction.actions.tests.factories import valid_data
from urgentaction.campaigns.tests.factories import CampaignFactory
from urgentaction.core.models import RateCounter


def post(client, campaign, **data):
    return client.post(campaign.get_absolute_url(), valid_data(**data))


@pytest.mark.django_db
def test_one_address_may_write_three_letters_a_day_and_keeps_what_it_typed(client):
    for _ in range(3):
        assert post(client, CampaignFactory()).status_code == 302

    refused = post(client, CampaignFactory(), body="Dear Minister\n\nMy fourth letter.")

    html = refused.content.decode()
    assert refused.status_code == 400
    assert "This email address has sent 3 letters today" in html
    assert 'href="#id_email"' in html
    assert "My fourth letter." in html
    assert Action.objects.count() == 3


@pytest.mark.django_db
def test_a_resubmit_does_not_count_against_the_limit(client):
    campaign = CampaignFactory()
    data = valid_data()
    for _ in range(5):
        client.post(campaign.get_absolute_url(), data)

    assert post(client, CampaignFactory()).status_code == 302


@pytest.mark.django_db
def test_a_network_gets_few_letters_without_a_proof_of_work(client, settings):
    settings.UNPROVEN_EMAILS_PER_NETWORK_PER_HOUR = 2
    campaign = CampaignFactory()
    for n in range(2):
        assert post(client, campaign, email=f"p{n}@people.example", altcha="").status_code == 302

    refused = post(
        client, campaign, email="third@people.example", altcha="", body="Dear Minister, mine."
    )
    proven = post(client, campaign, email="proven@people.example")

    html = refused.content.decode()
    assert refused.status_code == 400
    assert "sent too many times from your network" in html
    assert "Dear Minister, mine." in html
    assert proven.status_code == 302
    assert Action.objects.count() == 3


@pytest.mark.django_db
def test_many_letters_from_one_network_are_held_softly(client, settings):
    settings.ACTIONS_PER_NETWORK_PER_HOUR = 2
    campaign = CampaignFactory()

    for n in range(3):
        post(client, campaign, email=f"p{n}@people.example")

    reviews = list(Action.objects.order_by("pk").values_list("review", flat=True))
    assert reviews == [Review.NONE, Review.NONE, Review.HELD]


@pytest.mark.django_db
def test_a_forwarded_for_header_is_ignored_unless_it_comes_from_our_proxy(client, settings):
    settings.ACTIONS_PER_NETWORK_PER_HOUR = 2
    campaign = CampaignFactory()

    for n in range(3):
        client.post(
            campaign.get_absolute_url(),
            valid_data(email=f"spoof{n}@people.example"),
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
        )
    settings.TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    for n in range(2):
        client.post(
            campaign.get_absolute_url(),
            valid_data(email=f"proxied{n}@people.example"),
            HTTP_X_FORWARDED_FOR=f"198.51.100.7, 203.0.113.{n}",
        )

    held = set(Action.objects.filter(review=Review.HELD).values_list("email", flat=True))
    assert held == {"spoof2@people.example"}


# A window of 30 years, so that no run of the test straddles two windows.
HIT = """
import django
django.setup()
from urgentaction.core.ratelimit import hit
print(sum(hit("shared-key", limit=37, window_seconds=10**9) for _ in range(100)))
"""


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{quote(db['USER'])}@{db['HOST']}{port}/{db['NAME']}"


# The database's counters always; Redis's too when the run has Redis.
@pytest.mark.parametrize(
    "redis_url",
    sorted({"", os.environ.get("REDIS_URL", "")}),
    ids=lambda url: "redis" if url else "database",
)
@pytest.mark.django_db(transaction=True)
def test_four_processes_let_exactly_the_limit_through(redis_url):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "urgentaction.testenv",
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_url,
    }
    processes = [
        subprocess.Popen(  # noqa: S603
            [sys.executable, "-c", HIT],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]

    allowed = [int(process.communicate(timeout=120)[0].strip()) for process in processes]

    assert sum(allowed) == 37
    if not redis_url:
        assert RateCounter.objects.get(key="shared-key").count == 400
