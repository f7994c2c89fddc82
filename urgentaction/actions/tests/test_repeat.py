import pytest
from django.test import Client

from urgentaction.actions import services
from urgentaction.actions.models import Action, Delivery
from urgentaction.actions.tests.factories import ActionFactory, SupporterFactory, valid_data
from urgentaction.campaigns.tests.factories import CampaignFactory
from urgentaction.conftest import confirm_path, erase_through_my_data
from urgentaction.core.tests.proofs import solved_proof
from urgentaction.lib.hashing import email_hash
from urgentaction.mailings.models import OutboundEmail
from urgentaction.supporters.models import Consent, ConsentText, Supporter, Suppression

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    return CampaignFactory(requires_confirmation=False)


def thanks(client, sent) -> str:
    """The thank-you page a submit sent its browser to."""
    return client.get(sent["Location"], follow=True).content.decode()


def test_a_supporter_who_writes_again_is_shown_what_they_sent(client):
    campaign = CampaignFactory()
    client.post(campaign.get_absolute_url(), valid_data(body="My first letter."))
    client.post(confirm_path(OutboundEmail.objects.get(kind="confirm_letter")))

    sent = client.post(campaign.get_absolute_url(), valid_data(body="My second letter."))

    html = thanks(client, sent)
    assert "You have already written" in html
    assert "My first letter." in html
    assert Action.objects.get().body == "My first letter."
    assert Delivery.objects.count() == 1


def test_the_same_browser_writing_again_unproven_learns_nothing(client, campaign):
    """A submit keeps nothing in the browser (no session, no cookie): writing again
    without having confirmed the address is writing as anyone would."""
    client.post(campaign.get_absolute_url(), valid_data(body="My first letter."))

    sent = client.post(campaign.get_absolute_url(), valid_data(body="My second letter."))

    html = thanks(client, sent)
    assert "Check your inbox" in html
    assert "My first letter." not in html
    assert OutboundEmail.objects.filter(kind="letter_repeat").count() == 1


def test_another_browser_learns_nothing_and_the_address_owner_is_told(client, campaign):
    client.post(campaign.get_absolute_url(), valid_data(body="My private letter."))
    stranger = Client()

    stranger.post(campaign.get_absolute_url(), valid_data(body="Impersonation."))
    sent = stranger.post(campaign.get_absolute_url(), valid_data(body="Again."))

    html = thanks(stranger, sent)
    assert "Check your inbox" in html
    assert "My private letter." not in html
    assert "1 High Street" not in html
    [notice] = OutboundEmail.objects.filter(kind="letter_repeat")
    assert notice.to == "ada@people.example"
    assert "no letter was sent" in notice.text
    # Whoever typed the address may not own it: the notice quotes nothing typed.
    for text in (notice.text, notice.html):
        assert "My private letter." not in text
        assert "Ada" not in text
        assert "http://127.0.0.1:8000/my-data/" in text
    assert Action.objects.count() == 1


def test_a_copied_form_token_with_another_address_makes_a_new_letter(client, campaign):
    data = valid_data()
    client.post(campaign.get_absolute_url(), data)
    stranger = Client()

    copied = {**data, "email": "bob@people.example", "altcha": solved_proof()}
    sent = stranger.post(campaign.get_absolute_url(), copied)

    assert Action.objects.count() == 2
    assert "1 High Street" in thanks(stranger, sent)
    assert "ada@people.example" not in thanks(stranger, sent)


def test_a_repeat_while_the_first_letter_waits_sends_its_confirmation_link_again(client):
    campaign = CampaignFactory()
    client.post(campaign.get_absolute_url(), valid_data())

    Client().post(campaign.get_absolute_url(), valid_data())

    assert list(OutboundEmail.objects.order_by("pk").values_list("kind", flat=True)) == [
        "confirm_letter",
        "confirm_reminder",
    ]


@pytest.mark.parametrize("resent_first", [True, False], ids=["resent-first", "resent-last"])
def test_the_same_form_sent_again_is_the_letter_it_repeats(client, resent_first):
    """A form sent again repeats its own letter, even when its writer also has a letter on
    the campaign it is sent to, whichever of the two was written first: the browser that
    sent it is shown it, and nobody is told of a repeat."""
    supporter = SupporterFactory(email="ada@people.example")
    campaign, elsewhere = CampaignFactory(), CampaignFactory()
    order = [elsewhere, campaign] if resent_first else [campaign, elsewhere]
    letters = {c: ActionFactory(supporter=supporter, campaign=c) for c in order}
    resent = letters[elsewhere]

    sent = client.post(campaign.get_absolute_url(), valid_data(form_token=str(resent.form_token)))

    assert sent.status_code == 302
    assert Action.objects.count() == 2
    assert not OutboundEmail.objects.exists()


def test_a_letter_stored_by_a_racing_submit_is_the_one_it_repeats(client, campaign, monkeypatch):
    """Two submits of one writer at once (two tabs): both look for an earlier letter
    before either stores its own. The one that stores second meets the unique constraint,
    finds the other's letter then, and answers as for any repeat."""
    probe = services._Found.probe.__func__
    raced = []

    def probe_then_race(cls, letter):
        found = probe(cls, letter)
        if not raced:
            writer = SupporterFactory(email=letter.email)
            raced.append(ActionFactory(campaign=campaign, supporter=writer))
        return found

    monkeypatch.setattr(services._Found, "probe", classmethod(probe_then_race))

    sent = client.post(campaign.get_absolute_url(), valid_data(body="From my second tab."))

    assert sent.status_code == 302
    assert list(Action.objects.all()) == raced
    assert "From my second tab." not in thanks(client, sent)
    assert OutboundEmail.objects.filter(kind="letter_repeat").count() == 1


def test_nobody_learns_for_free_whether_an_address_wrote(client, campaign):
    client.post(campaign.get_absolute_url(), valid_data(body="My private letter."))
    stranger = Client()

    known = stranger.post(
        campaign.get_absolute_url(), valid_data(body="Probe.", altcha="junk-proof")
    )
    unknown = stranger.post(
        campaign.get_absolute_url(),
        valid_data(body="Probe.", email="nobody@people.example", altcha="junk-proof"),
    )

    assert known.status_code == unknown.status_code == 400
    assert "There is a problem" in known.content.decode()
    assert not OutboundEmail.objects.filter(kind="letter_repeat").exists()
    assert Action.objects.count() == 1


def test_an_address_that_erased_its_data_writes_again_as_anyone_new(client, campaign):
    client.post(campaign.get_absolute_url(), valid_data(body="My first letter."))
    erase_through_my_data("ada@people.example", client)

    again = Client()
    sent = again.post(campaign.get_absolute_url(), valid_data(body="Written after erasing."))

    assert "You have already written" not in thanks(again, sent)
    new = Action.objects.exclude(body="").get()
    assert new.body == "Written after erasing."
    assert new.supporter.email == "ada@people.example"


def test_after_erasure_nothing_ties_the_address_to_the_campaign(client, campaign):
    ConsentText.objects.create(wording="Email me news.", details="Monthly at most.")
    client.post(campaign.get_absolute_url(), valid_data(wants_updates="on"))
    hashed = email_hash("ada@people.example")
    assert Consent.objects.filter(email_hash=hashed).exists()
    erase_through_my_data("ada@people.example", client)

    assert not Supporter.objects.filter(email_hash=hashed).exists()
    assert not Consent.objects.filter(email_hash=hashed).exists()
    assert not OutboundEmail.objects.filter(to_hash=hashed).exists()
    assert Suppression.objects.filter(email_hash=hashed).exists()
