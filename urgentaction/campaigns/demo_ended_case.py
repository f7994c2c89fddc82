"""The demo's second case: an earlier one, ended, made up so that a newcomer sees the whole
life of a case (its first page, a follow-up, a response from the target, the outcome).
It says plainly on every page that it is a fictional example: its person, country and
office do not exist, and its target's email is on a reserved example domain. This app
loads its pages, as published and closed on dates in the past; the cases app's demo logs
the response and records the outcome."""

from datetime import timedelta
from typing import TextIO

from django.utils import timezone

from urgentaction.campaigns.models import Campaign, LetterTemplate, Target

CASE_SLUG = "example-daria-novak"
FOLLOW_UP_SLUG = "example-daria-novak-trial"

# How many days ago each step of the case happened.
CASE_PUBLISHED = 70
FOLLOW_UP_PUBLISHED = 45
DAYS_TO_ACT = 14

TARGET = {
    "office": "Minister of Justice of Veltria",
    "salutation": "Dear Minister",
    "organisation": "Ministry of Justice of the Republic of Veltria (fictional)",
    "address": "1 Example Square\nVeltria City",
    "country": "Veltria (a fictional country)",
    "email": "justice.minister@example.org",
    "language": "en",
    "why": "In this fictional example, the Minister can ask the prosecutor to drop the charges.",
    "office_ko": "벨트리아 법무부 장관",
    "salutation_ko": "장관님께",
    "why_ko": "이 가상의 예시에서 법무부 장관은 검찰에 기소를 취하하도록 요청할 수 있습니다.",
}

CASE = {
    "title": "Fictional example: free Daria Novak, a teacher jailed for a peaceful protest",
    "summary": (
        "A made-up case that shows the whole life of a case on this site: Daria Novak, a "
        "teacher in the fictional Republic of Veltria, was jailed after speaking at a "
        "peaceful protest."
    ),
    "story": """\
This is a fictional example. Daria Novak, the Republic of Veltria and its Minister of Justice do not exist, and no letter on this case went to anyone. It shows what a case looks like once it has ended: its pages, a follow-up, a response from the target, and the outcome.

Daria Novak, a primary-school teacher in Veltria's capital, was arrested after she spoke at a peaceful protest for teachers' pay. She is charged with "insulting public officials" and held without bail.

She has a heart condition, and her family says that she has not seen a doctor since her arrest.

The Minister of Justice can ask the prosecutor to drop the charges, and can order that she sees a doctor at once.""",
    "title_ko": "가상의 예시: 평화 시위에 참여했다가 수감된 교사 다리아 노박을 석방해 주십시오",
    "summary_ko": (
        "사건의 처음부터 끝까지를 보여 주기 위해 만든 가상의 사건입니다. 가상의 나라 "
        "벨트리아 공화국의 교사 다리아 노박이 평화 시위에서 연설한 뒤 수감되었습니다."
    ),
    "story_ko": """\
이 사건은 가상의 예시입니다. 다리아 노박, 벨트리아 공화국, 그 나라의 법무부 장관은 실제로 존재하지 않으며, 이 사건의 편지는 누구에게도 보내지지 않았습니다. 사건이 끝난 뒤의 모습, 곧 사건의 페이지와 후속 조치, 수신인의 답변, 결과를 보여 줍니다.

벨트리아 수도의 초등학교 교사인 다리아 노박은 교사 임금 인상을 요구하는 평화 시위에서 연설한 뒤 체포되었습니다. 그는 "공무원 모욕" 혐의로 기소되어 보석 없이 구금되어 있습니다.

그는 심장 질환을 앓고 있으며, 가족에 따르면 체포된 뒤로 한 번도 의사의 진료를 받지 못했습니다.

법무부 장관은 검찰에 기소를 취하하도록 요청할 수 있고, 그가 곧바로 의사의 진료를 받도록 지시할 수 있습니다.""",
}

CASE_LETTER = {
    "subject": "Please release Daria Novak",
    "body": """\
{salutation}

I am writing about Daria Novak, a teacher arrested after she spoke at a peaceful protest for teachers' pay. She is held without bail, and her family says that she has not seen a doctor for her heart condition.

Speaking peacefully is not a crime. I urge you to ask the prosecutor to drop the charges against her, and to make sure that she sees a doctor at once.

Yours sincerely""",
    "subject_ko": "다리아 노박을 석방해 주십시오",
    "body_ko": """\
{salutation}

교사 임금 인상을 요구하는 평화 시위에서 연설한 뒤 체포된 교사 다리아 노박에 대해 편지를 드립니다. 그는 보석 없이 구금되어 있으며, 가족에 따르면 심장 질환이 있는데도 의사의 진료를 받지 못하고 있습니다.

평화롭게 의견을 말하는 것은 범죄가 아닙니다. 검찰에 그에 대한 기소를 취하하도록 요청하시고, 그가 곧바로 의사의 진료를 받을 수 있도록 해 주시기를 촉구합니다.

감사합니다.""",
}

FOLLOW_UP = {
    "title": "Fictional example: Daria Novak's trial is set for next month",
    "summary": (
        "Further information on the fictional example: Daria Novak's trial is set for next "
        "month, and she has been moved to a prison hospital."
    ),
    "story": """\
This page is a fictional example, like the case it follows: none of it happened, and no letter on it went to anyone.

Daria Novak's trial on the charge of "insulting public officials" is set for next month. After the first letters, she was moved to a prison hospital, where a doctor sees her every week.

Her lawyer says that the charges rest only on her speech at the protest. The Minister of Justice can still ask the prosecutor to drop them before the trial.""",
    "title_ko": "가상의 예시: 다리아 노박의 재판이 다음 달로 잡혔습니다",
    "summary_ko": (
        "가상의 예시에 관한 추가 정보입니다. 다리아 노박의 재판이 다음 달로 잡혔고, 그는 "
        "교도소 병원으로 옮겨졌습니다."
    ),
    "story_ko": """\
이 페이지도 앞선 사건과 마찬가지로 가상의 예시입니다. 실제로 일어난 일이 아니며, 이 페이지의 편지는 누구에게도 보내지지 않았습니다.

"공무원 모욕" 혐의에 대한 다리아 노박의 재판이 다음 달로 잡혔습니다. 첫 편지들이 전달된 뒤 그는 교도소 병원으로 옮겨졌고, 그곳에서 매주 의사의 진료를 받고 있습니다.

그의 변호사는 이 혐의가 오로지 시위에서 한 연설에만 근거하고 있다고 말합니다. 법무부 장관은 재판 전에 검찰에 기소를 취하하도록 요청할 수 있습니다.""",
}

FOLLOW_UP_LETTER = {
    "subject": "Please ask for the charges against Daria Novak to be dropped",
    "body": """\
{salutation}

Thank you for making sure that Daria Novak sees a doctor. Her trial is now set for next month, on charges that rest only on her peaceful speech at a protest for teachers' pay.

I urge you to ask the prosecutor to drop the charges before the trial, and to release her.

Yours sincerely""",
    "subject_ko": "다리아 노박에 대한 기소를 취하하도록 요청해 주십시오",
    "body_ko": """\
{salutation}

다리아 노박이 의사의 진료를 받을 수 있도록 해 주셔서 감사합니다. 그의 재판이 다음 달로 잡혔습니다. 그러나 그 혐의는 교사 임금 인상을 요구하는 시위에서 평화롭게 한 연설에만 근거하고 있습니다.

재판 전에 검찰에 기소를 취하하도록 요청하시고, 그를 석방해 주시기를 촉구합니다.

감사합니다.""",
}


def load(out: TextIO) -> None:
    """The case and its follow-up, unless the case is there already (staff may have
    edited or deleted its pages)."""
    now = timezone.now()
    published = now - timedelta(days=CASE_PUBLISHED)
    case, created = Campaign.objects.get_or_create(
        slug=CASE_SLUG,
        defaults=_page(CASE, published=published),
    )
    if not created:
        out.write("The demo's ended case is already loaded.")
        return
    target, _ = Target.objects.get_or_create(email=TARGET["email"], defaults=TARGET)
    case.targets.add(target)
    LetterTemplate.objects.create(campaign=case, **CASE_LETTER)
    # It closed at its deadline, before the follow-up: closing keeps its reference.
    case.status = Campaign.Status.CLOSED
    case.save()
    follow_up = Campaign.objects.create(
        slug=FOLLOW_UP_SLUG,
        follow_up_of=case,
        **_page(FOLLOW_UP, published=now - timedelta(days=FOLLOW_UP_PUBLISHED)),
    )
    follow_up.targets.add(target)
    LetterTemplate.objects.create(campaign=follow_up, **FOLLOW_UP_LETTER)
    out.write(f"Loaded the demo's ended case (a fictional example): {case.get_absolute_url()}")


def _page(texts: dict[str, str], *, published) -> dict[str, object]:
    """A page of the case as first published (live, given its reference) on
    ``published``."""
    return {
        **texts,
        "published_languages": ["ko"],
        "status": Campaign.Status.LIVE,
        "published_at": published,
        "deadline": timezone.localdate(published) + timedelta(days=DAYS_TO_ACT),
    }
