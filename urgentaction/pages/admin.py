from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from urgentaction.lib.languages import side_by_side
from urgentaction.pages import placeholders
from urgentaction.pages.models import Page


@admin.register(Page)
class PageAdmin(TranslationAdmin):
    list_display = ["title", "slug", "place", "position", "role", "published", "updated_at"]
    list_editable = ["position", "published"]
    list_filter = ["published", "place"]
    search_fields = ["title", "slug", "body"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["filled_in", "created_at", "updated_at"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    side_by_side("title"),
                    "slug",
                    side_by_side("summary"),
                    side_by_side("body"),
                    "filled_in",
                ]
            },
        ),
        (
            _("Where it shows"),
            {"fields": ["published", "place", "position", side_by_side("menu_title"), "role"]},
        ),
        (_("Record"), {"fields": ["created_at", "updated_at"]}),
    ]

    @admin.display(description=_("filled in now as"))
    def filled_in(self, page: Page) -> str:
        """What each {name} in the text becomes, from this site's settings."""
        return format_html_join(
            "",
            "<div><code>{{{}}}</code>: {}</div>",
            (
                (name, value or _("not set, so left as written"))
                for name, value in sorted(placeholders.values().items())
            ),
        )
