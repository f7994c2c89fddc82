"""deploy/nginx.conf, filled in as ``manage.py serve`` fills it in, run by a real nginx in
front of the site (pytest-django's live server). Without nginx these tests are skipped,
except under CI, where they fail."""

import http.client
import os
import subprocess
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.signals import request_started

from urgentaction.campaigns.models import Campaign
from urgentaction.campaigns.tests.factories import KOREAN, CampaignFactory, in_korean
from urgentaction.conftest import free_port
from urgentaction.core import nginx
from urgentaction.lib import public_pages

HASHED_CSS = "ua/site.0123456789ab.css"


@dataclass
class Proxy:
    port: int
    # nginx's standard output and error.
    output: Path
    access_log: Path
    # The WSGI environ of every request that reached the site.
    seen: list[dict] = field(default_factory=list)

    def request(
        self, method: str, path: str, *, headers: dict | None = None, body: bytes | None = None
    ) -> tuple[int, http.client.HTTPMessage, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def get(self, path: str, **headers: str) -> tuple[int, http.client.HTTPMessage, bytes]:
        return self.request("GET", path, headers=headers)

    def logged(self, text: str) -> list[str]:
        """The access log's lines with ``text``, once nginx has written one: it writes a
        request's line after the response has gone."""
        for _ in range(100):
            lines = [line for line in self.access_log.read_text().splitlines() if text in line]
            if lines:
                return lines
            time.sleep(0.05)
        return []

    def reached_site(self, path: str, method: str = "GET") -> int:
        return sum(1 for e in self.seen if e["PATH_INFO"] == path and e["REQUEST_METHOD"] == method)


@pytest.fixture
def proxy(live_server) -> Iterator[Proxy]:
    if nginx.binary() is None:
        message = "nginx is not installed (Debian package: nginx-light)"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; the proxy tests must run under CI.", pytrace=False)
        pytest.skip(f"{message}; skipping the proxy tests.")
    with tempfile.TemporaryDirectory(prefix="ua-nginx-") as name:
        directory = Path(name)
        # nginx started as root runs its workers as nobody, who must reach the files.
        directory.chmod(0o755)
        static = directory / "static"
        (static / "ua").mkdir(mode=0o755, parents=True)
        (static / HASHED_CSS).write_text("body { color: black }")
        (static / HASHED_CSS).chmod(0o644)
        port = free_port()
        config = nginx.write_config(
            directory / "nginx",
            listen=f"127.0.0.1:{port}",
            upstream=f"127.0.0.1:{live_server.thread.port}",
            static_root=static,
            session_cookie=settings.SESSION_COOKIE_NAME,
            csrf_cookie=settings.CSRF_COOKIE_NAME,
        )
        running = Proxy(port, directory / "nginx.out", config.parent / "access.log")

        def record(sender, environ, **kwargs) -> None:
            running.seen.append(environ)

        with running.output.open("wb") as output:
            process = subprocess.Popen(  # noqa: S603
                nginx.command(config), stdout=output, stderr=subprocess.STDOUT
            )
        request_started.connect(record)
        try:
            _wait_until_it_answers(running, process)
            yield running
        finally:
            request_started.disconnect(record)
            process.terminate()
            process.wait(timeout=30)


def _wait_until_it_answers(proxy: Proxy, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 20
    while True:
        assert process.poll() is None, proxy.output.read_text()
        try:
            proxy.get(f"/static/{HASHED_CSS}")
            return
        except OSError:
            assert time.monotonic() < deadline, proxy.output.read_text()
            time.sleep(0.05)


@pytest.fixture
def campaign(transactional_db) -> Campaign:
    # The live server runs in another thread: its data must be committed.
    return CampaignFactory(title="Free the writers")


def test_a_public_page_is_served_from_the_cache_after_the_first_visit(proxy, campaign):
    url = campaign.get_absolute_url()

    first = proxy.get(url)
    second = proxy.get(url)

    assert (first[0], first[1]["X-Cache-Status"]) == (200, "MISS")
    assert (second[0], second[1]["X-Cache-Status"]) == (200, "HIT")
    assert second[2] == first[2]
    assert proxy.reached_site(url) == 1


def test_a_spike_of_visitors_costs_the_site_one_request(proxy, campaign):
    url = campaign.get_absolute_url()

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(lambda _: proxy.get(url)[0], range(40)))

    assert statuses == [200] * 40
    assert proxy.reached_site(url) == 1


def test_an_edit_shows_once_the_page_has_expired_at_the_cost_of_one_request(
    proxy, campaign, monkeypatch
):
    monkeypatch.setattr(public_pages, "SHARED_SECONDS", 1)
    url = campaign.get_absolute_url()
    proxy.get(url)

    campaign.title = "Free the poets"
    campaign.save()
    deadline = time.monotonic() + public_pages.SHARED_SECONDS + 5
    while b"Free the poets" not in proxy.get(url)[2]:
        assert time.monotonic() < deadline, "the edit did not show"
        time.sleep(0.05)

    # However often it was asked for meanwhile: the first fetch, then one fetch in the
    # background once it had expired, while the expired copy was served.
    assert proxy.reached_site(url) == 2


@pytest.mark.parametrize("cookie", [settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME])
def test_a_visitor_with_a_session_or_csrf_cookie_passes_the_cache_by(proxy, campaign, cookie):
    url = campaign.get_absolute_url()
    proxy.get(url)

    status, headers, _ = proxy.get(url, Cookie=f"theme=dark; {cookie}=abc")
    again = proxy.get(url)

    assert (status, headers["X-Cache-Status"]) == (200, "BYPASS")
    assert proxy.reached_site(url) == 2
    assert again[1]["X-Cache-Status"] == "HIT"


def test_other_cookies_share_the_cache(proxy, campaign):
    url = campaign.get_absolute_url()
    proxy.get(url)

    _, headers, _ = proxy.get(url, Cookie="ua_confirmed=abc")

    assert headers["X-Cache-Status"] == "HIT"


def test_a_post_always_reaches_the_site(proxy, campaign):
    url = campaign.get_absolute_url()
    form = {"Content-Type": "application/x-www-form-urlencoded"}

    for _ in range(2):
        status, headers, _ = proxy.request("POST", url, headers=form, body=b"email=x")
        assert status == 400  # the form, with its errors
        assert headers["X-Cache-Status"] is None

    assert proxy.reached_site(url, "POST") == 2


def test_a_long_letter_gets_through_and_a_huge_body_does_not(proxy, campaign):
    url = campaign.get_absolute_url()
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    # The longest letter, in characters of four bytes each, URL-encoded.
    letter = ("body=" + quote("\N{GRINNING FACE}" * 20_000)).encode()

    assert proxy.request("POST", url, headers=form, body=letter)[0] == 400
    assert proxy.request("POST", url, headers=form, body=b"x" * 2_000_000)[0] == 413
    assert proxy.reached_site(url, "POST") == 1


def test_it_tells_the_site_the_visitors_address_scheme_and_host(proxy, campaign):
    url = campaign.get_absolute_url()
    # From loopback, as the TLS proxy in front sends it; the last address is the one it saw.
    proxy.get(
        url,
        Host="localhost",
        **{"X-Forwarded-For": "198.51.100.1, 203.0.113.7", "X-Forwarded-Proto": "https"},
    )
    # Straight to nginx.
    proxy.get(url)

    [through_tls, direct] = proxy.seen
    assert through_tls["HTTP_X_FORWARDED_FOR"] == "203.0.113.7"
    assert through_tls["HTTP_X_FORWARDED_PROTO"] == "https"
    assert through_tls["HTTP_HOST"] == "localhost"
    assert direct["HTTP_X_FORWARDED_FOR"] == "127.0.0.1"
    assert direct["HTTP_X_FORWARDED_PROTO"] == "http"
    assert direct["HTTP_HOST"] == f"127.0.0.1:{proxy.port}"


def test_static_files_come_from_disk_and_hashed_ones_are_kept_a_year(proxy):
    status, headers, body = proxy.get(f"/static/{HASHED_CSS}")

    assert (status, body) == (200, b"body { color: black }")
    assert headers["Content-Type"] == "text/css"
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert proxy.get("/static/ua/missing.css")[0] == 404
    assert not [e for e in proxy.seen if e["PATH_INFO"].startswith("/static/")]


def test_the_access_log_names_no_visitor(proxy, campaign):
    proxy.get(
        campaign.get_absolute_url() + "?email=ada%40people.example",
        **{
            "X-Forwarded-For": "203.0.113.7",
            "User-Agent": "AgentOfAda/1.0",
            "Referer": "https://ada.example/page",
        },
    )

    lines = proxy.logged("/actions/")
    assert lines, proxy.access_log.read_text()
    for visitor_detail in ("203.0.113.7", "127.0.0.1", "ada", "Agent"):
        assert all(visitor_detail not in line for line in lines), lines


@pytest.mark.parametrize(
    "path",
    [
        "/confirm/Zq3TokenOfAda/",
        "/ko/my-data/Zq3TokenOfAda/",
        "/letters/Zq3TokenOfAda/letter.pdf",
        "/replies/Zq3TokenOfAda/",
        "/updates/unsubscribe/Zq3TokenOfAda/",
    ],
)
def test_the_access_log_keeps_no_token_of_a_personal_link(proxy, path):
    proxy.get(path)

    [line] = proxy.logged("[token]")
    assert "Zq3TokenOfAda" not in proxy.access_log.read_text()
    assert path.replace("Zq3TokenOfAda", "[token]") in line


def test_it_sends_a_first_visit_to_the_root_by_the_browsers_language_never_from_the_cache(
    proxy, campaign
):
    host = f"127.0.0.1:{proxy.port}"
    from_own_page = {"Referer": f"http://{host}/actions/{campaign.slug}/", "Host": host}

    english = proxy.get("/", **from_own_page, **{"Accept-Language": "ko"})
    again = proxy.get("/", **from_own_page, **{"Accept-Language": "ko"})
    korean = proxy.get("/", **{"Accept-Language": "ko-KR,ko;q=0.9,en;q=0.5", "Host": host})

    assert (english[0], again[1]["X-Cache-Status"]) == (200, "HIT")
    assert (korean[0], korean[1]["Location"]) == (302, "/ko/")
    assert proxy.get("/", **{"Accept-Language": "en-GB", "Host": host})[0] == 200


def test_each_language_has_its_own_cached_page(proxy, campaign):
    in_korean(campaign)
    url = campaign.get_absolute_url()

    english = [proxy.get(url) for _ in range(2)]
    korean = [proxy.get(f"/ko{url}") for _ in range(2)]

    assert english[1][1]["X-Cache-Status"] == korean[1][1]["X-Cache-Status"] == "HIT"
    assert b'<html lang="en-gb"' in english[1][2] and b"Free the writers" in english[1][2]
    assert b'<html lang="ko"' in korean[1][2] and KOREAN["title_ko"].encode() in korean[1][2]
