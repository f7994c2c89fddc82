from datetime import timedelta

import factory
from django.utils import timezone

from urgentaction.campaigns.models import Campaign, LetterTemplate, Target


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    office = "Foreign Secretary"
    holder = "Jane Minister"
    salutation = "Dear Foreign Secretary"
    organisation = "Foreign Office"
    address = "King Charles Street\nLondon"
    postcode = "SW1A 2AH"
    country = "United Kingdom"
    email = factory.Sequence(lambda n: f"office{n}@government.example")
    why = "She can raise the case with her counterpart."


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"campaign-{n}")
    title = factory.Sequence(lambda n: f"Stop the deportation number {n}")
    summary = "A family faces deportation to danger."
    story = "First paragraph of the story.\n\nSecond paragraph of the story."
    quote = "Please help my family."
    quote_attribution = "A father"
    status = Campaign.Status.LIVE
    deadline = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=10))
    urgency_note = "Time is running out."
    # Test letters are short and close to the template: the similarity check has its own
    # tests (actions/tests/test_similarity.py).
    allow_template_letters = True

    @factory.post_generation
    def targets(self, create, extracted, **kwargs):
        if not create:
            return
        for target in extracted if extracted is not None else [TargetFactory()]:
            self.targets.add(target)

    @factory.post_generation
    def copy_targets(self, create, extracted, **kwargs):
        if create and extracted:
            self.copy_targets.add(*extracted)

    @factory.post_generation
    def letter(self, create, extracted, **kwargs):
        if create and extracted is not False:
            LetterTemplateFactory(campaign=self)


class LetterTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LetterTemplate

    subject = "Please stop the deportation"
    body = "{salutation}\n\nPlease act to stop this deportation.\n\nYours sincerely"


KOREAN = {
    "title_ko": "추방을 막아 주십시오",
    "summary_ko": "한 가족이 위험한 곳으로 추방될 위기에 있습니다.",
    "story_ko": "이야기의 첫 문단입니다.\n\n이야기의 둘째 문단입니다.",
    "quote_ko": "우리 가족을 도와주십시오.",
    "quote_attribution_ko": "한 아버지",
    "urgency_note_ko": "시간이 없습니다.",
}


def in_korean(campaign: Campaign, *, letter: bool = True, publish: bool = True) -> Campaign:
    """``campaign`` translated into Korean (its targets too; the letter unless ``letter``
    is false) and, unless ``publish`` is false, published in it."""
    for name, value in KOREAN.items():
        setattr(campaign, name, value)
    if publish:
        campaign.published_languages = ["ko"]
    campaign.save()
    for target in campaign.targets.all():
        target.office_ko = "외무장관"
        target.salutation_ko = "외무장관님께"
        target.why_ko = "외무장관은 상대국 장관에게 이 사건을 제기할 수 있습니다."
        target.save()
    if letter and hasattr(campaign, "letter"):
        campaign.letter.subject_ko = "추방을 막아 주십시오"
        campaign.letter.body_ko = "{salutation}\n\n이 추방을 막아 주십시오.\n\n감사합니다."
        campaign.letter.save()
    return campaign
