"""The header and footer of every public page, and where the privacy notice is linked."""

import pytest

from urgentaction.actions.tests.factories import SupporterFactory
from urgentaction.campaigns.tests.factories import CampaignFactory
from urgentaction.pages.models import Page
from urgentaction.pages.tests.factories import PageFactory
from urgentaction.supporters.links import preferences_url

pytestmark = pytest.mark.django_db


def header(html: str) -> str:
    return html.split('<header class="site-header">')[1].split("</header>")[0]


def footer(html: str) -> str:
    return html.split('<footer class="site-footer">')[1].split("</footer>")[0]


def test_the_header_has_the_navigation_in_order(client):
    PageFactory(slug="manifesto", title="Our manifesto", place="header", position=2)
    PageFactory(slug="us", title="About us", menu_title="About", place="header", position=1)
    PageFactory(slug="hidden", title="Hidden", place="header", published=False)
    PageFactory(slug="privacy", title="Privacy notice", place="footer")

    nav = header(client.get("/").content.decode())

    links = [">About<", "Our manifesto", "Get updates"]
    assert [nav.index(link) for link in links] == sorted(nav.index(link) for link in links)
    assert 'href="/about/us/"' in nav
    assert '<a class="site-name" href="/">Test Rights Network</a>' in nav
    assert "Hidden" not in nav and "Privacy notice" not in nav


def test_the_footer_links_the_privacy_notice_the_accessibility_statement_and_my_data(client):
    PageFactory(slug="privacy", title="Privacy notice", place="footer", position=1)
    PageFactory(slug="accessibility", title="Accessibility statement", place="footer", position=2)

    html = client.get(CampaignFactory().get_absolute_url()).content.decode()

    links = footer(html)
    assert '<a href="/about/privacy/">Privacy notice</a>' in links
    assert '<a href="/about/accessibility/">Accessibility statement</a>' in links
    assert '<a href="/my-data/">See or erase your data</a>' in links


def test_a_cached_page_changes_when_the_navigation_does(client):
    campaign = CampaignFactory()
    first = client.get(campaign.get_absolute_url())
    page = PageFactory(slug="us", title="About us", place="header")

    added = client.get(campaign.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    page.menu_title = "Who we are"
    page.save()
    renamed = client.get(campaign.get_absolute_url(), HTTP_IF_NONE_MATCH=added["ETag"])
    page.delete()
    removed = client.get(campaign.get_absolute_url(), HTTP_IF_NONE_MATCH=renamed["ETag"])

    assert added.status_code == 200 and "About us" in header(added.content.decode())
    assert renamed.status_code == 200 and "Who we are" in header(renamed.content.decode())
    assert removed.status_code == 200 and "Who we are" not in removed.content.decode()


def privacy_notice() -> Page:
    return PageFactory(slug="privacy", title="Privacy notice", role=Page.Role.PRIVACY)


def privacy_line(html: str) -> str:
    return html.split('class="hint privacy-line"')[1].split("</p>")[0]


def test_every_form_that_asks_for_personal_data_links_the_privacy_notice(client):
    privacy_notice()
    campaign = CampaignFactory()

    for path in [campaign.get_absolute_url(), "/updates/", "/my-data/"]:
        html = client.get(path).content.decode()
        form = html.split("<form")[1].split("</form>")[0]
        assert '<a href="/about/privacy/">Read our privacy notice</a>' in privacy_line(form), path
        assert form.index('type="submit"') < form.index("privacy-line"), path


def test_the_preference_page_links_it_beside_its_button(client):
    privacy_notice()
    html = client.get(preferences_url(SupporterFactory())).content.decode()

    assert "Read our privacy notice" in privacy_line(html)


def test_without_a_published_privacy_notice_no_link_leads_nowhere(client):
    PageFactory(slug="privacy", role=Page.Role.PRIVACY, published=False)

    html = client.get(CampaignFactory().get_absolute_url()).content.decode()

    assert "We use your details to deliver your letter" in privacy_line(html)
    assert "privacy notice" not in html


def test_the_header_marks_the_page_you_are_on(client):
    PageFactory(slug="us", title="About us", place="header")
    PageFactory(slug="manifesto", title="Our manifesto", place="header")

    nav = header(client.get("/about/us/").content.decode())

    assert '<a href="/about/us/" aria-current="page">About us</a>' in nav
    assert '<a href="/about/manifesto/">Our manifesto</a>' in nav
