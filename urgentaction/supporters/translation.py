"""The consent wording in each of settings.LANGUAGES; a consent records the language its
person saw it in."""

from django.conf import settings
from modeltranslation.translator import TranslationOptions, register

from urgentaction.supporters.models import ConsentText


@register(ConsentText)
class ConsentTextTranslation(TranslationOptions):
    fields = ("wording", "details")
    required_languages = (settings.LANGUAGE_CODE,)
