import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from urgentaction.actions.tests.factories import ActionFactory
from urgentaction.conftest import sign_in_staff
from urgentaction.core.models import AuditEntry
from urgentaction.mailings.models import Update
from urgentaction.supporters.models import Consent, ConsentText

pytestmark = pytest.mark.django_db


def every_action() -> list:
    """Each registered admin's actions, as someone allowed everything is offered them
    (but RQ's dashboard, a model with no table and no list of its own, when REDIS_URL is
    set)."""
    request = RequestFactory().get("/")
    request.user = get_user_model()(is_active=True, is_staff=True, is_superuser=True)
    return [
        pytest.param(model, name, id=f"{model._meta.label}.{name}")
        for model, model_admin in admin.site._registry.items()
        if model._meta.managed
        for name in model_admin.get_actions(request)
    ]


@pytest.fixture
def viewer(client):
    """Staff who may look at everything and change nothing."""
    user = get_user_model().objects.create_user("viewer", "viewer@org.example", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    sign_in_staff(client, user)
    return client


@pytest.fixture
def subscriber():
    """A letter, its writer subscribed to updates, and an update not yet sent."""
    action = ActionFactory()
    Consent.objects.create(
        supporter=action.supporter,
        email_hash=action.supporter.email_hash,
        text=ConsentText.objects.create(wording="Email me news."),
        method=Consent.Method.SIGNUP_FORM,
        confirmed_at=timezone.now(),
    )
    Update.objects.create(campaign=action.campaign, subject="They are free", body="Thank you.")


def every_row() -> dict:
    # The audit log is left out: it rightly records that the viewer looked at the lists.
    # So are models with no table (RQ's dashboard, registered when REDIS_URL is set).
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in admin.site._registry
        if model is not AuditEntry and model._meta.managed
    }


@pytest.mark.parametrize(("model", "name"), every_action())
def test_it_neither_offers_nor_runs_any_action_for_staff_who_may_only_view(
    viewer, subscriber, model, name
):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    before = every_row()

    form = viewer.get(url).context["action_form"]
    response = viewer.post(
        url, {"action": name, "index": 0, "select_across": 1, "_selected_action": ["1"]}
    )

    assert form is None or name not in dict(form.fields["action"].choices)
    assert response.status_code in (200, 302)
    assert "Content-Disposition" not in response
    assert every_row() == before
    assert not AuditEntry.objects.exclude(kind=AuditEntry.Kind.VIEW_LIST).exists()
