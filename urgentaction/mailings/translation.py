"""Updates in each of settings.LANGUAGES: each reader gets the one in their language."""

from django.conf import settings
from modeltranslation.translator import TranslationOptions, register

from urgentaction.mailings.models import Update


@register(Update)
class UpdateTranslation(TranslationOptions):
    fields = ("subject", "body")
    required_languages = (settings.LANGUAGE_CODE,)
