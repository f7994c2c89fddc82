"""The admin site, whose sign-ins open staff sessions and whose sign-outs end them
(core/staff_sessions.py). urls.py makes it the class of ``admin.site``.

What campaigners see in it beyond the stock admin (the staff home, dashboards, the
navigation in their words) is a Workspace that the staff app, at the top of the house,
installs when it is ready: this module never imports it."""

from functools import wraps

from django.conf import settings
from django.contrib import auth
from django.contrib.admin import AdminSite
from django.http import HttpRequest
from django.urls import URLPattern
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite

from urgentaction.core import staff_sessions


def sign_out(request: HttpRequest) -> None:
    staff_sessions.end(request.session)
    auth.logout(request)


class Workspace:
    """What an app adds to the admin site; by itself, nothing."""

    def urls(self, site: AdminSite) -> list[URLPattern]:
        """Pages of its own, each wrapped in ``site.admin_view``."""
        return []

    def home(self, request: HttpRequest) -> dict[str, object]:
        """What the staff home shows besides the navigation."""
        return {}

    def navigation(self, request: HttpRequest, app_list: list[dict]) -> list[dict]:
        """The admin's lists, arranged as staff look for them."""
        return app_list


def use_workspace(workspace: Workspace) -> None:
    StaffAdminSite.workspace = workspace


class StaffAdminSite(AdminSite):
    workspace = Workspace()
    index_title = _("Staff home")

    @property
    def site_header(self) -> str:
        return settings.ORG_NAME

    @property
    def site_title(self) -> str:
        return _("%(org)s staff") % {"org": settings.ORG_NAME}

    def get_urls(self) -> list[URLPattern]:
        return [*self.workspace.urls(self), *super().get_urls()]

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[dict]:
        app_list = super().get_app_list(request, app_label)
        # One app's own page lists that app's models, as Django names them.
        return app_list if app_label else self.workspace.navigation(request, app_list)

    def index(self, request: HttpRequest, extra_context=None):
        return super().index(request, {**self.workspace.home(request), **(extra_context or {})})

    def admin_view(self, view, cacheable=False):
        admit = super().admin_view(view, cacheable)

        @wraps(admit)
        def inner(request: HttpRequest, *args, **kwargs):
            if request.user.is_authenticated and not staff_sessions.keep(
                request.session, request.user
            ):
                # Signed out elsewhere, or idle too long: sign in again.
                auth.logout(request)
            return admit(request, *args, **kwargs)

        return inner

    def login(self, request: HttpRequest, extra_context=None):
        signing_in = request.method == "POST"
        if signing_in and request.user.is_authenticated:
            # From signed out, so that being signed in afterwards means this sign-in
            # succeeded (a failed one leaves the user as they were).
            sign_out(request)
        response = super().login(request, extra_context)
        if signing_in and request.user.is_authenticated:
            staff_sessions.start(request.session, request.user)
        return response

    def logout(self, request: HttpRequest, extra_context=None):
        if request.method == "POST":
            staff_sessions.end(request.session)
        return super().logout(request, extra_context)


class TwoFactorAdminSite(OTPAdminSite, StaffAdminSite):
    """The same, and every page needs a verified code from an authenticator app too."""
