from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from urgentaction.api.keys import issue, revoke
from urgentaction.api.models import (
    ApiKey,
    ApiKeyQuerySet,
    Scope,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEndpointQuerySet,
)
from urgentaction.api.webhooks.addresses import Refused, check_url
from urgentaction.api.webhooks.delivery import enable
from urgentaction.api.webhooks.registry import issue_secret
from urgentaction.core.events import Event


class NewKeyForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ApiKey
        fields = ["name", "scopes"]

    def clean_scopes(self) -> list[str]:
        return sorted(self.cleaned_data["scopes"])


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Staff make keys (the key is shown once, on the page after), see them, and revoke
    them. A key never changes once made: make a new one with other scopes instead."""

    form = NewKeyForm
    list_display = ["name", "prefix", "scope_list", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name"]
    actions = ["revoke_keys"]
    fields = ["name", "scopes"]
    shown_fields = ["name", "prefix", "scope_list", "created_at", "created_by", "last_used_at"]

    @admin.display(description=_("scopes"))
    def scope_list(self, key: ApiKey) -> str:
        return ", ".join(key.scopes)

    def get_fields(self, request: HttpRequest, obj: ApiKey | None = None) -> list[str]:
        return self.fields if obj is None else [*self.shown_fields, "revoked_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: ApiKey | None = None) -> list[str]:
        return [] if obj is None else self.get_fields(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: ApiKey | None = None) -> bool:
        # Revoked, never deleted: the list keeps who had which key, and when it stopped.
        return False

    def save_model(self, request: HttpRequest, obj: ApiKey, form, change: bool) -> None:
        if not change:
            obj.created_by = request.user
            obj.secret = issue(key=obj)
        super().save_model(request, obj, form, change)

    def response_add(
        self, request: HttpRequest, obj: ApiKey, post_url_continue=None
    ) -> HttpResponse:
        # Shown in this response, not carried to the next page in a message: a message
        # would travel in a cookie.
        context = {**self.admin_site.each_context(request), "key": obj, "secret": obj.secret}
        context["opts"] = self.opts
        response = TemplateResponse(request, "admin/api/apikey/created.html", context)
        add_never_cache_headers(response)
        return response

    @admin.action(description=_("Revoke the selected keys"), permissions=["change"])
    def revoke_keys(self, request: HttpRequest, queryset: ApiKeyQuerySet) -> None:
        keys = list(queryset.active())
        count = revoke(keys=queryset)
        for key in keys:
            self.log_change(request, key, "Revoked")
        message = ngettext("%(count)d key revoked.", "%(count)d keys revoked.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)


class WebhookEndpointForm(forms.ModelForm):
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"class": "vURLField"}),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=Event.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["url", "events", "personal"]

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        try:
            check_url(url)
        except Refused as refusal:
            raise forms.ValidationError(str(refusal)) from None
        return url

    def clean_events(self) -> list[str]:
        return sorted(self.cleaned_data["events"])


class EndpointState(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        return [
            ("working", _("working")),
            ("failing", _("failing")),
            ("disabled", _("disabled")),
        ]

    def queryset(self, request: HttpRequest, queryset: WebhookEndpointQuerySet):
        enabled = queryset.filter(disabled_at=None)
        return {
            "working": enabled.filter(failing_since=None),
            "failing": enabled.exclude(failing_since=None),
            "disabled": queryset.exclude(disabled_at=None),
        }.get(self.value(), queryset)


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    """Staff register endpoints (the secret is shown once, on the page after), see how
    each is doing, enable again one that was disabled, and delete them."""

    form = WebhookEndpointForm
    list_display = ["url", "state", "event_list", "personal", "api_key"]
    list_filter = [EndpointState, "personal"]
    search_fields = ["url"]
    actions = ["enable_endpoints"]
    readonly_fields = [
        "api_key",
        "created_at",
        "created_by",
        "failing_since",
        "last_failure",
        "disabled_at",
    ]

    @admin.display(description=_("events"))
    def event_list(self, endpoint: WebhookEndpoint) -> str:
        return ", ".join(endpoint.events)

    @admin.display(description=_("state"))
    def state(self, endpoint: WebhookEndpoint) -> str:
        if endpoint.disabled_at:
            return _("disabled after failing for a day")
        if endpoint.failing_since:
            return _("failing since %(time)s") % {
                "time": date_format(timezone.localtime(endpoint.failing_since), "DATETIME_FORMAT")
            }
        return _("working")

    def get_fields(self, request: HttpRequest, obj: WebhookEndpoint | None = None) -> list[str]:
        fields = ["url", "events", "personal"]
        return fields if obj is None else [*fields, *self.readonly_fields]

    def save_model(self, request: HttpRequest, obj: WebhookEndpoint, form, change: bool) -> None:
        if not change:
            obj.created_by = request.user
            obj.shown_secret = issue_secret(obj)
        super().save_model(request, obj, form, change)

    def response_add(
        self, request: HttpRequest, obj: WebhookEndpoint, post_url_continue=None
    ) -> HttpResponse:
        # Shown in this response only, as an API key is.
        context = {
            **self.admin_site.each_context(request),
            "endpoint": obj,
            "secret": obj.shown_secret,
            "opts": self.opts,
        }
        response = TemplateResponse(request, "admin/api/webhookendpoint/created.html", context)
        add_never_cache_headers(response)
        return response

    @admin.action(description=_("Enable the selected endpoints again"), permissions=["change"])
    def enable_endpoints(self, request: HttpRequest, queryset: WebhookEndpointQuerySet) -> None:
        disabled = list(queryset.exclude(disabled_at=None))
        count = enable(queryset)
        for endpoint in disabled:
            self.log_change(request, endpoint, "Enabled again")
        message = ngettext(
            "%(count)d endpoint enabled again.", "%(count)d endpoints enabled again.", count
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """What was sent to each endpoint, and how it went: a log to read, never to edit.
    The payloads are not shown (they may be personal, and are blanked once sent)."""

    list_display = ["created_at", "event", "endpoint", "status", "attempts", "last_error"]
    list_filter = ["status", "event"]
    list_select_related = ["endpoint"]
    fields = [
        "endpoint",
        "event",
        "message_id",
        "status",
        "attempts",
        "created_at",
        "first_attempt_at",
        "next_attempt_at",
        "sent_at",
        "last_error",
    ]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
