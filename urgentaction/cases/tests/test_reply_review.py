"""Replies writers pasted wait for staff: published only if staff choose, deleted if they
decline, and gone wherever they show when their writer erases their data."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse

from urgentaction.campaigns.tests.factories import CampaignFactory, TargetFactory
from urgentaction.cases.models import Answer
from urgentaction.cases.tests.factories import answered
from urgentaction.conftest import sign_in_staff
from urgentaction.core.models import AuditEntry
from urgentaction.privacy.rights import erase_supporter, export_data, export_json
from urgentaction.staff.tests.conftest import user_with

pytestmark = pytest.mark.django_db

LIST = reverse("admin:cases_answer_changelist")
REPLY = "Thank you for your letter. The Minister raised the case in Beijing on 3 March."


@pytest.fixture
def target():
    return TargetFactory(office="Foreign Secretary", holder="Jane Minister")


@pytest.fixture
def campaign(target):
    return CampaignFactory(targets=[target])


@pytest.fixture
def pasted(campaign, target):
    answer = answered(target, Answer.Kind.ANSWERED, days=4, campaign=campaign)
    answer.reply = REPLY
    answer.review = Answer.Review.HELD
    answer.save()
    return answer


def act(client, action: str, answer: Answer):
    return client.post(LIST, {"action": action, ACTION_CHECKBOX_NAME: [answer.pk]})


def test_staff_find_pasted_replies_waiting_for_review(admin_client, pasted):
    response = admin_client.get(LIST + "?review__exact=held")

    assert response.status_code == 200
    assert list(response.context["cl"].queryset) == [pasted]
    assert AuditEntry.objects.filter(kind=AuditEntry.Kind.VIEW_LIST).exists()


def test_a_published_reply_shows_on_the_case_and_target_pages(admin_client, pasted, campaign):
    visitor = Client()
    before = visitor.get(campaign.get_absolute_url())
    assert "raised the case in Beijing" not in before.content.decode()

    act(admin_client, "publish", pasted)

    pasted.refresh_from_db()
    assert pasted.review == Answer.Review.PUBLISHED
    case_page = visitor.get(campaign.get_absolute_url(), HTTP_IF_NONE_MATCH=before["ETag"])
    target_page = visitor.get(f"/targets/{pasted.target_id}/")
    for page in (case_page, target_page):
        html = page.content.decode()
        assert "The Minister raised the case in Beijing on 3 March." in html
        assert "A reply one of our supporters received" in html
        assert pasted.questionnaire.action.first_name not in html


def test_staff_take_out_what_names_the_writer_before_publishing(admin_client, pasted):
    change = reverse("admin:cases_answer_change", args=[pasted.pk])
    response = admin_client.post(change, {"reply": "The Minister raised the case in Beijing."})
    assert response.status_code == 302
    act(admin_client, "publish", pasted)

    html = Client().get(f"/targets/{pasted.target_id}/").content.decode()
    assert "The Minister raised the case in Beijing." in html
    assert "Thank you for your letter" not in html


def test_a_declined_reply_is_deleted(admin_client, pasted):
    act(admin_client, "decline", pasted)

    pasted.refresh_from_db()
    assert (pasted.review, pasted.reply) == (Answer.Review.DECLINED, "")
    assert pasted.kind == Answer.Kind.ANSWERED


def test_staff_without_the_right_cannot_see_or_publish_replies(pasted):
    outsider = Client()
    sign_in_staff(outsider, user_with("newcomer", ["campaigns.view_campaign"], is_staff=True))

    assert outsider.get(LIST).status_code == 403
    assert act(outsider, "publish", pasted).status_code == 403
    pasted.refresh_from_db()
    assert pasted.review == Answer.Review.HELD


def test_erasure_deletes_the_pasted_reply_and_takes_it_off_the_pages(
    admin_client, pasted, campaign
):
    act(admin_client, "publish", pasted)
    visitor = Client()
    before = visitor.get(campaign.get_absolute_url())
    assert "raised the case in Beijing" in before.content.decode()

    erase_supporter(pasted.questionnaire.action.supporter)

    pasted.refresh_from_db()
    assert (pasted.reply, pasted.review) == ("", Answer.Review.NONE)
    assert pasted.kind == Answer.Kind.ANSWERED
    after = visitor.get(campaign.get_absolute_url(), HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert "raised the case in Beijing" not in after.content.decode()
    assert "raised the case" not in visitor.get(f"/targets/{pasted.target_id}/").content.decode()


def test_a_persons_data_includes_their_answers_and_pasted_replies(pasted):
    data = export_data(pasted.questionnaire.action.supporter)

    (reply,) = data["replies_you_told_us_of"]
    assert reply["from"] == "Foreign Secretary Jane Minister"
    assert reply["answer"] == "Yes, a reply that answered my points"
    assert reply["reply"] == REPLY
    assert reply["reply_published"] is False
    assert (
        export_json(pasted.questionnaire.action.supporter)["replies_you_told_us_of"][0][
            "reply_came"
        ]
        == pasted.replied_on.isoformat()
    )


def test_editing_a_published_reply_renews_the_pages_that_show_it(admin_client, pasted, campaign):
    act(admin_client, "publish", pasted)
    visitor = Client()
    case_page = visitor.get(campaign.get_absolute_url())
    target_page = visitor.get(f"/targets/{pasted.target_id}/")

    change = reverse("admin:cases_answer_change", args=[pasted.pk])
    admin_client.post(change, {"reply": "The Minister raised the case."})

    for page, url in (
        (case_page, campaign.get_absolute_url()),
        (target_page, f"/targets/{pasted.target_id}/"),
    ):
        again = visitor.get(url, HTTP_IF_NONE_MATCH=page["ETag"])
        assert again.status_code == 200
        assert "The Minister raised the case." in again.content.decode()
        assert "Beijing" not in again.content.decode()
