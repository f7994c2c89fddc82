import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from urgentaction.campaigns.demo_ended_case import CASE_SLUG, FOLLOW_UP_SLUG
from urgentaction.campaigns.models import Campaign, Target
from urgentaction.cases.models import OutcomeRecord, TargetResponse
from urgentaction.pages.models import Page

pytestmark = pytest.mark.django_db


def run_load_demo(capsys) -> str:
    call_command("load_demo")
    return capsys.readouterr().out


def test_it_loads_the_case_in_korean_too_with_the_letter_in_both(client, capsys):
    run_load_demo(capsys)

    html = client.get("/ko/actions/north-korean-family/").content.decode()

    assert '<html lang="ko"' in html
    for fact in ["선양", "11월 4일", "네 살", "강제송환 금지 원칙", "2014년", "제2조와 제3조"]:
        assert fact in html
    # The office reads English: the English letter, the Korean one beside it to read, and
    # a note on which to send.
    body = re.search(r'<textarea name="body"[^>]*>(.*?)</textarea>', html, re.S)[1]
    assert body.strip().startswith("Dear Foreign Secretary")
    assert "외무장관님께" in html and "영어 편지를 그대로 보내 주십시오" in html
    assert 'hreflang="en-gb"' in html
    # The organisation's pages too, linked from the Korean page's header and footer.
    assert '<a href="/ko/about/us/">소개</a>' in html
    privacy = client.get("/ko/about/privacy/").content.decode()
    assert "<h1>개인정보 처리방침</h1>" in privacy and "일 후에 삭제됩니다" in privacy


def test_it_loads_a_live_demo_that_can_only_write_to_an_example_domain(client, capsys):
    run_load_demo(capsys)

    campaign = Campaign.objects.get(slug="north-korean-family")
    assert campaign.is_live
    [target] = campaign.targets.all()
    assert target.email.endswith("@example.org")
    assert target.office == "Foreign Secretary"
    assert "King Charles Street" in target.address
    assert target.postcode == "SW1A 2AH"
    # A newcomer's second letter goes within seconds; new targets keep a humane pace.
    assert target.send_interval.total_seconds() <= 10
    [ambassador] = campaign.copy_targets.all()
    assert ambassador.office == (
        "Ambassador of the People's Republic of China to the United Kingdom"
    )
    assert (ambassador.address, ambassador.postcode) == ("49-51 Portland Place\nLondon", "W1B 1JL")
    assert ambassador.email.endswith("@example.org")
    assert Target().hourly_cap == 30
    html = client.get("/actions/north-korean-family/").content.decode()
    for fact in [
        "Shenyang",
        "4 November",
        "four-year-old",
        "non-refoulement",
        "2014",
        "Articles 2 and 3",
    ]:
        assert fact in html
    assert "Dear Foreign Secretary\n\nI am writing about ten North Korean refugees" in html
    assert "Send a copy to" in html and "49-51 Portland Place" in html


def test_it_creates_a_staff_account_once_and_prints_its_password(capsys):
    first = run_load_demo(capsys)
    second = run_load_demo(capsys)

    password = re.search(r"password (\S+) \(shown only this once\)", first).group(1)
    user = get_user_model().objects.get()
    assert user.is_staff and user.is_superuser
    # So that "Send a test to me" on an update has somewhere to send.
    assert user.email == "admin@example.org"
    assert user.check_password(password)
    assert "password" not in second
    assert Campaign.objects.count() == 3


def test_running_it_again_keeps_staff_edits_and_adds_nothing(capsys):
    run_load_demo(capsys)
    Campaign.objects.update(title="Edited by staff")
    TargetResponse.objects.update(summary="Edited by staff")

    run_load_demo(capsys)

    assert set(Campaign.objects.values_list("title", flat=True)) == {"Edited by staff"}
    assert Campaign.objects.count() == 3
    assert TargetResponse.objects.get().summary == "Edited by staff"
    assert OutcomeRecord.objects.count() == 1


def test_it_loads_an_earlier_ended_case_marked_as_a_fictional_example(client, capsys):
    run_load_demo(capsys)

    case = Campaign.objects.get(slug=CASE_SLUG)
    follow_up = Campaign.objects.get(slug=FOLLOW_UP_SLUG)
    live = Campaign.objects.get(slug="north-korean-family")
    assert (case.reference_number, live.reference_number) == (1, 2)
    assert follow_up.reference == f"{case.reference} FI 1"
    assert case.published_at < follow_up.published_at < live.published_at
    assert [case.status, follow_up.status] == [Campaign.Status.CLOSED] * 2
    [target] = follow_up.targets.all()
    assert target.email.endswith("@example.org")
    html = client.get(follow_up.get_absolute_url()).content.decode()
    assert "<h1>Fictional example: Daria Novak&#x27;s trial is set for next month</h1>" in html
    assert 'id="outcome-title">Charges dropped</h2>' in html
    assert "(This is a fictional example: none of it happened.)" in html
    assert "Responses from the targets" in html and "asked the Prosecutor General" in html
    assert f'<a href="{case.get_absolute_url()}">Fictional example: free Daria Novak' in html
    assert "people wrote letters" not in html
    first = client.get(case.get_absolute_url()).content.decode()
    assert "This is a fictional example." in first
    assert 'id="outcome-title">Charges dropped</h2>' in first
    home = client.get("/").content.decode().split('id="outcomes-title"')[1]
    assert f'<a href="{case.get_absolute_url()}">Fictional example: free Daria Novak' in home
    assert "Charges dropped" in home and "trial is set" not in home
    record = OutcomeRecord.objects.get()
    assert (record.campaign, record.letters_cancelled) == (follow_up, 0)


def test_the_ended_case_is_in_korean_too(client, capsys):
    run_load_demo(capsys)

    for slug in (CASE_SLUG, FOLLOW_UP_SLUG):
        html = client.get(f"/ko/actions/{slug}/").content.decode()
        assert '<html lang="ko"' in html
        assert "<h1>가상의 예시: " in html
    html = client.get(f"/ko/actions/{FOLLOW_UP_SLUG}/").content.decode()
    assert "기소 취하" in html and "실제로 일어난 일이 아닙니다" in html
    assert "장관이 검찰총장에게" in html


def test_it_loads_the_organisations_pages_with_the_real_retention_periods(client, capsys, settings):
    settings.LETTER_RETENTION_DAYS = 45
    settings.SUPPORTER_RETENTION_MONTHS = 18
    settings.CONTACT_EMAIL = "contact@example.org"  # as make demo sets it
    run_load_demo(capsys)

    assert set(Page.objects.values_list("slug", flat=True)) == {
        "us",
        "manifesto",
        "privacy",
        "accessibility",
    }
    html = client.get("/about/privacy/").content.decode()
    assert "deleted 45 days after the letter was delivered" in html
    assert "18 months after you" in html
    assert "{" not in html.split("<main")[1].split("</main>")[0]
    nav = client.get("/").content.decode()
    assert '<a href="/about/manifesto/">Our manifesto</a>' in nav
    assert '<a href="/about/accessibility/">Accessibility statement</a>' in nav
