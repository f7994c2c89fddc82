import json

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def widget(field: BoundField, *, hint: str = "", extra_describedby: str = "") -> SafeString:
    """Render a field's input linked to its hint and error message, as GOV.UK does."""
    describedby = [extra_describedby] if extra_describedby else []
    if hint:
        describedby.append(f"{field.auto_id}-hint")
    if field.errors:
        describedby.append(f"{field.auto_id}-error")
    attrs = {"aria-describedby": " ".join(describedby)} if describedby else {}
    return field.as_widget(attrs=attrs)


@register.simple_tag
def error_anchor(field: BoundField) -> str:
    """Where an error summary entry should take focus: the field, or a group's first option."""
    if getattr(field.field.widget, "input_type", None) == "radio":
        return f"{field.auto_id}_0"
    return field.id_for_label


@register.inclusion_tag("includes/pow.html")
def proof_of_work() -> dict[str, object]:
    """The proof-of-work widget, with its words translated here. The widget itself is not
    shown: the check runs by itself, and a line says how far it has got (pow.js), so that
    it does not read as a second box to tick."""
    states = {
        "unverified": _(
            "Your browser checks that a person is sending this form. It starts when you "
            "begin, and there is nothing to do."
        ),
        "verifying": _("Checking that a person is sending this form…"),
        "verified": _("Done: this form can be sent."),
        "error": _("The check did not work. You can still send: we will email you to confirm."),
        "expired": _("The check expired; it runs again when you send."),
    }
    strings = {
        "label": _("Check that a person is sending this"),
        "verifying": _("Checking…"),
        "verified": _("Checked"),
        "verificationRequired": _("Wait a moment while we check this form"),
        "waitAlert": _("Checking… please wait."),
        "error": _("The check did not work. You can still send: we will email you to confirm."),
        "expired": _("The check expired. Select the box to check again."),
        "verify": _("Check"),
        "loading": _("Loading…"),
        "reload": _("Reload"),
        "cancel": _("Cancel"),
        "footer": "",
        "ariaLinkLabel": "",
        "enterCode": _("Enter code"),
        "enterCodeAria": _("Enter the code you hear. Press Space to play the audio."),
        "enterCodeFromImage": _("To go on, enter the code from the image below."),
        "getAudioChallenge": _("Get an audio challenge"),
    }
    return {
        "strings": json.dumps({key: str(value) for key, value in strings.items()}),
        "states": states,
    }
