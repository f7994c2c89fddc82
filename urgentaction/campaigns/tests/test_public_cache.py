from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone, translation

from urgentaction.actions.models import Action
from urgentaction.actions.tests.factories import valid_data
from urgentaction.campaigns.models import Campaign
from urgentaction.campaigns.tests.factories import CampaignFactory, in_korean
from urgentaction.mailings.models import Update
from urgentaction.supporters.models import ConsentText

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    return CampaignFactory(title="Free the three")


@pytest.mark.parametrize("path", ["/", "/ko/", "campaign"])
def test_public_pages_set_no_cookie_and_may_be_cached_by_anyone(client, campaign, path):
    url = campaign.get_absolute_url() if path == "campaign" else path

    # From one of the site's own pages: a first visit to / is the browser's language's
    # (campaigns/tests/test_languages.py).
    response = client.get(url, headers={"Referer": "http://testserver/about/us/"})

    assert response.status_code == 200
    assert not response.cookies
    assert response["Cache-Control"] == "public, max-age=30, s-maxage=60"
    assert response["ETag"].startswith('"')
    assert "Last-Modified" in response
    assert "Cookie" not in response.get("Vary", "")


def test_revalidation_answers_304(client, campaign):
    first = client.get(campaign.get_absolute_url())

    again = client.get(campaign.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]


def test_the_page_comes_from_the_cache_until_staff_edit_the_campaign(client, campaign):
    first = client.get(campaign.get_absolute_url())
    Campaign.objects.filter(pk=campaign.pk).update(title="Changed behind the cache's back")
    cached = client.get(campaign.get_absolute_url())

    campaign.refresh_from_db()
    campaign.title = "Edited by staff"
    campaign.save()
    edited = client.get(campaign.get_absolute_url())

    assert b"Free the three" in cached.content
    assert cached["ETag"] == first["ETag"]
    assert b"Edited by staff" in edited.content
    assert edited["ETag"] != first["ETag"]


def rendered(response) -> bool:
    """Whether the page was made for this request, rather than served from the cache."""
    return "campaigns/campaign.html" in [template.name for template in response.templates]


def test_a_new_letter_shows_its_count_without_making_the_page_again(
    client, django_assert_num_queries
):
    campaign = CampaignFactory(requires_confirmation=False)
    url = campaign.get_absolute_url()
    before = client.get(url)
    # A page from the cache: the campaign with its version, the navigation's, and the page
    # itself when the cache is the database's table (not with Redis).
    hit = 2 if settings.REDIS_URL else 3
    with django_assert_num_queries(hit):
        client.get(url)

    Client().post(url, valid_data())
    with django_assert_num_queries(hit):
        after = client.get(url)

    assert rendered(before) and not rendered(after)
    assert b"person has written" not in before.content
    assert b"<strong>1</strong> person has written so far" in after.content
    assert b"letter-count" not in after.content
    assert after["ETag"] != before["ETag"]


def test_revalidation_after_a_new_letter_gets_the_new_count(client):
    campaign = CampaignFactory(requires_confirmation=False)
    # Made an hour ago: Last-Modified counts in whole seconds.
    Campaign.objects.filter(pk=campaign.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    url = campaign.get_absolute_url()
    before = client.get(url)

    Client().post(url, valid_data())
    by_etag = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    by_date = client.get(url, HTTP_IF_MODIFIED_SINCE=before["Last-Modified"])
    again = client.get(url, HTTP_IF_NONE_MATCH=by_etag["ETag"])

    assert by_etag.status_code == by_date.status_code == 200
    assert b"<strong>1</strong> person has written so far" in by_etag.content
    assert by_etag["Last-Modified"] != before["Last-Modified"]
    assert again.status_code == 304


def test_the_count_is_written_as_the_page_s_language_writes_it(client):
    campaign = in_korean(CampaignFactory(goal=5000))
    english_url = campaign.get_absolute_url()
    with translation.override("ko"):
        korean_url = campaign.get_absolute_url()
    Campaign.objects.filter(pk=campaign.pk).update(action_count=1233, counted_at=timezone.now())
    client.get(korean_url)
    Campaign.objects.filter(pk=campaign.pk).update(action_count=1234, counted_at=timezone.now())

    korean = client.get(korean_url).content.decode()
    english = client.get(english_url).content.decode()

    assert "지금까지 <strong>1,234</strong>명이 편지를 썼습니다" in korean
    assert "<strong>1,234</strong> people have written so far" in english
    assert "towards our goal of 5,000" in english


def test_a_closed_page_thanks_with_the_count_as_it_is_now(client):
    campaign = CampaignFactory(status=Campaign.Status.CLOSED)
    client.get(campaign.get_absolute_url())
    Campaign.objects.filter(pk=campaign.pk).update(action_count=7, counted_at=timezone.now())

    response = client.get(campaign.get_absolute_url())

    assert not rendered(response)
    assert b"7 people wrote letters. Thank you." in response.content


def test_an_edit_makes_the_page_again_with_the_count_as_it_is_now(client, campaign):
    client.get(campaign.get_absolute_url())
    Campaign.objects.filter(pk=campaign.pk).update(action_count=3, counted_at=timezone.now())

    campaign.refresh_from_db()
    campaign.summary = "Edited by staff."
    campaign.save()
    response = client.get(campaign.get_absolute_url())

    assert rendered(response)
    assert b"Edited by staff." in response.content
    assert b"<strong>3</strong> people have written so far" in response.content


def test_publishing_an_update_or_a_new_sign_up_wording_makes_a_new_version(client, campaign):
    first = client.get(campaign.get_absolute_url())
    update = Update.objects.create(campaign=campaign, subject="They are free", body="Thank you.")
    draft = client.get(campaign.get_absolute_url())

    Update.objects.filter(pk=update.pk).update(published=True)
    published = client.get(campaign.get_absolute_url())
    ConsentText.objects.create(wording="Yes, tell me what happens next.", details="Any time.")
    reworded = client.get(campaign.get_absolute_url())

    assert draft["ETag"] == first["ETag"]
    assert b"They are free" in published.content and published["ETag"] != draft["ETag"]
    assert b"Yes, tell me what happens next." in reworded.content
    assert reworded["ETag"] != published["ETag"]


def test_staff_get_their_own_page_with_notices_never_a_shared_one(client):
    campaign = CampaignFactory(test_mode=True, test_email="staff@org.example")
    client.get(campaign.get_absolute_url())
    client.force_login(get_user_model().objects.create_user("staff", is_staff=True))

    response = client.get(campaign.get_absolute_url())

    assert "private" in response["Cache-Control"]
    assert "Test mode" in response.content.decode()
    assert "letter-count" not in response.content.decode()


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_REFERER": "https://evil.example/page"},
    ],
)
def test_a_post_from_another_site_is_refused(client, campaign, headers):
    response = client.post(campaign.get_absolute_url(), valid_data(), **headers)

    assert response.status_code == 403
    assert "Your letter was not sent" in response.content.decode()
    assert not Action.objects.exists()


def test_a_post_from_the_page_itself_is_taken(client, campaign):
    response = client.post(
        campaign.get_absolute_url(),
        valid_data(),
        HTTP_ORIGIN="http://testserver",
        HTTP_SEC_FETCH_SITE="same-origin",
    )

    assert response.status_code == 302
    assert Action.objects.count() == 1


def test_made_up_query_strings_share_one_cached_page_but_a_source_has_its_own(client, campaign):
    url = campaign.get_absolute_url()

    plain, tracked, junk = (client.get(url + query) for query in ("", "?utm_x=1", "?a=2&b=3"))
    sourced = client.get(url + "?source=newsletter")

    assert plain["ETag"] == tracked["ETag"] == junk["ETag"]
    assert sourced["ETag"] != plain["ETag"]
    assert b'value="newsletter"' in sourced.content
