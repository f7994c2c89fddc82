"""Whatever anyone types into the action form: never a server error, never an extra
email header, never markup that reaches the page unescaped."""

import email
import uuid

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from urgentaction.actions.delivery import build_message
from urgentaction.actions.models import Action, Delivery
from urgentaction.actions.tests.test_take_action import valid_data
from urgentaction.campaigns.tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db

# Anything a keyboard, a paste or a bot can produce, control characters and line breaks
# included, weighted towards what breaks things.
NASTY = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.sampled_from("\r\n\t<>&\"'\x00\x0b\u2028 aZ:;=@Bcc"), max_size=80),
    st.sampled_from(
        [
            "Ada\r\nBcc: victim@example.com",
            "<script>alert(1)</script>",
            "=?utf-8?q?evil?=",
            "x" * 5000,
            "",
            "   ",
            "\u202eevil",
            "a\x00b",
        ]
    ),
)
# Exactly the headers a letter has: no input may add one.
HEADERS = {
    "Content-Type",
    "MIME-Version",
    "Content-Transfer-Encoding",
    "Subject",
    "From",
    "To",
    "Reply-To",
    "Date",
    "Message-ID",
}
FIELDS = ["first_name", "last_name", "email", "subject", "body", "town", "address_line1"]
RUNS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def letter_data(**fields: str) -> dict[str, str]:
    """Valid form data with ``fields`` changed, from an address of its own: the examples
    of a test share one database, where the fourth letter in a day from one address is
    refused, and every example after it would test nothing."""
    return valid_data(**{"email": f"{uuid.uuid4().hex}@people.example", **fields})


@RUNS
@given(field=st.sampled_from(FIELDS), value=NASTY)
def test_any_input_gets_a_page_or_a_letter_never_an_error(field, value):
    campaign = CampaignFactory(requires_confirmation=False)
    client = Client(raise_request_exception=False)

    response = client.post(campaign.get_absolute_url(), letter_data(**{field: value}))

    assert response.status_code in (302, 400)
    # Shown again to be corrected, but only ever escaped.
    assert "<script>alert(1)</script>" not in response.content.decode()


@RUNS
@given(field=st.sampled_from(["first_name", "last_name", "subject", "email"]), value=NASTY)
def test_no_input_ever_becomes_an_email_header(field, value):
    campaign = CampaignFactory(requires_confirmation=False)
    Client().post(campaign.get_absolute_url(), letter_data(**{field: value}))

    for delivery in Delivery.objects.filter(action__campaign=campaign):
        sent = email.message_from_bytes(build_message(delivery).message().as_bytes())
        assert set(sent.keys()) == HEADERS
        assert len(sent.get_all("To")) == 1


@RUNS
@given(body=NASTY.filter(lambda text: text.strip()))
def test_the_letter_is_always_shown_escaped(body):
    campaign = CampaignFactory(requires_confirmation=False)
    client = Client()

    client.post(campaign.get_absolute_url(), letter_data(body=body))
    action = Action.objects.filter(campaign=campaign).first()
    if action is None:
        return
    page = client.get(f"/actions/{campaign.slug}/thanks/").content.decode()

    assert "<script>alert(1)</script>" not in page
    for tag in ("<script", "<img", "<iframe"):
        assert tag not in page.split('<div class="letter"', 1)[1].split("</div>", 1)[0]
