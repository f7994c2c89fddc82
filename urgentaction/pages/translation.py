"""The organisation's pages in each of settings.LANGUAGES."""

from django.conf import settings
from modeltranslation.translator import TranslationOptions, register

from urgentaction.pages.models import Page


@register(Page)
class PageTranslation(TranslationOptions):
    fields = ("title", "summary", "body", "menu_title")
    required_languages = (settings.LANGUAGE_CODE,)
