"""The staff app's own admin pages. Each loads its campaign through ``campaign_for``,
which refuses staff without the permission to see campaigns (the admin site has already
refused anyone who is not staff)."""

import csv

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from urgentaction.campaigns.models import Campaign
from urgentaction.core import audit
from urgentaction.core.models import AuditEntry
from urgentaction.letters.exports import neutralise
from urgentaction.staff.dashboard import Dashboard
from urgentaction.staff.exports import crm_csv, crm_letters
from urgentaction.staff.subscribers import LAYOUTS, consenting_people, people_csv

# The page asks for itself again this often while it is open (staff/refresh.js).
REFRESH_SECONDS = 30


def campaign_for(request: HttpRequest, slug: str, *, permission: str = "") -> Campaign:
    """The campaign a staff page is about, for staff who may see campaigns and hold
    ``permission`` too, if one is named."""
    wanted = ["campaigns.view_campaign", *([permission] if permission else [])]
    if not request.user.has_perms(wanted):
        raise PermissionDenied
    return get_object_or_404(Campaign, slug=slug)


def dashboard_view(site):
    @never_cache
    def dashboard(request: HttpRequest, slug: str) -> TemplateResponse:
        campaign = campaign_for(request, slug)
        numbers = Dashboard(campaign)
        context = {
            **site.each_context(request),
            "title": _("Dashboard: %(campaign)s") % {"campaign": campaign.title},
            "campaign": campaign,
            "opts": Campaign._meta,
            "charts": numbers.charts(),
            "targets": numbers.targets(),
            "updated_at": timezone.localtime(numbers.now),
            "refresh_seconds": REFRESH_SECONDS,
        }
        return TemplateResponse(request, "staff/dashboard.html", context)

    return dashboard


@never_cache
def chart_csv(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """The numbers of one chart of the dashboard, as the table below it shows them."""
    campaign = campaign_for(request, slug)
    chart = Dashboard(campaign).chart(key)
    if chart is None:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{campaign.slug}-{key}.csv"'
    writer = csv.writer(response)
    writer.writerow(chart.headers)
    for row in chart.rows:
        writer.writerow([neutralise(cell) if isinstance(cell, str) else cell for cell in row])
    return response


@never_cache
def crm_export(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    """A campaign's letters with names and addresses, for the CRM: it takes the right to
    export supporters, and is written to the audit log."""
    campaign = campaign_for(request, slug, permission="supporters.export_supporter")
    audit.record(request, AuditEntry.Kind.EXPORT, "letters CSV for a CRM", campaign.title)
    response = StreamingHttpResponse(
        crm_csv(crm_letters(campaign).iterator(chunk_size=1000)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{campaign.slug}-letters.csv"'
    return response


@never_cache
def people_export(request: HttpRequest, layout: str) -> StreamingHttpResponse:
    """Everyone who agreed to updates, laid out for CiviCRM's or Mailchimp's import: it
    takes the right to export supporters, and is written to the audit log."""
    if not request.user.has_perm("supporters.export_supporter"):
        raise PermissionDenied
    chosen = LAYOUTS.get(layout)
    if chosen is None:
        raise Http404
    audit.record(
        request, AuditEntry.Kind.EXPORT, f"people who agreed to updates, CSV for {chosen.system}"
    )
    response = StreamingHttpResponse(
        people_csv(chosen, consenting_people().iterator(chunk_size=1000)),
        content_type="text/csv; charset=utf-8",
    )
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="people-for-{layout}-{day}.csv"'
    return response
