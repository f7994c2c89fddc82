from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from urgentaction.actions.models import Action
from urgentaction.actions.tests.factories import ActionFactory
from urgentaction.api.cursor import Position, make_cursor
from urgentaction.api.pages import letters_page
from urgentaction.api.tests.conftest import is_problem
from urgentaction.campaigns.tests.factories import CampaignFactory
from urgentaction.core.models import AuditEntry
from urgentaction.core.tests.plans import plan
from urgentaction.privacy.rights import erase_supporter

pytestmark = pytest.mark.django_db

START = timezone.now() - timedelta(days=3)


@pytest.fixture
def campaign():
    return CampaignFactory(slug="free-them")


def letters(campaign, count: int, *, start=START, step=timedelta(minutes=1)) -> list[Action]:
    """Letters taken, and last changed, a ``step`` apart from ``start``."""
    made = []
    for i in range(count):
        action = ActionFactory(campaign=campaign, created_at=start + i * step)
        Action.objects.filter(pk=action.pk).update(updated_at=action.created_at)
        action.refresh_from_db()
        made.append(action)
    return made


def read_all(partner, url: str, **query) -> tuple[list[dict], int]:
    """Every letter from ``url``, following ``next``; and how many pages that took."""
    seen, pages = [], 0
    response = partner.get(url, query)
    while True:
        assert response.status_code == 200, response.content
        pages += 1
        seen += response.json()["outreaches"]
        if response.json()["next"] is None:
            return seen, pages
        assert response["Link"] == f'<{response.json()["next"]}>; rel="next"'
        response = partner.get(response.json()["next"])


def ids(shown: list[dict]) -> list[int]:
    return [int(letter["identifiers"][0].split(":")[1]) for letter in shown]


def test_a_cursor_walks_every_letter_once_in_order_across_pages(partner_with, campaign):
    # Some taken in the same instant: the cursor tells them apart by id.
    made = letters(campaign, 4) + letters(
        campaign, 3, start=START + timedelta(hours=1), step=timedelta(0)
    )
    letters(CampaignFactory(), 2)

    seen, pages = read_all(partner_with("read"), "/api/v1/campaigns/free-them/actions", limit=2)

    assert ids(seen) == [action.pk for action in made]
    assert pages == 4


def test_since_gives_only_the_letters_changed_from_then_on(partner_with, campaign):
    old = letters(campaign, 3)
    new = letters(campaign, 3, start=START + timedelta(days=1))
    since = new[0].updated_at.isoformat()

    seen, _ = read_all(
        partner_with("read"), "/api/v1/campaigns/free-them/actions", since=since, limit=2
    )

    assert ids(seen) == [action.pk for action in new]
    assert old[-1].pk not in ids(seen)


def test_since_brings_back_letters_confirmed_or_erased_after_they_were_taken(
    partner_with, campaign
):
    unchanged, waiting, erased = letters(campaign, 3)
    Action.objects.filter(pk=waiting.pk).update(confirmed_at=None, updated_at=waiting.created_at)
    partner = partner_with("read")
    first_sync, _ = read_all(partner, "/api/v1/campaigns/free-them/actions")
    last_seen = first_sync[-1]["modified_date"]

    # The next day the first letter's writer confirms it and the second's erases theirs.
    Action.objects.filter(pk=waiting.pk).update(confirmed_at=timezone.now())
    erase_supporter(erased.supporter)
    new = ActionFactory(campaign=campaign)
    second_sync, _ = read_all(partner, "/api/v1/campaigns/free-them/actions", since=last_seen)

    assert [letter["status"] for letter in first_sync] == [
        "queued",
        "awaiting_confirmation",
        "queued",
    ]
    assert ids(second_sync) == [waiting.pk, erased.pk, new.pk]
    assert unchanged.pk not in ids(second_sync)
    assert second_sync[0]["status"] == "queued"
    assert second_sync[1] == {
        "identifiers": [f"urgentaction:{erased.pk}"],
        "created_date": first_sync[2]["created_date"],
        "modified_date": second_sync[1]["modified_date"],
        "erased": True,
    }
    assert second_sync[1]["modified_date"] > last_seen


def test_a_letter_that_changes_during_a_walk_is_met_again_at_the_end(partner_with, campaign):
    made = letters(campaign, 4)
    partner = partner_with("read")
    first = partner.get("/api/v1/campaigns/free-them/actions", {"limit": 2}).json()

    Action.objects.filter(pk=made[0].pk).update(review="held")
    rest, _ = read_all(partner, first["next"])

    assert ids(first["outreaches"]) + ids(rest) == [
        made[0].pk,
        made[1].pk,
        made[2].pk,
        made[3].pk,
        made[0].pk,
    ]
    assert rest[-1]["status"] == "held_for_review"


def test_since_wants_a_time_with_its_offset(partner_with, campaign):
    response = partner_with("read").get(
        "/api/v1/campaigns/free-them/actions", {"since": "2025-06-01T12:00:00"}
    )

    assert is_problem(response, 422)
    assert response.json()["errors"][0]["field"] == "since"


@pytest.mark.parametrize("forged", ["not-a-cursor", "other campaign"])
def test_it_refuses_a_cursor_it_did_not_give_for_this_campaign(partner_with, campaign, forged):
    if forged == "other campaign":
        forged = make_cursor(Position(START, 1), campaign_id=campaign.pk + 1)

    response = partner_with("read").get("/api/v1/campaigns/free-them/actions", {"cursor": forged})

    assert is_problem(response, 422)
    assert response.json()["errors"][0]["field"] == "cursor"


def test_without_the_personal_scope_no_one_is_named_and_nothing_is_logged(partner_with, campaign):
    action = ActionFactory(campaign=campaign)

    shown = partner_with("read").get("/api/v1/campaigns/free-them/actions").json()["outreaches"]

    assert shown == [
        {
            "identifiers": [f"urgentaction:{action.pk}"],
            "created_date": shown[0]["created_date"],
            "modified_date": shown[0]["modified_date"],
            "erased": False,
            "status": "queued",
            "channel": "email",
            "initials_only": False,
        }
    ]
    assert not AuditEntry.objects.exists()


def test_with_the_personal_scope_the_letter_and_writer_are_shown_and_logged(partner_with, campaign):
    action = ActionFactory(campaign=campaign, address_line2="Flat 2", source="newsletter")
    partner = partner_with("read", "personal")

    shown = partner.get("/api/v1/campaigns/free-them/actions").json()["outreaches"][0]

    assert (shown["subject"], shown["message"]) == (action.subject, action.body)
    assert shown["person"] == {
        "given_name": "Ada",
        "family_name": "Lovelace",
        "email_addresses": [{"address": action.email, "primary": True}],
        "postal_addresses": [
            {
                "address_lines": ["1 High Street", "Flat 2"],
                "locality": "Leeds",
                "postal_code": "LS1 1AA",
                "country": "United Kingdom",
            }
        ],
    }
    assert shown["referrer_data"] == {"source": "newsletter", "url": ""}
    entry = AuditEntry.objects.get()
    assert (entry.api_key, entry.kind) == (partner.key.name, AuditEntry.Kind.VIEW_LIST)
    assert entry.subject == f"letters of campaign {campaign.pk}"
    assert action.email not in entry.detail


def test_an_erased_person_appears_only_as_erased(partner_with, campaign):
    erased, kept = ActionFactory(campaign=campaign), ActionFactory(campaign=campaign)
    erase_supporter(erased.supporter)

    shown = partner_with("read", "personal").get("/api/v1/campaigns/free-them/actions").json()

    # Erasure changed the letter: it comes after the one that did not change.
    assert shown["outreaches"][0]["person"]["given_name"] == kept.first_name
    assert shown["outreaches"][1] == {
        "identifiers": [f"urgentaction:{erased.pk}"],
        "created_date": shown["outreaches"][1]["created_date"],
        "modified_date": shown["outreaches"][1]["modified_date"],
        "erased": True,
    }


@pytest.mark.parametrize(
    ("letter", "status"),
    [
        ({"confirmed_at": None}, "awaiting_confirmation"),
        ({"review": "held"}, "held_for_review"),
        ({"review": "rejected"}, "rejected"),
        ({"review": "closed"}, "cancelled"),
        ({"channel": "post", "confirmed_at": None}, "supporter_sends"),
        ({}, "queued"),
    ],
)
def test_each_letter_says_what_happens_to_it_next(partner_with, campaign, letter, status):
    ActionFactory(campaign=campaign, **letter)

    shown = partner_with("read").get("/api/v1/campaigns/free-them/actions").json()

    assert shown["outreaches"][0]["status"] == status


def test_a_drafts_letters_are_not_found(partner_with):
    ActionFactory(campaign=CampaignFactory(slug="secret-draft", status="draft"))

    assert is_problem(partner_with("read").get("/api/v1/campaigns/secret-draft/actions"), 404)


@pytest.mark.parametrize("limit", [0, 501])
def test_a_page_holds_one_to_five_hundred_letters(partner_with, campaign, limit):
    response = partner_with("read").get("/api/v1/campaigns/free-them/actions", {"limit": limit})

    assert is_problem(response, 422)
    assert response.json()["errors"][0]["field"] == "limit"


@pytest.mark.parametrize("personal", [False, True])
@pytest.mark.parametrize("where", ["first page", "since", "after a cursor"])
def test_a_page_is_read_along_the_campaign_changed_index_without_a_sort(campaign, where, personal):
    # So that a page costs the same whatever the number of letters.
    start = {
        "first page": {},
        "since": {"since": START},
        "after a cursor": {"after": Position(START, 10)},
    }[where]
    page = letters_page(
        campaign, **{"since": None, "after": None, **start}, limit=101, personal=personal
    )

    text = plan(page)

    if connection.vendor == "sqlite":
        assert "action_campaign_changed_idx" in text, text
        assert "TEMP B-TREE" not in text, text
    else:
        assert "Index" in text and "Seq Scan" not in text, text
