from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionsConfig(AppConfig):
    name = "urgentaction.actions"
    verbose_name = _("Letters")

    def ready(self) -> None:
        from anymail.signals import tracking

        from urgentaction.actions.bounces import on_tracking_event

        # Anymail reports provider events only through this signal; the receiver hands
        # them straight to the bounce service.
        tracking.connect(on_tracking_event, dispatch_uid="urgentaction-bounces")
