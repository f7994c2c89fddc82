import math

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from urgentaction.actions.cancelling import undelivered
from urgentaction.cases.forms import OutcomeForm
from urgentaction.cases.models import OutcomeRecord
from urgentaction.cases.outcome_emails import people_to_tell
from urgentaction.cases.outcomes import AlreadyRecorded, record_outcome
from urgentaction.lib.outbox import OutboxStatus


@admin.register(OutcomeRecord)
class OutcomeRecordAdmin(admin.ModelAdmin):
    """Outcomes as recorded, each with what it cancelled and how far its email has got;
    recording one goes through a page that says exactly what will happen."""

    list_display = [
        "campaign",
        "kind",
        "outcome_date",
        "recorded_at",
        "recorded_by",
        "letters_cancelled",
        "status",
        "progress",
    ]
    list_select_related = ["campaign", "recorded_by"]
    list_filter = ["status", "campaign__outcome_kind"]
    search_fields = ["campaign__title"]

    def get_queryset(self, request):
        sent = Q(emails__email__status=OutboxStatus.SENT)
        return (
            super()
            .get_queryset(request)
            .annotate(queued=Count("emails"), sent=Count("emails", filter=sent))
        )

    # A record is history: it is read, never changed or deleted here.
    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        """Recording an outcome closes a campaign: it takes the right to change them too."""
        return super().has_add_permission(request) and request.user.has_perm(
            "campaigns.change_campaign"
        )

    @admin.display(description=_("kind of outcome"), ordering="campaign__outcome_kind")
    def kind(self, record: OutcomeRecord) -> str:
        return record.campaign.get_outcome_kind_display()

    @admin.display(description=_("date of the outcome"), ordering="campaign__outcome_date")
    def outcome_date(self, record: OutcomeRecord):
        return record.campaign.outcome_date

    @admin.display(description=_("emails sent"))
    def progress(self, record: OutcomeRecord) -> str:
        return _("%(sent)d of %(queued)d") % {"sent": record.sent, "queued": record.queued}

    def add_view(self, request: HttpRequest, form_url="", extra_context=None) -> HttpResponse:
        """The form; then a page that says what will happen, whose button records it."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        data = request.POST if request.method == "POST" else None
        form = OutcomeForm(data, initial=self._initial(request))
        confirming = data is not None and "edit" not in data and form.is_valid()
        if confirming and data.get("confirmed") == "yes":
            return self._record(request, form)
        if confirming:
            return self._confirmation(request, form)
        context = {**self._context(request, _("Record an outcome")), "form": form}
        return TemplateResponse(request, "cases/admin/outcome_form.html", context)

    @staticmethod
    def _initial(request: HttpRequest) -> dict[str, object]:
        return {"campaign": request.GET.get("campaign")}

    def _context(self, request: HttpRequest, title: str) -> dict[str, object]:
        return {**self.admin_site.each_context(request), "title": title, "opts": self.opts}

    def _confirmation(self, request: HttpRequest, form: OutcomeForm) -> TemplateResponse:
        """Exactly what pressing the button does: the letters it cancels and why they
        wait, and the people it emails, at what pace."""
        campaign = form.cleaned_data["campaign"]
        people = people_to_tell(campaign)
        pace = settings.UPDATE_EMAILS_PER_MINUTE
        context = {
            **self._context(
                request, _("Record the outcome of “%(title)s”") % {"title": campaign.title}
            ),
            "form": form,
            "campaign": campaign,
            "kind": dict(form.fields["kind"].choices)[form.cleaned_data["kind"]],
            "on": form.cleaned_data["on"],
            "letters": undelivered(campaigns=[campaign]),
            "people": people,
            "pace": pace,
            "minutes": max(math.ceil(people / pace), 1),
        }
        return TemplateResponse(request, "cases/admin/outcome_confirm.html", context)

    def _record(self, request: HttpRequest, form: OutcomeForm) -> HttpResponse:
        campaign = form.cleaned_data["campaign"]
        try:
            record, cancelled = record_outcome(
                campaign=campaign,
                kind=form.cleaned_data["kind"],
                on=form.cleaned_data["on"],
                texts=form.texts(),
                by=request.user,
            )
        except AlreadyRecorded:
            self.message_user(
                request,
                _("The outcome of “%(title)s” was recorded already.") % {"title": campaign},
                messages.WARNING,
            )
            return redirect("admin:cases_outcomerecord_changelist")
        self.log_addition(request, record, [{"added": {}}])
        self.message_user(
            request,
            ngettext(
                "The outcome of “%(title)s” is recorded and its page closed. %(count)d letter "
                "not yet delivered was cancelled; everyone who wrote is being told.",
                "The outcome of “%(title)s” is recorded and its page closed. %(count)d letters "
                "not yet delivered were cancelled; everyone who wrote is being told.",
                cancelled.letters,
            )
            % {"title": campaign, "count": cancelled.letters},
        )
        return redirect("admin:cases_outcomerecord_changelist")
