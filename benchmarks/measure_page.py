"""The page figures of ``make bench``: the cached campaign page from gunicorn alone, then
through ``make serve``'s nginx (its page cache), each beside nginx serving the same bytes
as a static file."""

import subprocess
import urllib.request
from pathlib import Path

import stack
from load import Load, warnings
from part import Config, Measured


def measure(config: Config, load: Load, site: stack.Site, static_root: Path) -> Measured:
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
