import asyncio
import email
import email.policy
import re
import socket
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from urgentaction.actions import kept, page_kept
from urgentaction.core import staff_sessions
from urgentaction.lib import fragments
from urgentaction.mailings.emails import with_words
from urgentaction.mailings.models import OutboundEmail
from urgentaction.pages import navigation
from urgentaction.privacy.my_data_link import answer_my_data_requests


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language. A request to /ko/ leaves Korean active
    in its thread (as in any server, where the next request activates its own), and a
    test's objects made after it would get Korean text."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def nothing_kept():
    """Each test starts with nothing kept by the process (actions/kept.py,
    actions/page_kept.py, pages/navigation.py, lib/fragments.py): its rows' ids may be
    an earlier test's, rolled back."""
    kept.forget()
    page_kept.forget()
    navigation.forget()
    fragments.forget()


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def sign_in_staff(client, user) -> None:
    """Sign a staff member in as the admin requires: password and authenticator code
    (a TOTP device verified for this session), and a staff session on the server."""
    device = TOTPDevice.objects.create(user=user, name="test authenticator", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    staff_sessions.start(session, user)
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key


def code_for(device: TOTPDevice) -> str:
    """The code an authenticator app shows now."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def confirm_path(email: OutboundEmail) -> str:
    """The path of the confirmation link in a confirmation email, rendered as the worker
    renders it to send it."""
    text = with_words(email).text
    return re.search(r"http://127\.0\.0\.1:8000(/confirm/[^/\s]+/)", text).group(1)


def ask_for_link(client, email: str = "ada@people.example") -> str | None:
    """The path of the link /my-data/ emails, as the person would find it (None if none
    was sent)."""
    client.post("/my-data/", {"email": email})
    answer_my_data_requests()
    sent = OutboundEmail.objects.filter(kind="my_data_link").order_by("pk").last()
    if sent is None:
        return None
    return re.search(r"https?://[^/\s]+(/my-data/[^\s]+/)", sent.text).group(1)


def open_link(client, path: str) -> None:
    """What the person does with the emailed link: open it, and press its button."""
    assert client.post(path)["Location"] == "/my-data/yours/"


def erase_through_my_data(email: str, client: Client | None = None) -> None:
    """What the person does: ask /my-data/ for their link, open it from the email, and
    erase."""
    client = client or Client()
    open_link(client, ask_for_link(client, email))
    assert client.post("/my-data/yours/erase/").status_code == 200


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's admin client, signed in with the second factor too."""
    sign_in_staff(client, admin_user)
    return client


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache. The database cache empties with the test
    database; Redis (a database of the tests' own) is emptied here."""
    if settings.REDIS_URL:
        cache.clear()


@dataclass
class RecordingHandler:
    """An aiosmtpd handler that keeps what it receives and can be scripted to refuse:
    ``mail_reply`` refuses the sender, ``rcpt_reply`` every recipient, ``data_reply``
    every message, ``data_replies`` the next messages in turn, ``drops`` hangs up on that
    many messages, and ``refuse`` maps recipient addresses to the reply that refuses them."""

    messages: list = field(default_factory=list)
    mail_reply: str | None = None
    rcpt_reply: str | None = None
    data_reply: str | None = None
    data_replies: list = field(default_factory=list)
    drops: int = 0
    refuse: dict = field(default_factory=dict)
    sessions: int = 0
    envelopes: list = field(default_factory=list)

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.sessions += 1
        session.host_name = hostname
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.mail_reply:
            return self.mail_reply
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_reply:
            return self.rcpt_reply
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.drops:
            self.drops -= 1
            server.transport.close()
            return "421 Closing connection"
        if self.data_replies:
            return self.data_replies.pop(0)
        if self.data_reply:
            return self.data_reply
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(message)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        await asyncio.sleep(0)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    """A real SMTP server on a free local port, with Django's SMTP backend pointed at it."""
    handler = RecordingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_USE_TLS=False,
        EMAIL_USE_SSL=False,
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
        EMAIL_TIMEOUT=5,
    ):
        yield handler
    controller.stop()


def pytest_report_header(config) -> str:
    database = settings.DATABASES["default"]
    vendor = database["ENGINE"].rsplit(".", 1)[-1]
    cache_backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    return f"database: {vendor} {database.get('HOST') or database['NAME']}; cache: {cache_backend}"


def same_page(content: bytes, path: str) -> bytes:
    """A page's bytes without its own path (which its language switcher links to in each
    language): pages at secret links compare equal whatever their token."""
    token = path.rstrip("/").rsplit("/", 1)[-1]
    return content.replace(token.encode(), b"TOKEN")
