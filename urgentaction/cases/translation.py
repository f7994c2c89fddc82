"""Staff's summary of a target's response, in each of settings.LANGUAGES (the response's
own words stay in the language they came in)."""

from django.conf import settings
from modeltranslation.translator import TranslationOptions, register

from urgentaction.cases.models import TargetResponse


@register(TargetResponse)
class TargetResponseTranslation(TranslationOptions):
    fields = ("summary",)
    required_languages = (settings.LANGUAGE_CODE,)
