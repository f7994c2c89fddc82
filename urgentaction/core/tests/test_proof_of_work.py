import base64
import json
import time

import altcha
import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from urgentaction.actions.models import Action, Delivery
from urgentaction.actions.tests.factories import valid_data
from urgentaction.campaigns.tests.factories import CampaignFactory
from urgentaction.conftest import confirm_path
from urgentaction.core import pow
from urgentaction.core.forms import REFUSED_PROOF
from urgentaction.core.models import RateCounter
from urgentaction.core.tests.proofs import solved, solved_proof
from urgentaction.mailings.models import OutboundEmail
from urgentaction.supporters.models import Consent, ConsentText

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    # Letters that come with a proof of work go without asking their writer to confirm.
    return CampaignFactory(requires_confirmation=False)


def work_needed(challenge: dict) -> int:
    solution = altcha.solve_challenge(altcha.Challenge.from_dict(challenge))
    return solution.counter


def test_the_challenge_is_fresh_signed_and_sets_no_cookie(client):
    first = client.get("/challenge/")
    second = client.get("/challenge/")

    assert first["Content-Type"] == "application/json"
    assert "no-store" in first["Cache-Control"]
    assert not first.cookies
    one, two = first.json(), second.json()
    assert one["parameters"]["algorithm"] == "PBKDF2/SHA-256"
    assert one["signature"] and one["parameters"]["nonce"] != two["parameters"]["nonce"]
    assert one["parameters"]["expiresAt"] > time.time() + 3000


def test_a_busy_network_gets_more_work(client, campaign):
    normal = [work_needed(client.get("/challenge/").json()) for _ in range(5)]
    busy = settings.ACTIONS_PER_NETWORK_PER_HOUR // 2
    for number in range(busy):
        client.post(campaign.get_absolute_url(), valid_data(email=f"p{number}@people.example"))

    harder = [work_needed(client.get("/challenge/").json()) for _ in range(5)]

    assert all(settings.POW_COUNTER <= work < 2 * settings.POW_COUNTER for work in normal)
    factor = settings.POW_HARDER_FACTOR
    assert all(
        factor * settings.POW_COUNTER <= work < 2 * factor * settings.POW_COUNTER for work in harder
    )


def test_an_easy_proof_asked_for_before_the_network_got_busy_is_refused(client, campaign):
    # Gathered while the network was quiet, and kept.
    easy = solved(client.get("/challenge/").json())
    with time_machine.travel(time.time() + 600):
        for number in range(settings.ACTIONS_PER_NETWORK_PER_HOUR // 2):
            client.post(campaign.get_absolute_url(), valid_data(email=f"p{number}@people.example"))

        response = client.post(campaign.get_absolute_url(), valid_data(altcha=easy))
        again = client.post(
            campaign.get_absolute_url(), valid_data(altcha=solved(client.get("/challenge/").json()))
        )

    assert refused(response, "1 High Street")
    assert again.status_code == 302
    assert Action.objects.count() == settings.ACTIONS_PER_NETWORK_PER_HOUR // 2 + 1


def test_an_easy_proof_from_a_network_now_busy_is_refused_when_sent_from_another(campaign):
    # Asked for on one network (a phone on its home wifi), sent from another (the phone
    # on mobile data): judged by the network that asked for it.
    home, mobile = Client(REMOTE_ADDR="198.51.100.7"), Client(REMOTE_ADDR="203.0.113.9")
    easy = solved(home.get("/challenge/").json())
    quiet = solved(home.get("/challenge/").json())
    accepted = mobile.post(campaign.get_absolute_url(), valid_data(altcha=quiet))
    with time_machine.travel(time.time() + 600):
        for number in range(settings.ACTIONS_PER_NETWORK_PER_HOUR // 2):
            home.post(campaign.get_absolute_url(), valid_data(email=f"p{number}@people.example"))

        response = mobile.post(
            campaign.get_absolute_url(), valid_data(altcha=easy, email="me@people.example")
        )

    assert accepted.status_code == 302
    assert refused(response, "1 High Street")
    assert Action.objects.count() == settings.ACTIONS_PER_NETWORK_PER_HOUR // 2 + 1


def test_a_letter_with_a_proof_goes_without_confirmation(client, campaign):
    client.post(campaign.get_absolute_url(), valid_data())

    action = Action.objects.get()
    assert action.confirmed_at is not None
    assert set(action.deliveries.values_list("status", flat=True)) == {Delivery.Status.PENDING}


def refused(response, typed: str) -> bool:
    html = response.content.decode()
    return (
        response.status_code == 400
        and str(REFUSED_PROOF).replace(",", "") in html.replace(",", "")
        and 'href="#send"' in html
        and typed in html
    )


def test_a_replayed_proof_is_refused_and_keeps_what_was_typed(client, campaign):
    proof = solved_proof()
    client.post(campaign.get_absolute_url(), valid_data(altcha=proof))

    again = Client().post(
        campaign.get_absolute_url(),
        valid_data(altcha=proof, email="bob@people.example", body="Dear Minister, my own words"),
    )

    assert refused(again, "Dear Minister, my own words")
    assert Action.objects.count() == 1


def test_an_expired_proof_is_refused(client, campaign):
    proof = solved_proof()

    with time_machine.travel(time.time() + settings.POW_EXPIRY_SECONDS + 1):
        response = client.post(campaign.get_absolute_url(), valid_data(altcha=proof))

    assert refused(response, "1 High Street")
    assert not Action.objects.exists()


def tampered(proof: str) -> str:
    payload = json.loads(base64.b64decode(proof))
    payload["challenge"]["parameters"]["expiresAt"] += 86400
    return base64.b64encode(json.dumps(payload).encode()).decode()


def wrong_answer(proof: str) -> str:
    payload = json.loads(base64.b64decode(proof))
    payload["solution"]["derivedKey"] = "00" * 32
    return base64.b64encode(json.dumps(payload).encode()).decode()


@pytest.mark.parametrize(
    "forged",
    [
        lambda: tampered(solved_proof()),
        lambda: wrong_answer(solved_proof()),
        lambda: "not a proof",
        lambda: base64.b64encode(b'{"challenge": []}').decode(),
        lambda: "x" * 5000,
    ],
)
def test_a_forged_proof_is_refused(client, campaign, forged):
    response = client.post(campaign.get_absolute_url(), valid_data(altcha=forged()))

    assert refused(response, "1 High Street")
    assert not Action.objects.exists()


def test_without_a_proof_a_letter_waits_for_confirmation_by_email(client, campaign):
    # Even a browser that has confirmed the address before: the proof is what is missing.
    client.post(CampaignFactory().get_absolute_url(), valid_data())
    client.post(confirm_path(OutboundEmail.objects.get()))

    client.post(campaign.get_absolute_url(), valid_data(altcha=""))

    action = Action.objects.get(campaign=campaign)
    assert action.confirmed_at is None
    assert set(action.deliveries.values_list("status", flat=True)) == {Delivery.Status.HELD}
    email = OutboundEmail.objects.filter(action=action).get()
    assert email.kind == "confirm_letter"

    client.post(confirm_path(email))

    assert set(action.deliveries.values_list("status", flat=True)) == {Delivery.Status.PENDING}


def test_a_repeated_send_of_the_same_form_needs_no_new_proof(client, campaign):
    data = valid_data()
    client.post(campaign.get_absolute_url(), data)

    again = client.post(campaign.get_absolute_url(), data)

    assert again.status_code == 302
    assert Action.objects.count() == 1


@pytest.fixture
def wording():
    return ConsentText.objects.create(wording="Yes, email me news.", details="Leave any time.")


def sign_up(client, **data):
    fields = {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@people.example"}
    return client.post("/updates/", {**fields, "agree": "on", **data})


def test_sign_up_refuses_a_replayed_proof_and_asks_by_email_without_one(client, wording):
    proof = solved_proof()
    assert sign_up(client, altcha=proof).status_code == 302

    assert refused(sign_up(Client(), altcha=proof, email="bob@people.example"), "bob@people")
    assert sign_up(Client(), email="eve@people.example").status_code == 302

    assert Consent.objects.count() == 2
    assert OutboundEmail.objects.filter(kind="confirm_signup").count() == 2


def test_a_proof_stays_spent_however_many_are_spent_after_it():
    first = solved_proof()
    pow.check(first)
    for _ in range(350):
        pow.check(solved_proof())

    with pytest.raises(pow.ProofRefused):
        pow.check(first)


def test_the_worker_forgets_spent_proofs_once_their_challenges_expire():
    expiring = solved_proof(asked_seconds_ago=settings.POW_EXPIRY_SECONDS - 5)
    pow.check(expiring)
    kept = solved_proof()
    pow.check(kept)

    with time_machine.travel(time.time() + 10):
        call_command("worker", "--until-idle")

    assert RateCounter.objects.count() == 1
    with pytest.raises(pow.ProofRefused, match="already spent"):
        pow.spend(pow.verify(kept))
