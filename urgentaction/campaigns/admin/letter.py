"""The suggested letter: edited inside its campaign, and listed on its own."""

from django.conf import settings
from django.contrib import admin
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline
from modeltranslation.utils import build_localized_fieldname

from urgentaction.campaigns.models import PLACEHOLDERS, LetterTemplate
from urgentaction.lib.languages import side_by_side
from urgentaction.lib.widgets import WrapsLongLines

# Lines that may be longer than a text box in a column beside its translation.
WRAPPED_IN_LETTER = {"subject": 2}


class LetterTemplateInline(WrapsLongLines, TranslationStackedInline):
    model = LetterTemplate
    wrapped = WRAPPED_IN_LETTER
    verbose_name = _("suggested letter")
    verbose_name_plural = _("suggested letters")
    can_delete = False
    min_num = 1
    max_num = 1
    fields = [side_by_side("subject"), (*side_by_side("body"), "placeholders"), "preview"]
    readonly_fields = ["placeholders", "preview"]

    @admin.display(description=_("placeholders"))
    def placeholders(self, letter: LetterTemplate | None) -> str:
        return format_html(
            '<dl class="placeholders">{}</dl>',
            format_html_join(
                "",
                "<dt><code>{}</code></dt><dd>{}</dd>",
                [("{" + name + "}", meaning) for name, meaning in PLACEHOLDERS.items()],
            ),
        )

    @admin.display(description=_("preview"))
    def preview(self, letter: LetterTemplate | None) -> str:
        """The letter as the campaign's page offers it, filled in for its targets, in each
        language it is written in, side by side."""
        if letter is None or letter.pk is None:
            return _("Save the campaign to see its letter filled in for its targets.")
        targets = list(letter.campaign.targets.all())
        written = [
            (code, name)
            for code, name in settings.LANGUAGES
            if getattr(letter, build_localized_fieldname("body", code))
        ]
        previews = []
        for code, name in written:
            with translation.override(code):
                previews.append((code, name, letter.subject, letter.render_body(targets)))
        return format_html(
            '<div class="letter-previews">{}</div>',
            format_html_join(
                "",
                '<section lang="{}"><h3>{}</h3><p><strong>{}</strong> {}</p>'
                '<div class="letter-preview">{}</div></section>',
                [
                    (code, name, _("Subject:"), subject, body)
                    for code, name, subject, body in previews
                ],
            ),
        )


@admin.register(LetterTemplate)
class LetterTemplateAdmin(WrapsLongLines, TranslationAdmin):
    wrapped = WRAPPED_IN_LETTER
    list_display = ["subject", "campaign"]
    list_filter = ["campaign__status"]
    search_fields = ["subject", "campaign__title"]
    list_select_related = ["campaign"]
