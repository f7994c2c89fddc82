"""The processes a benchmark runs: the site (gunicorn, as ``manage.py serve`` runs it), nginx
(in front of it as serve runs it, or serving a static file), a no-op SMTP server, wrk; their
environment, readiness and peak memory.

Every process is started in a ``with`` block that stops it (and waits for it) on the way out,
whatever happened inside.
"""

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import database

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
MANAGE = ROOT / "manage.py"
DEMO_PATH = "/actions/north-korean-family/"
SECRET_KEY = "benchmark-only-" + "k" * 50
# The site and its reference run on this machine's loopback only.
HOST = "127.0.0.1"


def tool(name: str) -> str | None:
    """A program on PATH, or in the sbin directories a non-root PATH may lack."""
    return shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def site_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The production settings: DEBUG off, HTTPS off (no TLS proxy in front), a secret key,
    SQLite in ``data_dir`` unless ``DATABASE_URL`` is given."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "EMAIL_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="urgentaction.settings",
        DATA_DIR=str(data_dir),
        SECRET_KEY=SECRET_KEY,
        DEBUG="0",
        HTTPS="0",
        LOG_LEVEL="WARNING",
        # Where the site reads a client's address from a proxy's header, as it would behind
        # nginx, trust the one submit.lua sends (each supporter has their own address).
        TRUSTED_PROXY_HEADER="X-Forwarded-For",
        # Proofs of work quick to find, so that the benchmark can make its submits' proofs ahead
        # (proofs.py); checking one costs the site the same whatever the counter.
        POW_COUNTER="1",
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(MANAGE), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-2000:]}")
    return result.stdout


def script(env: dict[str, str], name: str, *args: str) -> None:
    """Run one of the benchmark's scripts (a Django process) in a site's environment."""
    subprocess.run([sys.executable, str(BENCH / name), *args], cwd=ROOT, env=env, check=True)  # noqa: S603


# The demo campaign as the benchmarks write to it: to its addressee, without the copy to
# the ambassador it gained, so that a submit writes one row of each kind, as the reference
# loop and the growth seed copy it, and the figures compare with the runs before copies.
ONE_ADDRESSEE = (
    "from urgentaction.campaigns.demo import DEMO_SLUG; "
    "from urgentaction.campaigns.models import Campaign; "
    "Campaign.objects.get(slug=DEMO_SLUG).copy_targets.clear()"
)


def prepare_site(env: dict[str, str]) -> None:
    """What ``make serve`` does before it serves, plus the demo campaign, written to its
    addressee alone (ONE_ADDRESSEE)."""
    manage(env, "migrate", "--noinput")
    manage(env, "createcachetable")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "load_demo")
    manage(env, "shell", "-c", ONE_ADDRESSEE)


def sqlite_site(work: Path, name: str, **extra: str) -> tuple[Path, dict[str, str]]:
    """A new site in ``work/name`` on SQLite, as ``prepare_site`` leaves one, and its
    environment (with ``extra``): a copy of a site prepared once per run, in
    ``work/prepared``, since copying one takes a fraction of the time."""
    prepared = work / "prepared"
    if not prepared.exists():
        preparing = work / "preparing"
        prepare_site(site_env(preparing))
        preparing.rename(prepared)
    data = work / name
    database.copy_site(prepared, data)
    return data, site_env(data, **extra)


def stop(process: subprocess.Popen, *, timeout: float = 30) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def started(command: list[str], *, env: dict[str, str] | None = None, log: Path) -> Iterator:
    with log.open("ab") as output:
        process = subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        yield process
    finally:
        stop(process)


def project() -> None:
    """Let the benchmark import the project's modules that read no Django settings
    (urgentaction/core/nginx.py and processes.py), to run what ``manage.py serve`` runs."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


def web_workers() -> int:
    """The default of ``manage.py serve --web-workers``."""
    project()
    from urgentaction.core.processes import default_web_workers

    return default_web_workers()


@contextlib.contextmanager
def site(env: dict[str, str], port: int, log: Path) -> Iterator["Site"]:
    """gunicorn with the command line ``manage.py serve`` gives it, without the worker: the
    web tier alone. Its access log goes to ``log``, as serve's goes to the terminal."""
    project()
    from urgentaction.core.processes import gunicorn_command

    command = gunicorn_command(bind=f"{HOST}:{port}", workers=web_workers())
    with started(command, env=env, log=log) as process:
        running = Site(process, port, env)
        running.wait_ready()
        try:
            yield running
        finally:
            # Read the workers' peak memory before they go.
            running.record_memory()


class Site:
    def __init__(self, process: subprocess.Popen, port: int, env: dict[str, str]) -> None:
        self.process = process
        self.port = port
        # The site's environment, for scripts that work on its database (proofs.py).
        self.env = env
        self.peak_worker_kb = 0

    @property
    def origin(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def page_url(self) -> str:
        return self.origin + DEMO_PATH

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with code {self.process.returncode}")
            with contextlib.suppress(OSError, urllib.error.URLError):
                if self.fetch_page():
                    return
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer within a minute")

    def drain(self) -> None:
        """Wait until the requests a finished wrk run left in the listen queue have been
        served (gunicorn serves them even though wrk has gone): one more request is
        accepted after them."""
        with urllib.request.urlopen(self.page_url, timeout=300):  # noqa: S310
            pass

    def fetch_page(self) -> bytes:
        with urllib.request.urlopen(self.page_url, timeout=10) as response:  # noqa: S310
            return response.read()

    def worker_pids(self) -> list[int]:
        return children(self.process.pid)

    def record_memory(self) -> None:
        for pid in self.worker_pids():
            self.peak_worker_kb = max(self.peak_worker_kb, peak_rss_kb(pid))


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                # The parent pid is the second field after the parenthesised name.
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid:
                    found.append(int(entry.name))
    return found


def cpu_busy(seconds: float = 2) -> float:
    """The share of the machine's CPU time that was busy over the next ``seconds``."""

    def sample() -> tuple[int, int]:
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        idle = values[3] + values[4]
        return sum(values) - idle, sum(values)

    busy, total = sample()
    time.sleep(seconds)
    busy_after, total_after = sample()
    return (busy_after - busy) / max(total_after - total, 1)


def peak_rss_kb(pid: int) -> int:
    """VmHWM: the largest resident set the process has had so far."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


@contextlib.contextmanager
def nginx(content: bytes, port: int) -> Iterator[str]:
    """nginx serving ``content`` as a static file, with its own config, pid and logs in a
    temporary directory, in the foreground; yields the file's URL."""
    binary = tool("nginx")
    if binary is None:
        raise RuntimeError("nginx is not installed (Debian: apt-get install nginx-light)")
    with tempfile.TemporaryDirectory(prefix="ua-bench-nginx-") as name:
        directory = Path(name)
        # nginx's workers run as nobody when it is started as root: let them read the file.
        directory.chmod(0o755)
        (directory / "www").mkdir(mode=0o755)
        (directory / "www" / "page.html").write_bytes(content)
        (directory / "www" / "page.html").chmod(0o644)
        config = directory / "nginx.conf"
        config.write_text(
            f"""
worker_processes auto;
daemon off;
pid {directory}/nginx.pid;
error_log {directory}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {directory}/client_body;
    proxy_temp_path {directory}/proxy;
    fastcgi_temp_path {directory}/fastcgi;
    uwsgi_temp_path {directory}/uwsgi;
    scgi_temp_path {directory}/scgi;
    server {{
        listen {HOST}:{port};
        location / {{
            root {directory}/www;
            default_type "text/html; charset=utf-8";
        }}
    }}
}}
"""
        )
        command = [binary, "-p", str(directory), "-c", str(config), "-e", str(directory / "e.log")]
        with started(command, log=directory / "output.log") as process:
            url = f"http://{HOST}:{port}/page.html"
            wait_for(url, process)
            yield url


@contextlib.contextmanager
def proxy(site: Site, port: int, static_root: Path) -> Iterator[str]:
    """nginx with the repository's deploy/nginx.conf, filled in as ``manage.py serve`` fills
    it in (urgentaction/core/nginx.py), in front of ``site``; yields the page's URL through
    it."""
    project()
    from django.conf import global_settings

    from urgentaction.core import nginx as serve_nginx

    if serve_nginx.binary() is None:
        raise RuntimeError("nginx is not installed (Debian: apt-get install nginx-light)")
    with tempfile.TemporaryDirectory(prefix="ua-bench-proxy-") as name:
        directory = Path(name)
        # nginx's workers run as nobody when it is started as root: let them reach its cache.
        directory.chmod(0o755)
        config = serve_nginx.write_config(
            directory / "nginx",
            listen=f"{HOST}:{port}",
            upstream=f"{HOST}:{site.port}",
            static_root=static_root,
            # The site's settings leave Django's names as they are.
            session_cookie=global_settings.SESSION_COOKIE_NAME,
            csrf_cookie=global_settings.CSRF_COOKIE_NAME,
        )
        with started(serve_nginx.command(config), log=directory / "output.log") as process:
            url = f"http://{HOST}:{port}{DEMO_PATH}"
            wait_for(url, process)
            yield url


def wait_for(url: str, process: subprocess.Popen, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with code {process.returncode}")
        with (
            contextlib.suppress(OSError, urllib.error.URLError),
            urllib.request.urlopen(url, timeout=5),  # noqa: S310
        ):
            return
        time.sleep(0.1)
    raise RuntimeError(f"nothing answered at {url}")


def wrk(
    url: str,
    *,
    seconds: int,
    script: str = "summary.lua",
    args: tuple[str, ...] = (),
    connections: int = 64,
    headers: tuple[str, ...] = (),
) -> dict[str, float]:
    """Run wrk (one thread per core, --latency) with a Lua script whose done() prints a
    JSON line; return that line's figures plus requests/s. The script's arguments are the
    number of wrk threads, then ``args``; ``headers`` ("Name: value") go with every
    request."""
    binary = tool("wrk")
    if binary is None:
        raise RuntimeError("wrk is not installed (Debian: apt-get install wrk)")
    threads = min(os.cpu_count() or 1, connections)
    command = [
        binary,
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={seconds}s",
        "--timeout=10s",
        "--latency",
        *(f"--header={header}" for header in headers),
        f"--script={BENCH / script}",
        url,
    ]
    command += ["--", str(threads), *args]
    output = subprocess.run(  # noqa: S603
        command, capture_output=True, text=True, check=True, timeout=seconds + 60
    ).stdout
    line = next(line for line in reversed(output.splitlines()) if line.startswith("{"))
    figures = json.loads(line)
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    figures["p99_ms"] = figures["p99_us"] / 1000
    return figures
