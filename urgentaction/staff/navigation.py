"""The admin's lists arranged as campaigners look for them, in their words. Each list
shows only where the stock admin would show it (the staff member may see it); the
system's own records are for superusers."""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Entry:
    """A list in a section: a model's list, or a filtered view of it (``query``)."""

    model: str
    name: Promise
    query: str = ""
    key: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    name: Promise
    entries: tuple[Entry, ...]
    superusers_only: bool = False


SECTIONS = (
    Section(
        "campaigns",
        _("Campaigns"),
        (
            Entry("campaigns.campaign", _("Campaigns")),
            Entry("campaigns.target", _("Targets (whom to write to)")),
            Entry("campaigns.lettertemplate", _("Suggested letters")),
            Entry("cases.targetresponse", _("Responses from targets")),
            Entry("cases.answer", _("Did writers get a reply?")),
            Entry(
                "cases.answer", _("Pasted replies to review"), "review__exact=held", "replies_held"
            ),
            Entry("cases.outcomerecord", _("Outcomes")),
        ),
    ),
    Section(
        "letters",
        _("Letters"),
        (
            Entry("actions.action", _("All letters")),
            Entry("actions.action", _("Held for review"), "review__exact=held", "held"),
            Entry("actions.delivery", _("Deliveries")),
            Entry("actions.digest", _("Daily digests")),
        ),
    ),
    Section(
        "supporters",
        _("Supporters and consent"),
        (
            Entry("supporters.supporter", _("Supporters")),
            Entry("supporters.consent", _("Consents to updates")),
            Entry("supporters.consenttext", _("Consent wordings")),
            Entry("supporters.suppression", _("Addresses never to email")),
        ),
    ),
    Section(
        "updates",
        _("Updates"),
        (
            Entry("mailings.update", _("Updates")),
            Entry("cases.followupannouncement", _("Case notices (follow-ups)")),
            Entry("mailings.outboundemail", _("Emails to supporters")),
        ),
    ),
    Section(
        "printed", _("Printed letters"), (Entry("letters.handinbundle", _("Hand-in bundles")),)
    ),
    Section(
        "settings",
        _("Settings"),
        (
            Entry("actions.blockedword", _("Blocked words")),
            Entry("actions.blockeddomain", _("Blocked email domains")),
            Entry("auth.user", _("Staff accounts")),
            Entry("auth.group", _("Staff groups")),
        ),
    ),
    Section(
        "system",
        _("System"),
        (
            Entry("core.auditentry", _("Audit log")),
            Entry("otp_totp.totpdevice", _("Authenticator devices")),
            Entry("django_tasks_database.dbtaskresult", _("Background task results")),
        ),
        superusers_only=True,
    ),
)
# Where a list that no section names goes (a model registered later, say).
OTHER = "settings"


def arrange(request: HttpRequest, app_list: list[dict]) -> list[dict]:
    """The stock admin's app list (only what this user may see), as SECTIONS."""
    available = {
        model["model"]._meta.label_lower: model for app in app_list for model in app["models"]
    }
    named = {entry.model for section in SECTIONS for entry in section.entries}
    sections = []
    for section in SECTIONS:
        if section.superusers_only and not request.user.is_superuser:
            continue
        models = [
            _entry(available[entry.model], entry)
            for entry in section.entries
            if entry.model in available and available[entry.model]["admin_url"]
        ]
        if section.key == OTHER:
            models += [model for label, model in available.items() if label not in named]
        if models:
            sections.append(_section(section, models))
    return sections


def _entry(model: dict, entry: Entry) -> dict:
    shown = {**model, "name": entry.name, "key": entry.key or model["object_name"].lower()}
    if entry.query:
        shown.update(admin_url=f"{model['admin_url']}?{entry.query}", add_url=None)
    return shown


def _section(section: Section, models: list[dict]) -> dict:
    return {
        "name": section.name,
        "app_label": section.key,
        "app_url": reverse("admin:index") + f"#{section.key}",
        "has_module_perms": True,
        "models": models,
    }
