"""Whatever anyone types into the action form: never a server error, never an extra
email header, never markup that reaches the page unescaped."""

import email
import re
import uuid
from email.header import decode_header, make_header
from email.utils import getaddresses

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils.encoding import punycode
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from urgentaction.actions.delivery import build_message
from urgentaction.actions.models import Action, Delivery
from urgentaction.actions.tests.factories import valid_data
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
            "zoë@example.org",
        ]
    ),
    # What a mail app may read as more headers or another address: encoded words (which
    # it decodes), C1 controls (NEL breaks lines in some), names with quotes, angle
    # brackets and commas.
    st.builds("=?utf-8?q?{}?=".format, st.text(alphabet='=0ADBcc:_x@y<>,"', max_size=30)),
    st.text(alphabet=st.sampled_from('"<>,;:@\\()[]?= aZë\x80\x85\x9b\x9f'), max_size=40),
    st.sampled_from(
        [
            "=?utf-8?q?Eve=0D=0ABcc:_x@y?=",
            "Eve\x85Bcc: victim@example.com",
            "Zoë, Eve <evil@bad.example>",
            'Zoë "Eve" <evil@bad.example>',
            'Eve\\", evil@bad.example',
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


def as_shown(header: str) -> str:
    """A header as a mail app shows it: unfolded, then its encoded words decoded."""
    return str(make_header(decode_header(re.sub(r"\r?\n(?=[ \t])", "", header))))


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
        for name in ("Subject", "From", "Reply-To"):
            assert len(as_shown(sent[name]).splitlines()) == 1
        local_part, _, domain = delivery.action.email.rpartition("@")
        for name, address in [
            ("From", django_settings.LETTERS_FROM_EMAIL),
            ("Reply-To", f"{local_part}@{punycode(domain)}"),
        ]:
            # Read by a parser without the fix for CVE-2023-27043, as sent and as shown.
            for header in (sent[name], as_shown(sent[name])):
                assert [pair[1] for pair in getaddresses([header])] == [address]


@RUNS
@given(body=NASTY.filter(lambda text: text.strip()))
def test_the_letter_is_always_shown_escaped(body):
    campaign = CampaignFactory(requires_confirmation=False)
    client = Client()

    sent = client.post(campaign.get_absolute_url(), letter_data(body=body))
    action = Action.objects.filter(campaign=campaign).first()
    if action is None:
        return
    page = client.get(sent["Location"], follow=True).content.decode()

    assert "<script>alert(1)</script>" not in page
    for tag in ("<script", "<img", "<iframe"):
        assert tag not in page.split('<div class="letter"', 1)[1].split("</div>", 1)[0]
