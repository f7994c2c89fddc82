"""The hot paths (taking an action, claiming letters) are covered by indexes."""

import re
import uuid

import pytest
from django.db import connection
from django.db.models import Min
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from urgentaction.actions.counts import LetterCount
from urgentaction.actions.models import Action, Delivery
from urgentaction.actions.services import repeat_probe
from urgentaction.campaigns.models import Campaign
from urgentaction.core.tests.plans import explain, plan
from urgentaction.lib.hashing import email_hash
from urgentaction.supporters.models import Supporter

pytestmark = pytest.mark.django_db

HOT_QUERIES = {
    "an earlier submit of the same form": lambda: Action.objects.filter(form_token=uuid.uuid4()),
    "the supporter behind an address": lambda: Supporter.objects.filter(
        email_hash=email_hash("ada@people.example")
    ),
    "a submit's probe for an earlier letter or the same form": lambda: repeat_probe(
        Campaign(pk=1), uuid.uuid4(), email_hash("ada@people.example")
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
    if name == "a submit's probe for an earlier letter or the same form":
        # The writer is looked up first, so that the campaign's letters are not read.
        assert re.search(r"campaign_id ?= ?\S+ AND \(?supporter_id ?=", text), text
