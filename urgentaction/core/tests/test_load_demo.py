import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from urgentaction.campaigns.models import Campaign, Target
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
    assert Campaign.objects.count() == 1


def test_running_it_again_keeps_staff_edits(capsys):
    run_load_demo(capsys)
    Campaign.objects.update(title="Edited by staff")

    run_load_demo(capsys)

    assert Campaign.objects.get().title == "Edited by staff"


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
