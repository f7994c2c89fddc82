"""The end of the demo's ended case (campaigns/demo_ended_case.py, a fictional example): the
target's response to its follow-up, published, and its outcome, recorded as staff record
one (which closes its pages and tells everyone who wrote: nobody did)."""

from datetime import timedelta
from typing import TextIO

from django.utils import timezone

from urgentaction.campaigns.demo_ended_case import FOLLOW_UP_SLUG
from urgentaction.campaigns.models import Campaign, OutcomeKind
from urgentaction.cases.models import TargetResponse
from urgentaction.cases.outcomes import record_outcome

# How many days ago the response came and the case ended.
RESPONSE_RECEIVED = 33
OUTCOME = 20

RESPONSE = {
    "channel": TargetResponse.Channel.LETTER,
    "summary": (
        "The Minister's office wrote that the Minister had asked the Prosecutor General to "
        "review the charges against Daria Novak, and that she would stay in the prison "
        "hospital until her trial."
    ),
    "summary_ko": (
        "장관실은 장관이 검찰총장에게 다리아 노박에 대한 혐의를 검토하도록 요청했으며, "
        "그가 재판 때까지 교도소 병원에 머물 것이라고 답했습니다."
    ),
    "text": """\
Thank you for your letter about Ms Daria Novak.

The Minister has asked the Prosecutor General to review the charges against Ms Novak before her trial. Ms Novak will remain in the prison hospital, where she receives the care she needs.

The Minister is grateful for your interest in this case.

Private Office of the Minister of Justice
(This is a fictional example: no such letter was written.)""",
    "published": True,
}

OUTCOME_TEXTS = {
    "en-gb": (
        "The prosecutor dropped the charges against Daria Novak a week before her trial, and "
        "she was released the same day. She is back at home with her family, and thanks "
        "everyone who wrote. (This is a fictional example: none of it happened.)"
    ),
    "ko": (
        "검찰은 재판 일주일 전 다리아 노박에 대한 기소를 취하했고, 그는 같은 날 "
        "석방되었습니다. 그는 가족이 있는 집으로 돌아갔으며, 편지를 보내 주신 모든 분께 "
        "감사를 전했습니다. (이 사건은 가상의 예시이며, 실제로 일어난 일이 아닙니다.)"
    ),
}


def load(out: TextIO) -> None:
    """Once: not again after its outcome is recorded, nor if staff deleted the case."""
    follow_up = Campaign.objects.filter(slug=FOLLOW_UP_SLUG).first()
    if follow_up is None or follow_up.has_outcome:
        return
    today = timezone.localdate()
    TargetResponse.objects.create(
        campaign=follow_up,
        target=follow_up.targets.get(),
        received_on=today - timedelta(days=RESPONSE_RECEIVED),
        **RESPONSE,
    )
    record_outcome(
        campaign=follow_up,
        kind=OutcomeKind.CHARGES_DROPPED,
        on=today - timedelta(days=OUTCOME),
        texts=OUTCOME_TEXTS,
        by=None,
    )
    out.write("Recorded the response to and the outcome of the demo's ended case.")
