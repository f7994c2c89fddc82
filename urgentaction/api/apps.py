from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The JSON API for partners' systems (docs/api.md) and its keys: at the top of the
    house, it reads every app below it and nothing imports it."""

    name = "urgentaction.api"
    verbose_name = _("API")

    def ready(self) -> None:
        from urgentaction.api.alerts import disabled_webhooks
        from urgentaction.api.webhooks.payloads import record_event
        from urgentaction.core import alerts, events

        # Events announced by the apps below are recorded as webhooks (api/webhooks/).
        events.listen(record_event)
        alerts.register(disabled_webhooks, permission="api.view_webhookendpoint")
