"""The API's alerts on the staff home (registered in core/alerts.py when the app is
ready)."""

from django.db.models import Count, Min
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from urgentaction.api.models import WebhookEndpoint
from urgentaction.core.alerts import Alert


def disabled_webhooks() -> list[Alert]:
    disabled = WebhookEndpoint.objects.exclude(disabled_at=None).order_by()
    found = disabled.aggregate(count=Count("pk"), oldest=Min("disabled_at"))
    count = found["count"]
    if not count:
        return []
    return [
        Alert(
            ngettext(
                "%(count)s webhook endpoint disabled after failing for a day",
                "%(count)s webhook endpoints disabled after failing for a day",
                count,
            )
            % {"count": f"{count:,}"},
            _("The first was disabled %(time)s ago.")
            % {"time": timesince(found["oldest"], timezone.now(), depth=1)},
            reverse("admin:api_webhookendpoint_changelist") + "?state=disabled",
        )
    ]
