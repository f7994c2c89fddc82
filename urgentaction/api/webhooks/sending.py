"""One webhook request: signed per Standard Webhooks, sent to the checked address of its
URL, with a time limit. Nothing here touches the database, so that requests can be made
side by side in threads while the database is read and written by one."""

import contextlib
import http.client
import socket
import threading
from dataclasses import dataclass
from datetime import datetime
from math import floor

from standardwebhooks import Webhook

from urgentaction.api.webhooks.addresses import Refused, destination

USER_AGENT = "UrgentAction-Webhooks/1"
# Seconds each step of a request (connecting, sending, each read) may take; the whole
# request, this many times that (a receiver that answers a byte at a time is cut off).
TIMEOUT = 10.0
STEPS = 3
# What is read of an answer: only its status counts.
READ_AT_MOST = 4096
# Answers worth trying again later; other 4xx answers mean the receiver will not take it.
RETRIED_STATUSES = {408, 425, 429}


@dataclass(frozen=True)
class Request:
    url: str
    body: bytes
    headers: dict[str, str]


@dataclass(frozen=True)
class Answer:
    delivered: bool
    # Worth another try (a timeout, a 5xx): the row goes back with back-off.
    retry: bool
    # For staff and the logs: "HTTP 500", "timed out", a refused address. Never the
    # receiver's own words, which could be anything.
    summary: str


def signed_request(*, url: str, body: bytes, secret: str, message_id: str, at: datetime) -> Request:
    """The request for one try: the same ``webhook-id`` on every try of a row, signed
    with the time of this one (receivers refuse old timestamps)."""
    signature = Webhook(secret).sign(msg_id=message_id, timestamp=at, data=body)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "webhook-id": message_id,
        "webhook-timestamp": str(floor(at.timestamp())),
        "webhook-signature": signature,
    }
    return Request(url=url, body=body, headers=headers)


def _connect(addresses: tuple[str, ...], port: int, *args: object) -> socket.socket:
    """A connection to the first of ``addresses`` that answers, as
    ``socket.create_connection`` makes one to the first address of a name."""
    for address in addresses[:-1]:
        try:
            return socket.create_connection((address, port), *args)
        except OSError:
            continue
    return socket.create_connection((addresses[-1], port), *args)


def _hang_up(connection: http.client.HTTPConnection, hung_up: threading.Event) -> None:
    """End a request that has run out of time: the read it waits in returns at once."""
    hung_up.set()
    if connection.sock is not None:
        with contextlib.suppress(OSError):
            connection.sock.shutdown(socket.SHUT_RDWR)


def post(request: Request, *, timeout: float = TIMEOUT) -> Answer:
    """Send ``request``; what came of it. Redirects are not followed (they count as
    failures): the place they point to was never checked."""
    try:
        where = destination(request.url)
    except Refused as refusal:
        return Answer(delivered=False, retry=True, summary=str(refusal)[:200])
    kind = http.client.HTTPSConnection if where.scheme == "https" else http.client.HTTPConnection
    connection = kind(where.host, where.port, timeout=timeout)
    # Connect to an address that was checked, not to whatever the name resolves to now;
    # TLS still checks the certificate against the host's name.
    connection._create_connection = lambda _address, *args: _connect(
        where.addresses, where.port, *args
    )
    hung_up = threading.Event()
    deadline = threading.Timer(timeout * STEPS, _hang_up, args=(connection, hung_up))
    deadline.start()
    try:
        connection.request("POST", where.target, body=request.body, headers=request.headers)
        response = connection.getresponse()
        response.read(READ_AT_MOST)
    except (OSError, http.client.HTTPException) as error:
        late = isinstance(error, TimeoutError) or hung_up.is_set()
        return Answer(
            delivered=False, retry=True, summary="timed out" if late else type(error).__name__
        )
    finally:
        deadline.cancel()
        connection.close()
    if hung_up.is_set():
        # Cut off mid-answer, which can then look complete: it does not count.
        return Answer(delivered=False, retry=True, summary="timed out")
    status = response.status
    if 200 <= status < 300:
        return Answer(delivered=True, retry=False, summary=f"HTTP {status}")
    retry = status >= 500 or status in RETRIED_STATUSES
    return Answer(delivered=False, retry=retry, summary=f"HTTP {status}")
