import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone, translation

from urgentaction.actions.models import Action
from urgentaction.actions.tests.factories import valid_data
from urgentaction.campaigns.models import Campaign
from urgentaction.campaigns.tests.factories import CampaignFactory, TargetFactory, in_korean
from urgentaction.mailings.models import Update
from urgentaction.pages.tests.factories import PageFactory
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
    # A page from the cache: the campaign with its version and the navigation's, and the
    # page itself when the cache is the database's table (not with Redis).
    hit = 1 if settings.REDIS_URL else 2
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


def with_cookie() -> Client:
    """A visitor with a session cookie, whom no cache serves: every view is a render."""
    visitor = Client()
    visitor.cookies[settings.SESSION_COOKIE_NAME] = "someone"
    return visitor


def stamps(html: str) -> list[str]:
    return re.findall(r'name="(?:rendered|embed_token)" value="([^"]*)"', html)


def test_a_page_made_again_reads_only_its_version(django_assert_num_queries):
    campaign = CampaignFactory(copy_targets=[TargetFactory()])
    PageFactory(slug="privacy", title="Privacy notice", place="footer", role="privacy")
    visitor = with_cookie()
    first = visitor.get(campaign.get_absolute_url())

    # The campaign with its version, the navigation's and the sign-up wording's id: its
    # targets, letter, sections, navigation and the page's content are kept.
    with django_assert_num_queries(1):
        again = visitor.get(campaign.get_absolute_url())

    assert rendered(first) and rendered(again)
    assert first.content != again.content
    assert stamps(first.content.decode()) != stamps(again.content.decode())
    assert re.sub(r'name="rendered" value="[^"]*"', "", first.content.decode()) == re.sub(
        r'name="rendered" value="[^"]*"', "", again.content.decode()
    )
    assert "private" in again["Cache-Control"]


def test_a_hit_reads_the_navigation_s_version_with_the_campaign(client, django_assert_num_queries):
    campaign = CampaignFactory()
    client.get(campaign.get_absolute_url())

    # The campaign with its version and the navigation's, and the page itself when the
    # cache is the database's table (not with Redis).
    with django_assert_num_queries(1 if settings.REDIS_URL else 2):
        client.get(campaign.get_absolute_url())


def test_an_edit_of_the_letter_a_target_or_the_navigation_reaches_a_page_made_again():
    target = TargetFactory(office="Foreign Secretary")
    campaign = CampaignFactory(targets=[target])
    page = PageFactory(slug="us", title="About us", place="header")
    visitor = with_cookie()
    visitor.get(campaign.get_absolute_url())

    campaign.letter.subject = "A new subject for the letter"
    campaign.letter.save()
    with_letter = visitor.get(campaign.get_absolute_url()).content.decode()
    target.office = "Prime Minister"
    target.save()
    # As the admin does (campaigns/admin.py): the campaigns of a target edited move on.
    Campaign.objects.filter(pk=campaign.pk).update(updated_at=timezone.now())
    with_target = visitor.get(campaign.get_absolute_url()).content.decode()
    page.menu_title = "Who we are"
    page.save()
    with_page = visitor.get(campaign.get_absolute_url()).content.decode()

    assert 'value="A new subject for the letter"' in with_letter
    assert "Prime Minister" in with_target
    assert ">Who we are<" in with_page


def test_each_language_and_source_has_its_own_kept_page():
    campaign = in_korean(CampaignFactory(title="Free the three"))
    visitor = with_cookie()
    url = campaign.get_absolute_url()
    with translation.override("ko"):
        korean_url = campaign.get_absolute_url()

    english = visitor.get(url).content.decode()
    korean = visitor.get(korean_url).content.decode()
    sourced = visitor.get(url + "?source=newsletter").content.decode()
    english_again = visitor.get(url).content.decode()

    assert '<html lang="ko"' in korean and "Free the three" not in korean
    assert 'name="source" value="newsletter"' in sourced
    assert "newsletter" not in english_again and "Free the three" in english_again
    assert english_again.replace(stamps(english_again)[0], "") == english.replace(
        stamps(english)[0], ""
    )


def test_a_page_sent_back_with_errors_keeps_what_was_typed_and_is_never_kept(client):
    campaign = CampaignFactory()
    visitor = with_cookie()
    visitor.get(campaign.get_absolute_url())
    data = {**valid_data(), "email": "not an address", "first_name": "Ada <b>"}

    refused = visitor.post(campaign.get_absolute_url(), data, HTTP_ORIGIN="http://testserver")
    again = visitor.get(campaign.get_absolute_url()).content.decode()

    assert refused.status_code == 400
    assert 'value="Ada &lt;b&gt;"' in refused.content.decode()
    assert "Ada" not in again and "There is a problem" not in again


def test_a_framed_form_gets_its_own_token_each_time_it_is_made():
    campaign = CampaignFactory(embed_origins=["https://partner.example"])
    visitor = with_cookie()
    url = f"/embed/actions/{campaign.slug}/"

    first, again = (visitor.get(url).content.decode() for _ in range(2))

    assert len(stamps(first)) == len(stamps(again)) == 2
    assert stamps(first) != stamps(again)
    assert "fill-" not in again


def test_the_form_s_kept_parts_show_each_language_the_campaign_as_edited_and_a_new_wording():
    """The letter form's parts that show nothing of the campaign but its ways to send
    are kept under what they show (actions/views/page.py): each language gets its own,
    a campaign's edit and a new sign-up wording show, and a form sent back with errors
    is made whole."""
    campaign = in_korean(CampaignFactory(safety_advice="Take care.", safety_advice_ko="조심."))
    visitor = with_cookie()
    url = campaign.get_absolute_url()
    with translation.override("ko"):
        korean_url = campaign.get_absolute_url()

    english = visitor.get(url).content.decode()
    korean = visitor.get(korean_url).content.decode()
    campaign.safety_advice_en_gb = "Use a nickname if you are worried."
    campaign.offers_mail_app = False
    campaign.save()
    edited = visitor.get(url).content.decode()
    ConsentText.objects.create(wording="Tell me about new urgent actions", details="Monthly.")
    new_wording = visitor.get(url).content.decode()
    data = {**valid_data(), "first_name": "", "last_name": "Lovelace <b>"}
    refused = visitor.post(url, data, HTTP_ORIGIN="http://testserver").content.decode()

    assert 'for="id_first_name">First name' in english
    assert 'for="id_first_name">이름' in korean and "First name" not in korean
    assert "Use a nickname if you are worried." in edited and "Take care." not in edited
    assert 'for="id_first_name">First name' in edited
    assert 'value="mail_app"' in english and 'value="mail_app"' not in edited
    assert "Tell me about new urgent actions" in new_wording and "Monthly." in new_wording
    assert 'id="id_first_name-error"' in refused and 'value="Lovelace &lt;b&gt;"' in refused


def test_the_first_render_after_an_edit_reads_the_targets_and_copy_targets_in_one_statement(
    django_assert_num_queries,
):
    campaign = CampaignFactory(
        targets=[TargetFactory(office="Prime Minister"), TargetFactory(office="Home Secretary")],
        copy_targets=[TargetFactory(office="Ambassador"), TargetFactory(office="Consul")],
    )
    visitor = with_cookie()
    visitor.get(campaign.get_absolute_url())
    Campaign.objects.filter(pk=campaign.pk).update(updated_at=timezone.now())

    # The campaign with its versions, its targets and copy targets, its letter, and
    # whether its case has responses to show.
    with django_assert_num_queries(4):
        html = visitor.get(campaign.get_absolute_url()).content.decode()

    targets, copies = html.split('id="copies-title"', 1)
    assert targets.index("Home Secretary") < targets.index("Prime Minister")
    assert "Ambassador" not in targets and "Consul" not in targets
    assert copies.index("Ambassador") < copies.index("Consul")
