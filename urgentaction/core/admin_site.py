"""The admin site, whose sign-ins open staff sessions and whose sign-outs end them
(core/staff_sessions.py). urls.py makes it the class of ``admin.site``."""

from functools import wraps

from django.contrib import auth
from django.contrib.admin import AdminSite
from django.http import HttpRequest
from django_otp.admin import OTPAdminSite

from urgentaction.core import staff_sessions


def sign_out(request: HttpRequest) -> None:
    staff_sessions.end(request.session)
    auth.logout(request)


class StaffAdminSite(AdminSite):
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
