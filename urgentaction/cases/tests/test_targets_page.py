"""/targets/: how often each office replies. A rate or a median shows only once at least
20 answers make it; until then the page says how many there are."""

import re
from datetime import UTC, datetime

import pytest
import time_machine

from urgentaction.campaigns.models import Campaign, Channel
from urgentaction.campaigns.tests.factories import CampaignFactory, TargetFactory, in_korean
from urgentaction.cases.models import Answer
from urgentaction.cases.responsiveness import MINIMUM, responsiveness
from urgentaction.cases.tenures import record_tenures
from urgentaction.cases.tests.factories import answered, delivered_letter, self_sent_letter
from urgentaction.lib.outbox import OutboxStatus

pytestmark = pytest.mark.django_db

Kind = Answer.Kind


def text_of(response) -> str:
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def target():
    return TargetFactory(office="Foreign Secretary", holder="Jane Minister")


def test_the_threshold_is_twenty_answers():
    assert MINIMUM == 20


def test_nineteen_answers_give_no_rate_and_say_so(client, target):
    for _ in range(MINIMUM - 1):
        answered(target, Kind.ANSWERED, days=5)

    (figures,) = responsiveness()
    page = text_of(client.get("/targets/"))

    assert (figures.answers, figures.counted, figures.replied) == (19, 19, 19)
    assert figures.reply_rate is None
    assert figures.median_days is None
    assert "Not enough answers yet: we show it from 20 answers, and have 19." in page
    assert "Not enough dated replies yet: we show it from 20, and have 19." in page
    assert "%" not in page.split("How the figures are made")[1].split("Median")[0]


def test_twenty_answers_give_the_rate(client, target):
    for _ in range(5):
        answered(target, Kind.ANSWERED, days=5)
    for _ in range(3):
        answered(target, Kind.EVADED)
    for _ in range(10):
        answered(target, Kind.NO_REPLY)
    for _ in range(2):
        answered(target, Kind.NOT_YET)

    (figures,) = responsiveness()
    page = text_of(client.get("/targets/"))

    assert figures.reply_rate == 40
    assert "Reply rate 40% (8 of 20 got a reply)" in page
    assert "Not enough dated replies yet: we show it from 20, and have 5." in page


def test_not_expecting_a_reply_is_an_answer_but_not_part_of_the_rate(target):
    for _ in range(MINIMUM - 1):
        answered(target, Kind.NO_REPLY)
    answered(target, Kind.NOT_EXPECTED)

    (figures,) = responsiveness()

    assert (figures.answers, figures.counted) == (20, 19)
    assert figures.reply_rate is None
    answered(target, Kind.NO_REPLY)
    assert responsiveness()[0].reply_rate == 0


def test_the_median_of_an_odd_and_an_even_number_of_dated_replies(client, target):
    days = [3, 40, 7, 1, 12, 9, 30, 2, 5, 8, 11, 6, 4, 10, 20, 15, 13, 14, 16]
    for day in days:
        answered(target, Kind.ANSWERED, days=day)
    assert responsiveness()[0].median_days is None
    assert responsiveness()[0].median == 10  # of 19: the 10th

    answered(target, Kind.EVADED, days=60)

    (figures,) = responsiveness()
    assert figures.median_days == 10.5  # of 20: the 10th and 11th
    assert "Median days to reply 10.5" in text_of(client.get("/targets/"))


def test_each_office_has_its_own_figures(target):
    other = TargetFactory(office="Ambassador", holder="Li Wei")
    for _ in range(MINIMUM):
        answered(target, Kind.ANSWERED, days=4)
        answered(other, Kind.NO_REPLY)

    rows = {f.tenure.target.office: f for f in responsiveness()}

    assert rows["Foreign Secretary"].reply_rate == 100
    assert rows["Foreign Secretary"].median_days == 4
    assert rows["Ambassador"].reply_rate == 0
    assert rows["Ambassador"].median_days is None


def test_letters_delivered_count_arrivals_only_and_self_sent_letters_apart(target):
    campaign = CampaignFactory(targets=[target])
    for _ in range(3):
        delivered_letter(campaign)
    delivered_letter(campaign).deliveries.update(status=OutboxStatus.FAILED)
    delivered_letter(CampaignFactory(targets=[target], test_mode=True, test_email="t@org.example"))
    self_sent_letter(campaign, channel=Channel.POST)
    self_sent_letter(campaign, channel=Channel.MAIL_APP)
    record_tenures()

    (figures,) = responsiveness()

    assert (figures.delivered, figures.self_sent, figures.answers) == (3, 2, 0)


def test_a_new_holder_starts_with_figures_of_their_own(client, target):
    campaign = CampaignFactory(targets=[target])
    with time_machine.travel(datetime(2027, 1, 10, tzinfo=UTC), tick=False):
        record_tenures()
        delivered_letter(campaign)
        delivered_letter(campaign)
    with time_machine.travel(datetime(2027, 2, 1, tzinfo=UTC), tick=False):
        target.holder = "Sam Successor"
        target.save()
        record_tenures()
    with time_machine.travel(datetime(2027, 2, 5, tzinfo=UTC), tick=False):
        delivered_letter(campaign)
        answered(target, Kind.ANSWERED, days=3, campaign=campaign, at=datetime.now(UTC))

    before, after = responsiveness()
    page = text_of(client.get("/targets/"))

    assert (before.tenure.holder, before.delivered, before.answers) == ("Jane Minister", 2, 0)
    assert (after.tenure.holder, after.delivered, after.answers) == ("Sam Successor", 2, 1)
    assert "Jane Minister, until 1 February 2027" in page
    assert "Sam Successor, since 1 February 2027" in page


def test_an_office_is_listed_once_the_worker_has_seen_its_holder(target):
    delivered_letter(CampaignFactory(targets=[target]))
    assert responsiveness() == []

    record_tenures()

    (figures,) = responsiveness()
    assert (figures.tenure.holder, figures.tenure.since, figures.delivered) == (
        "Jane Minister",
        None,
        1,
    )


def test_only_offices_of_published_campaigns_are_listed(client, target):
    draft = TargetFactory(office="Secret Office")
    delivered_letter(CampaignFactory(targets=[draft], status=Campaign.Status.DRAFT))
    delivered_letter(CampaignFactory(targets=[target]))
    record_tenures()

    assert [f.tenure.target for f in responsiveness()] == [target]
    assert "Secret Office" not in client.get("/targets/").content.decode()
    assert client.get(f"/targets/{draft.pk}/").status_code == 404


def test_the_page_says_how_the_figures_are_made(client):
    page = text_of(client.get("/targets/"))

    assert "No letter has reached an office yet." in page
    assert "How the figures are made" in page
    assert "We show a rate or a median only once at least 20 answers make it" in page
    assert "14 days after a letter goes" in page


def test_the_figures_take_the_same_few_queries_however_many_answers(
    client, target, django_assert_max_num_queries
):
    other = TargetFactory(office="Ambassador")
    for _ in range(30):
        answered(target, Kind.ANSWERED, days=3)
        answered(other, Kind.NO_REPLY)

    with django_assert_max_num_queries(3):
        responsiveness()


def test_the_page_is_in_korean_at_its_korean_address(client, target):
    in_korean(CampaignFactory(targets=[target]))
    answered(target, Kind.ANSWERED, days=3, campaign=target.campaigns.get())

    response = client.get("/ko/targets/")

    assert '<html lang="ko"' in response.content.decode()
    assert "외무장관" in text_of(response)
    assert 'href="/ko/targets/' in response.content.decode()


def test_a_targets_page_shows_its_figures_and_cases(client, target):
    campaign = CampaignFactory(targets=[target])
    delivered_letter(campaign)
    answered(target, Kind.NO_REPLY, campaign=campaign)

    page = text_of(client.get(f"/targets/{target.pk}/"))

    assert "Foreign Secretary" in page
    assert "Letters we delivered by email 2" in page
    assert "Answers to “did you get a reply?” 1" in page
    assert campaign.title in page
    assert "We have published no response from this office." in page


def test_the_targets_figures_reach_anyone_and_any_cache(client, target):
    delivered_letter(CampaignFactory(targets=[target]))
    record_tenures()

    response = client.get("/targets/")

    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert response["ETag"]
    assert client.get("/targets/", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    answered(target, Kind.NO_REPLY)
    assert client.get("/targets/", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 200


def test_every_page_links_to_it_in_its_footer(client):
    html = client.get(CampaignFactory().get_absolute_url()).content.decode()

    footer = html.split('<footer class="site-footer">')[1]
    assert '<a href="/targets/">How often offices reply</a>' in footer
