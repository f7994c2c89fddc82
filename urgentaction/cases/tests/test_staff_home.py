"""Pasted replies waiting for review are one click from the staff home."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from urgentaction.campaigns.tests.factories import TargetFactory
from urgentaction.cases.models import Answer
from urgentaction.cases.tests.factories import answered
from urgentaction.conftest import sign_in_staff
from urgentaction.staff.tests.conftest import CAMPAIGNER_PERMISSIONS, user_with

pytestmark = pytest.mark.django_db

HOME = reverse("admin:index")


def staff_client(*permissions: str) -> Client:
    client = Client()
    user = user_with("reviewer", [*CAMPAIGNER_PERMISSIONS, *permissions], is_staff=True)
    sign_in_staff(client, user)
    return client


def test_the_alert_says_how_many_replies_wait_and_how_long():
    target = TargetFactory()
    for hours in (30, 2):
        answer = answered(target, Answer.Kind.ANSWERED)
        Answer.objects.filter(pk=answer.pk).update(
            reply="Thank you for writing.",
            review=Answer.Review.HELD,
            created_at=timezone.now() - timedelta(hours=hours),
        )
    answered(target, Answer.Kind.NO_REPLY)
    client = staff_client("cases.view_answer")

    response = client.get(HOME)

    (alert,) = response.context["alerts"]
    assert (alert.text, alert.detail) == (
        "2 replies supporters pasted, waiting for review",
        "The oldest has waited 1\xa0day.",
    )
    assert client.get(alert.url).context["cl"].result_count == 2


def test_only_staff_who_may_see_answers_are_told():
    answer = answered(TargetFactory(), Answer.Kind.ANSWERED)
    Answer.objects.filter(pk=answer.pk).update(reply="Thanks.", review=Answer.Review.HELD)

    assert staff_client().get(HOME).context["alerts"] == []


def test_responses_and_answers_are_listed_with_the_campaigns():
    client = staff_client("cases.view_targetresponse", "cases.view_answer")

    response = client.get(HOME)

    campaigns = next(s for s in response.context["app_list"] if s["name"] == "Campaigns")
    assert [m["name"] for m in campaigns["models"]][-3:] == [
        "Responses from targets",
        "Did writers get a reply?",
        "Pasted replies to review",
    ]
    assert campaigns["models"][-1]["admin_url"] == (
        reverse("admin:cases_answer_changelist") + "?review__exact=held"
    )
