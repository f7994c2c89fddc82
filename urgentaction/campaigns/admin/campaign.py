"""A campaign's form and list: its languages, its letter, the embed code, duplicating
and following up a case."""

import re
from urllib.parse import urljoin

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from urgentaction.campaigns.admin.letter import LetterTemplateInline
from urgentaction.campaigns.languages import languages, missing
from urgentaction.campaigns.models import Campaign
from urgentaction.campaigns.services import OUTCOME, duplicate_campaign, share_outcome
from urgentaction.lib.forms import OriginsField
from urgentaction.lib.languages import side_by_side, translated_name
from urgentaction.lib.widgets import WrapsLongLines

# Lines that may be longer than a text box in a column beside its translation: each is
# shown whole, wrapped (the summary, the longest, over three rows to start with).
WRAPPED = {"title": 2, "summary": 3, "quote_attribution": 2, "urgency_note": 2, "photo_alt": 2}

# A case's reference as staff type it: "UA 12/26", "12/26".
REFERENCE = re.compile(r"(?P<number>\d{1,6})\s*/\s*(?P<year>\d{2})\b")


class OverdueFilter(admin.SimpleListFilter):
    title = _("deadline passed")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Past the deadline but still live"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.past_deadline(timezone.localdate())
        return queryset


class CampaignForm(forms.ModelForm):
    """The languages besides the default, as boxes to tick; the sites that may show the
    action, one on each line."""

    published_languages = forms.MultipleChoiceField(
        label=capfirst(Campaign._meta.get_field("published_languages").verbose_name),
        choices=[
            (code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE
        ],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=Campaign._meta.get_field("published_languages").help_text,
    )
    embed_origins = OriginsField(
        label=capfirst(Campaign._meta.get_field("embed_origins").verbose_name),
        required=False,
        help_text=Campaign._meta.get_field("embed_origins").help_text,
    )

    class Meta:
        model = Campaign
        # The admin adds the rest, from CampaignAdmin.fieldsets.
        fields = ["published_languages", "embed_origins"]

    def clean(self):
        data = super().clean()
        if "outcome_kind" in self.fields and not data.get("outcome_kind"):
            self.add_error(
                "outcome_kind",
                _("An outcome, once recorded, can be corrected but not removed."),
            )
        both = set(data.get("targets") or []) & set(data.get("copy_targets") or [])
        if both:
            self.add_error(
                "copy_targets",
                _("%(targets)s cannot be written to and sent a copy: choose one.")
                % {"targets": ", ".join(sorted(str(target) for target in both))},
            )
        return data


# letters/admin.py registers this admin again, with the download of a campaign's
# signatories, which reads its letters.
@admin.register(Campaign)
class CampaignAdmin(WrapsLongLines, TranslationAdmin):
    form = CampaignForm
    wrapped = WRAPPED
    list_display = ["title", "reference", "status", "deadline", "letters", "dashboard"]
    change_form_template = "campaigns/admin/change_form.html"
    list_filter = [OverdueFilter, "status", "deadline"]
    search_fields = ["title", "slug", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["targets", "copy_targets"]
    readonly_fields = [
        "reference",
        "translations",
        "embed_code",
        "action_count",
        "published_at",
        "created_at",
        "updated_at",
    ]
    inlines = [LetterTemplateInline]

    class Media:
        js = ["staff/copy-code.js"]

    def get_readonly_fields(self, request: HttpRequest, obj: Campaign | None = None):
        """The outcome's kind and date are recorded through their own page ("Record the
        outcome"), which cancels the letters still waiting; here they can be corrected.
        A published campaign's case is settled: its reference was given with it."""
        fields = list(super().get_readonly_fields(request, obj))
        if obj is None or not obj.has_outcome:
            fields += ["outcome_kind", "outcome_date"]
        if obj is not None and obj.case_reference:
            fields.append("follow_up_of")
        return fields

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        corrected = {name for name in form.changed_data if name.startswith(OUTCOME)}
        if change and obj.has_outcome and corrected:
            share_outcome(campaign=obj)

    def get_urls(self):
        duplicate = path(
            "<path:object_id>/duplicate/",
            self.admin_site.admin_view(self.duplicate_view),
            name="campaigns_campaign_duplicate",
        )
        follow_up = path(
            "<path:object_id>/follow-up/",
            self.admin_site.admin_view(self.follow_up_view),
            name="campaigns_campaign_follow_up",
        )
        return [duplicate, follow_up, *super().get_urls()]

    def duplicate_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """GET asks; POST makes a new draft from the campaign and opens it."""
        return self._copy(request, object_id, follow_up=False)

    def follow_up_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """GET asks; POST makes a draft follow-up of the campaign's case and opens it."""
        return self._copy(request, object_id, follow_up=True)

    def _copy(self, request: HttpRequest, object_id: str, *, follow_up: bool) -> HttpResponse:
        campaign = self.get_object(request, object_id)
        if campaign is None or (follow_up and not campaign.case_reference):
            raise Http404
        if not (self.has_view_permission(request, campaign) and self.has_add_permission(request)):
            raise PermissionDenied
        if request.method == "POST":
            copy = duplicate_campaign(campaign=campaign, follow_up=follow_up)
            self.log_addition(request, copy, [{"added": {}}])
            if follow_up:
                message = _(
                    "A new draft follows up %(reference)s: write what is new, then publish it."
                ) % {"reference": campaign.case_reference}
            else:
                message = _(
                    "A new draft copies “%(title)s”: change what differs, then publish it."
                ) % {"title": campaign.title}
            self.message_user(request, message)
            return redirect("admin:campaigns_campaign_change", copy.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Start a follow-up") if follow_up else _("Duplicate this campaign"),
            "opts": self.opts,
            "original": campaign,
            "follow_up": follow_up,
        }
        return TemplateResponse(request, "campaigns/admin/duplicate.html", context)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "follow_up_of":
            field.label_from_instance = lambda case: f"{case.case_reference}: {case.title}"
            field.queryset = field.queryset.order_by("-reference_year", "-reference_number")
        return field

    def get_search_results(self, request: HttpRequest, queryset, search_term: str):
        """A reference ("UA 12/26", "12/26") finds its case and the case's follow-ups."""
        results, duplicates = super().get_search_results(request, queryset, search_term)
        reference = REFERENCE.search(search_term)
        if reference:
            # References give the year in two digits: this century's.
            year = 2000 + int(reference["year"])
            results |= queryset.filter(
                reference_number=int(reference["number"]), reference_year=year
            )
        return results, duplicates

    @admin.display(description=_("reference"), ordering="reference_number")
    def reference(self, campaign: Campaign) -> str:
        if campaign.reference:
            return campaign.reference
        if campaign.follow_up_of_id:
            return _("Given when first published: the next follow-up of %(reference)s.") % {
                "reference": campaign.follow_up_of.case_reference
            }
        return _("Given when first published.")

    @admin.display(description=_("state of each translation"))
    def translations(self, campaign: Campaign) -> str:
        """Which languages supporters read the campaign in, and what each other still
        lacks before it can show."""
        if campaign.pk is None:
            return _("Save the campaign to see which translations are complete.")
        targets = list(campaign.targets.all())
        letter = getattr(campaign, "letter", None)
        rows = []
        for code, name in settings.LANGUAGES:
            gaps = missing(campaign, code, targets=targets, letter=letter)
            if gaps:
                state = _("Not shown: it lacks %(gaps)s.") % {"gaps": "; ".join(gaps)}
            elif code in languages(campaign, targets=targets, letter=letter):
                state = _("Shown to supporters.")
            else:
                state = _("Complete, not published.")
            rows.append((name, state))
        return format_html("<dl>{}</dl>", format_html_join("", "<dt>{}</dt><dd>{}</dd>", rows))

    @admin.display(description=_("code for their pages"))
    def embed_code(self, campaign: Campaign) -> str:
        """What a partner pastes into their page to show the action there, one for each
        language the campaign is shown in; embed.js makes the frame (actions/embed.py)."""
        if campaign.pk is None:
            return _("Save the campaign to get the code for other sites' pages.")
        script = urljoin(settings.SITE_URL + "/", settings.STATIC_URL + "ua/embed.js")
        # Words for the copy button staff/copy-code.js adds, and what it says afterwards.
        words = (
            _("Copy the code"),
            _("Copied: paste it into the page."),
            _("The code is selected: copy it with your keyboard or menu."),
        )
        rows = []
        shown_in = languages(
            campaign,
            targets=list(campaign.targets.all()),
            letter=getattr(campaign, "letter", None),
        )
        for code in shown_in:
            language = "" if code == settings.LANGUAGE_CODE else f' data-language="{code}"'
            action = f'data-action="{campaign.slug}"{language}'
            snippet = f'<script src="{script}" {action} async></script>'
            label = gettext("Code for the page in %(language)s") % {
                "language": translated_name(code)
            }
            rows.append((code, label, code, *words, snippet))
        return format_html(
            "{}<p>{}</p>",
            format_html_join(
                "",
                '<label class="embed-code-label" for="embed-code-{}">{}</label>'
                '<textarea class="embed-code" id="embed-code-{}" readonly rows="4" '
                'data-copy-label="{}" data-copied-label="{}" data-select-label="{}">{}'
                "</textarea>",
                rows,
            ),
            _(
                "Paste it where the action should appear. It shows only on the sites listed "
                "above, and only while the campaign is live or closed."
            ),
        )

    @admin.display(description=_("letters"), ordering="action_count")
    def letters(self, campaign: Campaign) -> int:
        return campaign.action_count

    # The staff workspace's page for each campaign: its URL is a contract, reached by name.
    @admin.display(description=_("dashboard"))
    def dashboard(self, campaign: Campaign) -> str:
        url = reverse("admin:staff_dashboard", args=[campaign.slug])
        return format_html('<a href="{}">{}</a>', url, _("Dashboard"))

    # In the order a campaigner thinks: the case, whom to write to, then (after these two,
    # campaigns/admin/change_form.html places the suggested letter) how letters go, what
    # supporters at risk are told, what supporters see after sending, publishing, the
    # outcome and the record.
    fieldsets = [
        (
            _("The case"),
            {
                "fields": [
                    side_by_side("title"),
                    "slug",
                    side_by_side("summary"),
                    side_by_side("story"),
                    side_by_side("quote"),
                    side_by_side("quote_attribution"),
                    ("deadline", "goal"),
                    side_by_side("urgency_note"),
                    "photo",
                    side_by_side("photo_alt"),
                ]
            },
        ),
        (_("Whom to write to"), {"fields": ["targets", "copy_targets"]}),
        (
            _("Sending rules"),
            {
                "fields": [
                    "requires_confirmation",
                    "allow_template_letters",
                    ("test_mode", "test_email"),
                    "offers_email",
                    "offers_mail_app",
                    "offers_post",
                ]
            },
        ),
        (_("Supporters at risk"), {"fields": [side_by_side("safety_advice"), "reply_email"]}),
        (_("What supporters see after sending"), {"fields": [side_by_side("thank_you")]}),
        (
            _("Languages"),
            {
                "fields": [
                    "published_languages",
                    "translations",
                    "letter_in_supporters_language",
                ]
            },
        ),
        (
            _("Publishing"),
            {"fields": ["status", ("publish_at", "close_at"), "follow_up_of", "reference"]},
        ),
        (_("On other sites"), {"fields": ["embed_origins", "embed_code"]}),
        (
            _("After closing"),
            {"fields": [("outcome_kind", "outcome_date"), side_by_side("outcome")]},
        ),
        (_("Record"), {"fields": ["action_count", "published_at", "created_at", "updated_at"]}),
    ]
    # The fieldsets above the suggested letter.
    fieldsets_before_letter = 2
