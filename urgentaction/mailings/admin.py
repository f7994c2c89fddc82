import json
import math

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin

from urgentaction.core import audit
from urgentaction.core.audit import AuditedAdmin
from urgentaction.core.models import AuditEntry
from urgentaction.lib.languages import side_by_side
from urgentaction.lib.secret_links import hide_tokens
from urgentaction.lib.widgets import WrapsLongLines
from urgentaction.mailings.models import OutboundEmail, Update
from urgentaction.mailings.tasks import start_sending
from urgentaction.mailings.updates import send_test
from urgentaction.supporters.models import Supporter

# The bodies and headers hold live links (to confirm a letter, to see someone's data):
# staff, who may only be allowed to view emails, see them with the tokens hidden.
WITH_LINKS = ["text", "html", "headers"]


class TestAddressForm(forms.Form):
    email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("Saved to your account, so that the next test goes there too."),
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
        },
    )


@admin.register(OutboundEmail)
class OutboundEmailAdmin(AuditedAdmin):
    list_display = ["kind", "to", "status", "attempts", "created_at", "sent_at"]
    # "to" is encrypted: sorting it would sort ciphertext.
    sortable_by = ["kind", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["kind", "status", "created_at"]
    search_fields = ["message_id"]
    search_help_text = _("Search by a full email address or a Message-ID.")
    email_hash_field = "to_hash"
    exclude = WITH_LINKS
    readonly_fields = [
        *(field.name for field in OutboundEmail._meta.fields if field.name not in WITH_LINKS),
        "text_shown",
        "html_shown",
        "headers_shown",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description=_("plain text"))
    def text_shown(self, email: OutboundEmail) -> str:
        return hide_tokens(email.text)

    @admin.display(description=_("HTML"))
    def html_shown(self, email: OutboundEmail) -> str:
        return hide_tokens(email.html)

    @admin.display(description=_("extra headers"))
    def headers_shown(self, email: OutboundEmail) -> str:
        return hide_tokens(json.dumps(email.headers, ensure_ascii=False))


@admin.register(Update)
class UpdateAdmin(WrapsLongLines, TranslationAdmin):
    wrapped = {"subject": 2}
    list_display = ["subject", "campaign", "published", "status", "recipients", "sent_at"]
    fields = [
        "campaign",
        side_by_side("subject"),
        side_by_side("body"),
        "published",
        "status",
        "recipients",
        "created_by",
        "created_at",
        "sent_at",
    ]
    list_filter = ["status", "published", "campaign"]
    search_fields = ["subject", "body"]
    readonly_fields = ["status", "recipients", "created_by", "created_at", "sent_at"]
    actions = ["send_test_to_me", "send_to_subscribers"]
    change_form_template = "mailings/admin/change_form.html"

    def render_change_form(self, request, context, *args, **kwargs):
        context["has_send_permission"] = self.has_send_permission(request)
        return super().render_change_form(request, context, *args, **kwargs)

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        obj.renew_campaign_page()

    def has_send_permission(self, request) -> bool:
        return request.user.has_perm("mailings.send_update")

    # Whoever may edit an update may check it in their own inbox; sending it to everyone
    # takes the right to send.
    @admin.action(description=_("Send a test to me"), permissions=["change"])
    def send_test_to_me(self, request, updates) -> TemplateResponse | None:
        """Staff whose account has no email address are asked for one on the spot: it is
        saved to their account, and the test goes to it."""
        user = request.user
        if not user.email:
            form = TestAddressForm(request.POST if "email" in request.POST else None)
            if not form.is_valid():
                return self.ask_where_to_test(request, list(updates), form)
            user.email = form.cleaned_data["email"]
            user.save(update_fields=["email"])
        for update in updates:
            send_test(update, to=user.email, name=user.get_short_name() or user.username)
            audit.record(request, AuditEntry.Kind.SEND, f"update {update.pk}", "test to self")
        self.message_user(request, _("Test sent to %(email)s.") % {"email": user.email})
        return None

    def ask_where_to_test(
        self, request: HttpRequest, updates, form: "TestAddressForm | None"
    ) -> TemplateResponse:
        """Where the test goes, with the one button that sends it; an address to fill in
        when the account has none."""
        context = {
            **self.admin_site.each_context(request),
            "title": _("Send a test to me"),
            "opts": self.opts,
            "updates": updates,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "mailings/admin/send_test.html", context)

    def get_urls(self):
        confirm = path(
            "<path:object_id>/send/",
            self.admin_site.admin_view(self.send_view),
            name="mailings_update_send",
        )
        test = path(
            "<path:object_id>/test/",
            self.admin_site.admin_view(self.test_view),
            name="mailings_update_test",
        )
        return [confirm, test, *super().get_urls()]

    def test_view(self, request: HttpRequest, object_id: str) -> TemplateResponse:
        """Reached from an update's own page; its button runs the list's action."""
        update = self.get_object(request, object_id)
        if update is None:
            raise Http404
        if not self.has_change_permission(request, update):
            raise PermissionDenied
        form = None if request.user.email else TestAddressForm()
        return self.ask_where_to_test(request, [update], form)

    def send_view(self, request: HttpRequest, object_id: str) -> TemplateResponse:
        """The confirmation page, reached from an update's own page; its button runs the
        action below, as the list's does."""
        update = self.get_object(request, object_id)
        if update is None:
            raise Http404
        if not (self.has_view_permission(request, update) and self.has_send_permission(request)):
            raise PermissionDenied
        return self.confirm_sending(request, [update])

    def confirm_sending(self, request: HttpRequest, updates) -> TemplateResponse:
        """Exactly what will happen: each subject, to how many people, at what pace."""
        ready = [update for update in updates if update.status == Update.Status.DRAFT]
        people = Supporter.objects.subscribed().count()
        pace = settings.UPDATE_EMAILS_PER_MINUTE
        context = {
            **self.admin_site.each_context(request),
            "title": _("Send to everyone who asked for updates"),
            "opts": self.opts,
            "ready": ready,
            "not_ready": [update for update in updates if update not in ready],
            "people": people,
            "pace": pace,
            "minutes": max(math.ceil(people * len(ready) / pace), 1),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "mailings/admin/send_confirm.html", context)

    @admin.action(description=_("Send to everyone who asked for updates"), permissions=["send"])
    def send_to_subscribers(self, request, updates) -> TemplateResponse | None:
        if request.POST.get("confirmed") != "yes":
            return self.confirm_sending(request, list(updates))
        started = [update for update in updates if start_sending(update)]
        for update in started:
            audit.record(request, AuditEntry.Kind.SEND, f"update {update.pk}", "to subscribers")
        count = Supporter.objects.subscribed().count()
        self.message_user(
            request,
            ngettext(
                "%(updates)d update is being sent to %(people)d people.",
                "%(updates)d updates are being sent to %(people)d people.",
                len(started),
            )
            % {"updates": len(started), "people": count},
        )
