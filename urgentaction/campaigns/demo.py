"""The demo urgent action, written for this project from the facts of the case that the
product grew from. Its target's email is on a reserved example domain, so the demo can
never write to a real office."""

from datetime import timedelta
from typing import TextIO

from django.utils import timezone

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
    "why": (
        "The Foreign Secretary can ask China, directly and at once, not to send the group back."
    ),
    # A real office is paced at 30 letters an hour (the default for new targets); the
    # demo's own takes one every few seconds, so that a newcomer's second letter arrives
    # while they watch, not two minutes later.
    "hourly_cap": 600,
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
    staff may have edited it."""
    campaign, created = Campaign.objects.get_or_create(
        slug=DEMO_SLUG,
        defaults={
            **CAMPAIGN,
            "status": Campaign.Status.LIVE,
            "deadline": timezone.localdate() + timedelta(days=12),
        },
    )
    if not created:
        out.write("The demo urgent action is already loaded.")
        return
    target, _ = Target.objects.get_or_create(email=TARGET["email"], defaults=TARGET)
    campaign.targets.add(target)
    LetterTemplate.objects.create(campaign=campaign, subject=LETTER_SUBJECT, body=LETTER_BODY)
    out.write(f"Loaded the demo urgent action: {campaign.get_absolute_url()}")
