from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """The life of a case after its letters go: references, follow-ups, outcomes, the
    targets' responses and the "did you get a reply?" questionnaire. It reads campaigns,
    actions and deliveries, and cancels letters through the actions services."""

    name = "urgentaction.cases"
    verbose_name = _("Cases")
