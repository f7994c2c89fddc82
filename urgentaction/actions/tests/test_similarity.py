import pytest

from urgentaction.actions.models import Action, Review
from urgentaction.actions.tests.factories import valid_data
from urgentaction.campaigns.tests.factories import CampaignFactory, LetterTemplateFactory

pytestmark = pytest.mark.django_db

TEMPLATE = """{salutation}

I am writing about ten North Korean refugees who were arrested in Shenyang on 4 November.
They face being sent back to North Korea, where they could be imprisoned or executed.
Returning them would violate the principle of non-refoulement. I urge you to raise
their case with the Chinese authorities and to ask for safe passage to South Korea.

Yours sincerely"""

PERSONAL = [
    """Dear Foreign Secretary

My own family fled Hamgyong province in 1997, and I know what waits for people who are
sent back: my uncle spent six years in a labour camp after he was caught in Yanji. I am
writing as a nurse in Leeds who cares for refugees every week. Please telephone your
Chinese counterpart this week and ask that these ten people, including a small boy, be
allowed to travel to Seoul. It would mean the world to families like mine.

Yours sincerely""",
    """Dear Foreign Secretary

As a teacher in Glasgow I have taught children whose parents escaped from the North,
and I have seen how long the fear lasts. The four-year-old boy arrested in Shenyang is
the same age as my daughter. Britain has a voice in Beijing; please use it now, before
the group is handed to border guards, and tell Parliament what reply you receive.

Yours sincerely""",
]


@pytest.fixture
def campaign(settings):
    # Every test letter comes from one address; the network limit is not tested here.
    settings.ACTIONS_PER_NETWORK_PER_HOUR = 1000
    campaign = CampaignFactory(
        requires_confirmation=False, allow_template_letters=False, letter=False
    )
    LetterTemplateFactory(campaign=campaign, body=TEMPLATE)
    return campaign


def lightly_edited(n: int) -> str:
    body = TEMPLATE.replace("{salutation}", "Dear Foreign Secretary")
    return body.replace("I urge you", ["I ask you", "I beg you", "Please,"][n % 3]) + f"\n{n}"


def test_lightly_edited_copies_are_held_and_personal_letters_are_not(client, campaign):
    for n in range(50):
        client.post(
            campaign.get_absolute_url(),
            valid_data(body=lightly_edited(n), email=f"copy{n}@people.example"),
        )
    for n, body in enumerate(PERSONAL):
        client.post(
            campaign.get_absolute_url(), valid_data(body=body, email=f"own{n}@people.example")
        )

    copies = [a for a in Action.objects.all() if a.email.startswith("copy")]
    own = [a for a in Action.objects.all() if a.email.startswith("own")]
    assert len(copies) == 50 and all(a.review == Review.HELD for a in copies)
    assert {reason for a in copies for reason in a.held_reasons} == {
        "the suggested letter, barely changed"
    }
    assert [a.review for a in own] == [Review.NONE, Review.NONE]


def test_near_copies_of_a_text_that_is_not_the_template_are_held(client, campaign):
    spam = PERSONAL[0]
    client.post(campaign.get_absolute_url(), valid_data(body=spam, email="first@people.example"))

    client.post(
        campaign.get_absolute_url(),
        valid_data(body=spam.replace("Leeds", "York"), email="second@people.example"),
    )

    first, second = Action.objects.order_by("pk")
    assert first.review == Review.NONE
    assert second.held_reasons == ["nearly the same as another letter"]


def test_staff_can_let_a_campaign_send_the_template_as_it_is(client, campaign):
    campaign.allow_template_letters = True
    campaign.save()

    client.post(campaign.get_absolute_url(), valid_data(body=lightly_edited(1)))

    assert Action.objects.get().review == Review.NONE


def test_a_new_wording_of_the_suggested_letter_is_the_one_letters_are_measured_against(
    client, campaign
):
    # Measured once against the first wording, which each process then keeps at hand...
    first = TEMPLATE.replace("{salutation}", "Dear Foreign Secretary")
    client.post(campaign.get_absolute_url(), valid_data(body=first, email="a@people.example"))
    # ...then staff replace it with a letter of their own words.
    campaign.letter.body = PERSONAL[0]
    campaign.letter.save()

    client.post(campaign.get_absolute_url(), valid_data(body=first, email="b@people.example"))
    client.post(campaign.get_absolute_url(), valid_data(body=PERSONAL[0], email="c@people.example"))

    held = dict(Action.objects.values_list("email", "review"))
    assert held == {
        "a@people.example": Review.HELD,
        "b@people.example": Review.NONE,
        "c@people.example": Review.HELD,
    }
