from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionsConfig(AppConfig):
    name = "urgentaction.actions"
    verbose_name = _("Letters")

    def ready(self) -> None:
        from anymail.signals import tracking

        from urgentaction.actions.bounces import on_tracking_event
        from urgentaction.actions.confirmation import CONFIRMATION_EMAILS, render_confirmation
        from urgentaction.actions.delivery import render_letter_failed
        from urgentaction.mailings.emails import render_when_sent

        # Anymail reports provider events only through this signal; the receiver hands
        # them straight to the bounce service.
        tracking.connect(on_tracking_event, dispatch_uid="urgentaction-bounces")
        for kind in CONFIRMATION_EMAILS:
            render_when_sent(kind, render_confirmation)
        render_when_sent("letter_failed", render_letter_failed)
