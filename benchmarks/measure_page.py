"""The page figures of ``make bench``: the cached campaign page from gunicorn alone, alone
and while letters arrive at a steady rate, then through ``make serve``'s nginx (its page
cache), each beside nginx serving the same bytes as a static file."""

import subprocess
import time
import urllib.request
from pathlib import Path

import stack
from load import Load, warnings
from part import Config, Measured


def measure(config: Config, load: Load, site: stack.Site, static_root: Path) -> Measured:
    measured = through_nginx(config, load, site, static_root)
    # Last: the letters it sends change the page, which the runs before compare with.
    during = during_submits(config, load, site, measured)
    measured.figures["page"]["during_submits_rps"] = round(during["rps"], 1)
    return measured


def through_nginx(config: Config, load: Load, site: stack.Site, static_root: Path) -> Measured:
    """The page from gunicorn alone, then through make serve's nginx, each beside nginx
    serving the same bytes from a file."""
    measured = Measured()
    content = site.fetch_page()
    load.page(site, config.warm_up)
    app = load.page(site, config.seconds)
    measured.notes += warnings(app, "page (gunicorn)")
    print(f"   gunicorn: {app['rps']:.0f} requests/s, p99 {app['p99_ms']:.1f} ms", flush=True)
    page = measured.figures["page"] = {
        "gunicorn_rps": round(app["rps"], 1),
        "gunicorn_p99_ms": round(app["p99_ms"], 1),
    }
    static = served_by_nginx(
        config, measured, lambda: stack.nginx(content, stack.free_port()), content, "static nginx"
    )
    if static is None:
        return measured
    page.update(
        static_rps=round(static["rps"], 1), gunicorn_ratio=round(app["rps"] / static["rps"], 4)
    )
    proxied = served_by_nginx(
        config,
        measured,
        lambda: stack.proxy(site, stack.free_port(), static_root),
        content,
        "make serve's nginx",
    )
    if proxied is not None:
        page.update(
            rps=round(proxied["rps"], 1),
            p99_ms=round(proxied["p99_ms"], 1),
            ratio=round(proxied["rps"] / static["rps"], 4),
        )
    return measured


# Letters a second that arrive while the page is measured from gunicorn alone.
SUBMITS_PER_SECOND = 50
# Where the demo campaign counts each letter as it arrives, as in a busy hour, when
# confirmations come in as fast as letters; and where it waits for the confirmation again.
# An edit, as staff make one, moves updated_at: the web processes keep the campaign read
# for submits until it moves (actions/kept.py).
COUNT_AT_ONCE = (
    "from django.utils import timezone; "
    "from urgentaction.campaigns.demo import DEMO_SLUG; "
    "from urgentaction.campaigns.models import Campaign; "
    "Campaign.objects.filter(slug=DEMO_SLUG)"
    ".update(requires_confirmation={}, updated_at=timezone.now())"
)


def during_submits(config: Config, load: Load, site: stack.Site, measured: Measured) -> dict:
    """wrk against the page from gunicorn alone, while valid letters are POSTed beside it
    at SUBMITS_PER_SECOND, each counted at once: each moves the count the page shows."""
    form = load.form(site)
    stack.manage(site.env, "shell", "-c", COUNT_AT_ONCE.format(False))
    try:
        with load.steady_submits(
            site,
            form,
            per_second=SUBMITS_PER_SECOND,
            # Enough for the warm-up, the run, and the queue a slow site drains first.
            seconds=config.warm_up + config.seconds + 30,
        ) as submitted:
            load.page(site, config.warm_up)
            submitted["measured_from"] = time.monotonic()
            figures = stack.wrk(site.page_url, seconds=config.seconds)
            submitted["measured_to"] = time.monotonic()
    finally:
        stack.manage(site.env, "shell", "-c", COUNT_AT_ONCE.format(True))
    measured.notes += warnings(figures, "page during submits")
    if submitted["ran_out"]:
        measured.notes.append("page during submits: the letters ran out before the run ended")
    measured.notes.append(
        f"page during submits: {submitted['sent']} letters sent, one every "
        f"1/{SUBMITS_PER_SECOND} s, {submitted['accepted']} accepted "
        f"({submitted['accepted_per_second']:.1f}/s while the page was measured), "
        f"{submitted['other_status']} answered otherwise"
    )
    print(
        f"   gunicorn, {SUBMITS_PER_SECOND} letters/s beside it: {figures['rps']:.0f} "
        f"requests/s, p99 {figures['p99_ms']:.1f} ms",
        flush=True,
    )
    return figures


def served_by_nginx(
    config: Config, measured: Measured, server, content: bytes, what: str
) -> dict | None:
    """wrk against the page as ``server()`` (a context that yields its URL) serves it,
    once it is seen to serve the site's very bytes; None, with a note, when it cannot."""
    try:
        with server() as url:
            with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
                if response.read() != content:
                    raise RuntimeError(f"{what} does not serve the same bytes")
                cache = response.headers.get("X-Cache-Status")
            stack.wrk(url, seconds=config.warm_up)
            figures = stack.wrk(url, seconds=config.seconds)
    except (OSError, RuntimeError, subprocess.CalledProcessError) as error:
        measured.notes.append(f"page: no figures from {what}: {error}")
        return None
    measured.notes += warnings(figures, what)
    print(
        f"   {what}: {figures['rps']:.0f} requests/s, p99 {figures['p99_ms']:.1f} ms"
        + (f" (X-Cache-Status before the runs: {cache})" if cache else ""),
        flush=True,
    )
    return figures
