"""The hot paths (taking an action, claiming letters) are covered by indexes."""

import re
import uuid

import pytest
from django.db import connection
from django.db.models import Min
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from urgentaction.actions import kept, services
from urgentaction.actions.counts import LetterCount
from urgentaction.actions.models import Action, Delivery
from urgentaction.actions.services import repeat_probe
from urgentaction.actions.tests.factories import ActionFactory, SupporterFactory
from urgentaction.campaigns.models import Campaign
from urgentaction.campaigns.tests.factories import CampaignFactory
from urgentaction.core.tests.plans import explain, generic_plan, plan
from urgentaction.lib.hashing import email_hash
from urgentaction.supporters.models import Supporter

pytestmark = pytest.mark.django_db

HOT_QUERIES = {
    "an earlier submit of the same form": lambda: Action.objects.filter(form_token=uuid.uuid4()),
    "the supporter behind an address": lambda: Supporter.objects.filter(
        email_hash=email_hash("ada@people.example")
    ),
    "letters due for sending": lambda: Delivery.objects.due(timezone.now()),
    "a campaign's latest letters": lambda: (
        Action.objects.filter(campaign_id=1).exclude(fingerprint=[]).order_by("-created_at")[:200]
    ),
    "letters held for review, the oldest first (the staff home)": lambda: (
        Action.objects.held().order_by().aggregate(oldest=Min("created_at"))
    ),
    "letters being tried again (the staff home)": lambda: (
        Delivery.objects.retrying().order_by().aggregate(oldest=Min("first_attempt_at"))
    ),
    "a campaign's letters hour by hour (the dashboard)": lambda: LetterCount.objects.filter(
        campaign_id=1, stage__in=["written", "confirmed"]
    ).totals("stage", "hour"),
    "a campaign's letters by channel and source (the dashboard)": lambda: (
        LetterCount.objects.filter(campaign_id=1, stage="confirmed").totals("channel", "source")
    ),
}
# Aggregates are planned when they run: these are explained as the SQL they send.
AGGREGATES = {
    "letters held for review, the oldest first (the staff home)",
    "letters being tried again (the staff home)",
}


def plan_of(name: str) -> str:
    if name not in AGGREGATES:
        return plan(HOT_QUERIES[name]())
    with CaptureQueriesContext(connection) as queries:
        HOT_QUERIES[name]()
    return explain(queries.captured_queries[-1]["sql"], ())


@pytest.mark.parametrize("name", HOT_QUERIES)
def test_it_uses_an_index(name):
    text = plan_of(name)

    if connection.vendor == "sqlite":
        assert "USING" in text and "INDEX" in text, text
        assert "SCAN actions_delivery" not in text and "SCAN actions_action" not in text, text
        assert "SCAN actions_lettercount" not in text, text
        if "(the staff home)" in name or "(the dashboard)" in name:
            # Read from the index alone, whatever else the table holds.
            assert "COVERING INDEX" in text, text
        if name == "a campaign's latest letters":
            assert "TEMP B-TREE" not in text, text  # read in order, not sorted
    else:
        assert "Index" in text and "Seq Scan" not in text, text


@pytest.fixture
def letters():
    """Letters of many writers on two campaigns, and the planner's statistics of them:
    without, every index of an empty table looks as good as another."""
    campaigns = CampaignFactory.create_batch(2)
    writers = Supporter.objects.bulk_create(SupporterFactory.build_batch(200))
    Action.objects.bulk_create(
        ActionFactory.build(campaign=campaigns[number % 2], supporter=writer)
        for number, writer in enumerate(writers)
    )
    with connection.cursor() as cursor:
        for table in (Action._meta.db_table, Supporter._meta.db_table):
            cursor.execute(f"ANALYZE {table}")


def assert_the_probe_finds_both_by_index(text):
    if connection.vendor == "sqlite":
        assert "SCAN actions_action" not in text and "SCAN supporters_supporter" not in text, text
    else:
        assert "Index" in text and "Seq Scan" not in text, text
    # The writer is looked up first, and their letter by them, so that the campaign's
    # letters are not read.
    assert re.search(r"(Index Cond: |SEARCH actions_action USING ).*supporter_id ?=", text), text


def test_a_submits_probe_for_an_earlier_letter_or_the_same_form_uses_indexes(letters):
    probe = repeat_probe(Campaign.objects.first(), uuid.uuid4(), email_hash("ada@people.example"))

    assert_the_probe_finds_both_by_index(plan(probe))


# PostgreSQL plans a statement that the settings have prepared once for any values, and
# keeps that plan. What the submit runs is compiled once (lib/compiled.py).
prepared = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's prepared statements"
)


@prepared
def test_the_probes_plan_for_any_values_uses_indexes(letters):
    text = generic_plan(*services._PROBE())

    assert_the_probe_finds_both_by_index(text)
    assert "Index Cond: (form_token = $1)" in text, text


@prepared
def test_the_plan_for_any_slug_of_the_read_of_a_submits_versions_uses_indexes():
    text = generic_plan(*kept._VERSIONS())

    # The blocklists are counted whole; the campaign and the kept numbers are looked up.
    assert re.search(r"on campaigns_campaign .*\n +Index Cond: \(\(slug\)::text = \$\d\)", text)
    assert re.search(r"on core_keptversion .*\n +Index Cond: \(\(name\)::text = \$\d\)", text)
