"""The demo urgent action, written for this project from the facts of the case that the
product grew from. Its targets' emails are on a reserved example domain, so the demo can
never write to a real office."""

from datetime import timedelta
from typing import TextIO

from django.utils import timezone

from urgentaction.campaigns import demo_ended_case
from urgentaction.campaigns.models import Campaign, LetterTemplate, Target

DEMO_SLUG = "north-korean-family"

TARGET = {
    "office": "Foreign Secretary",
    "holder": "Boris Johnson MP",
    "salutation": "Dear Foreign Secretary",
    "organisation": "Foreign & Commonwealth Office",
    "address": "King Charles Street\nLondon",
    "postcode": "SW1A 2AH",
    "country": "United Kingdom",
    "email": "foreign.secretary@example.org",
    # The office reads English: Korean readers are offered the English letter, with the
    # Korean one beside it to read.
    "language": "en",
    "why": (
        "The Foreign Secretary can ask China, directly and at once, not to send the group back."
    ),
    # A real office is paced at 30 letters an hour (the default for new targets); the
    # demo's own takes one every few seconds, so that a newcomer's second letter arrives
    # while they watch, not two minutes later.
    "hourly_cap": 600,
}

TARGET_KO = {
    "office_ko": "영국 외무장관",
    "salutation_ko": "외무장관님께",
    "why_ko": "외무장관은 중국 정부에 이 사람들을 돌려보내지 말라고 곧바로, 직접 요청할 수 있습니다.",
}

# A copy of every letter goes to China's ambassador in London: the embassy is how Beijing
# hears what people in Britain ask of it.
COPY_TARGET = {
    "office": "Ambassador of the People's Republic of China to the United Kingdom",
    "salutation": "Your Excellency",
    "organisation": "Embassy of the People's Republic of China",
    "address": "49-51 Portland Place\nLondon",
    "postcode": "W1B 1JL",
    "country": "United Kingdom",
    "email": "ambassador.china@example.org",
    "language": "en",
    "why": "The embassy tells Beijing what people in Britain ask of China.",
    "hourly_cap": 600,
}

COPY_TARGET_KO = {
    "office_ko": "주영국 중화인민공화국 대사",
    "salutation_ko": "대사님께",
    "why_ko": "대사관은 영국 사람들이 중국에 요구하는 바를 베이징에 전합니다.",
}

CAMPAIGN = {
    "title": "Stop China sending a mother and her four-year-old back to North Korea",
    "summary": (
        "Ten North Korean refugees, among them a young mother and her four-year-old son, "
        "were arrested in Shenyang and could be forced back across the border any day."
    ),
    "quote": (
        "I can almost hear my baby calling my name. I can see him in that cold cell, "
        "crying out for his father. I cannot just stand by and do nothing."
    ),
    "quote_attribution": "Lee, whose wife and son are held in China",
    "urgency_note": (
        "Time is running out: people returned to North Korea face torture, prison camps "
        "and execution."
    ),
    "safety_advice": (
        "If you have family in China or North Korea, consider signing with your initials "
        "only, and do not mention them or where they live in your letter."
    ),
    "story": """\
On Saturday 4 November, police in Shenyang, in north-east China, raided a house where ten North Korean refugees were sheltering and arrested all of them. They had risked their lives to cross the border. Among them are the wife and four-year-old son of Lee, a North Korean man who escaped in 2015 and who raised the alarm.

China treats North Koreans who flee as illegal migrants and sends them back. The group now faces forced return.

At least four of the ten are Christians. In North Korea that alone can mean execution, or a prison camp where few survive. Sending anyone back to face this breaks the principle of non-refoulement, a cornerstone of international law: no one may be returned to a country where they would be in danger of persecution, torture or death.

In 2014 the UN Commission of Inquiry on human rights in North Korea found that the gravity, scale and nature of the violations it documented reveal a state without parallel in the contemporary world.

There is somewhere safe for them to go. South Korea's constitution (Articles 2 and 3) treats North Koreans as its own citizens, and it resettles them at once. The United States and other countries have also shown they are willing to take North Korean refugees.

The UK Foreign Secretary can ask China to let the group travel safely to South Korea or another country. Letters from the public show that people here are watching.""",
    "goal": 5000,
    # So that a newcomer can send the suggested letter unchanged and watch it arrive.
    "allow_template_letters": True,
}

CAMPAIGN_KO = {
    "title_ko": "네 살 아이와 어머니를 북한으로 돌려보내지 않도록 중국에 요청해 주십시오",
    "summary_ko": (
        "젊은 어머니와 네 살 아들을 포함한 탈북민 열 명이 선양에서 체포되었으며, "
        "언제든 강제로 북송될 수 있습니다."
    ),
    "quote_ko": (
        "아이가 제 이름을 부르는 소리가 들리는 것만 같습니다. 차가운 감방에서 아빠를 찾으며 "
        "우는 아이의 모습이 보입니다. 가만히 있을 수가 없습니다."
    ),
    "quote_attribution_ko": "중국에 아내와 아들이 구금되어 있는 이 씨",
    "urgency_note_ko": (
        "시간이 없습니다. 북한으로 송환되는 사람들은 고문과 정치범수용소, 처형의 위험에 처합니다."
    ),
    "safety_advice_ko": (
        "중국이나 북한에 가족이 있다면 이름 대신 이니셜로만 서명하시고, 편지에 가족이나 "
        "가족이 사는 곳을 언급하지 마십시오."
    ),
    "story_ko": """\
11월 4일 토요일, 중국 북동부 선양의 경찰이 탈북민 열 명이 숨어 지내던 집을 급습해 모두를 체포했습니다. 이들은 목숨을 걸고 국경을 넘은 사람들입니다. 그중에는 2015년에 탈북해 이 사실을 알린 이 씨의 아내와 네 살 아들도 있습니다.

중국은 북한을 떠난 사람들을 불법 이주자로 취급하여 돌려보냅니다. 이들은 지금 강제 송환될 위기에 놓여 있습니다.

열 명 중 적어도 네 명은 기독교인입니다. 북한에서는 그 사실만으로도 처형되거나, 살아남는 사람이 거의 없는 수용소로 보내질 수 있습니다. 이러한 위험이 기다리는 곳으로 사람을 돌려보내는 것은 국제법의 근간인 강제송환 금지 원칙에 어긋납니다. 박해나 고문, 죽음의 위험이 있는 나라로는 누구도 돌려보내져서는 안 됩니다.

2014년 유엔 북한인권조사위원회는 자신들이 기록한 인권 침해의 심각성과 규모, 성격이 현대 세계에서 유례를 찾을 수 없는 국가의 모습을 보여 준다고 밝혔습니다.

이들이 안전하게 갈 곳은 있습니다. 대한민국 헌법(제2조와 제3조)은 북한 주민을 대한민국 국민으로 보며, 곧바로 정착을 돕습니다. 미국과 다른 나라들도 탈북민을 받아들일 뜻을 보여 왔습니다.

영국 외무장관은 중국에 이들이 한국이나 다른 나라로 안전하게 갈 수 있도록 허용해 달라고 요청할 수 있습니다. 시민들의 편지는 영국 사람들이 이 일을 지켜보고 있다는 것을 보여 줍니다.

어떤 편지를 보내야 할까요? 외무장관실은 영어로 편지를 읽으므로 영어 편지를 그대로 보내 주십시오. 편지 아래에 한국어 번역이 있어 무슨 내용인지 확인하실 수 있습니다. 직접 쓰신 한두 줄을 한국어로 덧붙이셔도 좋습니다.""",
}

LETTER_SUBJECT_KO = "탈북민 열 명을 돌려보내지 않도록 중국에 촉구해 주십시오"

LETTER_BODY_KO = """\
{salutation}

11월 4일 중국 북동부 선양에서 경찰이 은신처를 급습해 체포한 탈북민 열 명에 대해 편지를 드립니다. 그중에는 2015년에 탈북한 이 씨의 아내와 네 살 아들도 있습니다. 이들은 이제 북한으로 돌려보내질 위기에 처해 있습니다.

이들 가운데 적어도 네 명은 기독교인이며, 송환되면 처형될 수 있습니다. 처형을 피하더라도 북한의 구금시설과 정치범수용소에서 벌어지는 고문과 학대는 너무나 가혹하여 수감 자체가 사형 선고와 다름없습니다. 이들을 돌려보내는 것은 강제송환 금지 원칙을 어기는 일입니다.

2014년 유엔 북한인권조사위원회는 북한에서 벌어지는 인권 침해의 심각성과 규모, 성격이 현대 세계에서 유례를 찾을 수 없는 국가의 모습을 보여 준다고 결론지었습니다.

이 난민들에게는 갈 곳이 있습니다. 대한민국은 헌법 제2조와 제3조에 따라 북한 주민을 자국민으로 인정하고 정착을 돕고 있으며, 미국과 다른 나라들도 탈북민을 받아들일 뜻을 보여 왔습니다.

지금 바로 중국 당국에 이 사건을 제기하여, 이 열 명과 중국에 있는 모든 탈북민이 한국이나 제3국으로 안전하게 갈 수 있도록 허용해 달라고 요청해 주시기를 촉구합니다.

감사합니다."""

LETTER_SUBJECT = "Please urge China not to return ten North Korean refugees"

LETTER_BODY = """\
{salutation}

I am writing about ten North Korean refugees who were arrested in Shenyang, north-east China, on 4 November, when police raided the house where they were sheltering. Among them are the wife and four-year-old son of a North Korean man, Lee, who escaped in 2015. They now face being sent back to North Korea.

At least four members of the group are Christians, and could be executed if they are returned. Even if they escape execution, the torture and abuse in North Korea's detention centres and prison camps are so severe that imprisonment can amount to a death sentence. Returning them would violate the principle of non-refoulement.

In 2014 the UN Commission of Inquiry on human rights in North Korea concluded that the gravity, scale and nature of the violations there reveal a state without parallel in the contemporary world.

These refugees have somewhere to go. Under Articles 2 and 3 of its constitution, the Republic of Korea recognises North Koreans as its citizens and resettles them, and the United States and other countries have shown a willingness to accept North Korean refugees.

I urge you to raise this case with the Chinese authorities now, and to ask them to allow these ten people, and all North Korean refugees in China, safe passage to South Korea or a third country.

Yours sincerely"""


def load(out: TextIO) -> None:
    """Load the demo urgent action (``manage.py load_demo``), unless it is there already:
    staff may have edited it; and, first, so that its reference is the earlier, the
    ended case that shows the whole life of a case (``demo_ended_case.py``)."""
    demo_ended_case.load(out)
    campaign, created = Campaign.objects.get_or_create(
        slug=DEMO_SLUG,
        defaults={
            **CAMPAIGN,
            **CAMPAIGN_KO,
            "published_languages": ["ko"],
            "status": Campaign.Status.LIVE,
            "deadline": timezone.localdate() + timedelta(days=12),
        },
    )
    if not created:
        out.write("The demo urgent action is already loaded.")
        return
    target, _ = Target.objects.get_or_create(
        email=TARGET["email"], defaults={**TARGET, **TARGET_KO}
    )
    campaign.targets.add(target)
    ambassador, _ = Target.objects.get_or_create(
        email=COPY_TARGET["email"], defaults={**COPY_TARGET, **COPY_TARGET_KO}
    )
    campaign.copy_targets.add(ambassador)
    LetterTemplate.objects.create(
        campaign=campaign,
        subject=LETTER_SUBJECT,
        body=LETTER_BODY,
        subject_ko=LETTER_SUBJECT_KO,
        body_ko=LETTER_BODY_KO,
    )
    out.write(f"Loaded the demo urgent action: {campaign.get_absolute_url()}")
