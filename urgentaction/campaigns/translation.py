"""The campaign's content in each of settings.LANGUAGES (django-modeltranslation: one
column per language, so a page still reads its campaign in one query)."""

from django.conf import settings
from modeltranslation.translator import TranslationOptions, register

from urgentaction.campaigns.models import Campaign, LetterTemplate, Target


@register(Campaign)
class CampaignTranslation(TranslationOptions):
    fields = (
        "title",
        "summary",
        "story",
        "quote",
        "quote_attribution",
        "urgency_note",
        "photo_alt",
        "safety_advice",
        "thank_you",
        "outcome",
    )
    required_languages = (settings.LANGUAGE_CODE,)


@register(LetterTemplate)
class LetterTranslation(TranslationOptions):
    fields = ("subject", "body")
    required_languages = (settings.LANGUAGE_CODE,)


@register(Target)
class TargetTranslation(TranslationOptions):
    fields = ("office", "salutation", "why")
    required_languages = (settings.LANGUAGE_CODE,)
