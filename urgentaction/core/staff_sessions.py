"""Staff sessions that end on the server.

Sessions are signed cookies, so that the public pages store nothing per visitor. But a
cookie cannot be taken back: one copied before its owner signed out would open the admin
until it expired. So each staff sign-in also opens a row, whose key the session carries,
and the admin admits the session only while that row lives. Signing out deletes it; a
session with no admin request for STAFF_SESSION_IDLE_MINUTES expires.
"""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.sessions.backends.base import SessionBase
from django.utils import timezone

from urgentaction.core.models import StaffSession

SESSION_KEY = "staff_session"


def _idle_until(now: datetime) -> datetime:
    return now + timedelta(minutes=settings.STAFF_SESSION_IDLE_MINUTES)


def start(session: SessionBase, user: AbstractBaseUser) -> None:
    """Open a staff session for ``user``, who has just signed in with ``session``."""
    now = timezone.now()
    StaffSession.objects.filter(expires_at__lte=now).delete()
    key = secrets.token_urlsafe(32)
    StaffSession.objects.create(key=key, user=user, expires_at=_idle_until(now))
    session[SESSION_KEY] = key


def keep(session: SessionBase, user: AbstractBaseUser) -> bool:
    """Whether ``session`` carries a live staff session of ``user``; if so, its idle time
    starts again."""
    key = session.get(SESSION_KEY)
    now = timezone.now()
    live = StaffSession.objects.filter(key=key, user_id=user.pk, expires_at__gt=now)
    return bool(key) and live.update(expires_at=_idle_until(now)) == 1


def end(session: SessionBase) -> None:
    """End the staff session ``session`` carries, if any."""
    StaffSession.objects.filter(key=session.get(SESSION_KEY, "")).delete()
