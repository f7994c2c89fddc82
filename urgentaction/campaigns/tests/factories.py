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
    def letter(self, create, extracted, **kwargs):
        if create and extracted is not False:
            LetterTemplateFactory(campaign=self)


class LetterTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LetterTemplate

    subject = "Please stop the deportation"
    body = "{salutation}\n\nPlease act to stop this deportation.\n\nYours sincerely"
