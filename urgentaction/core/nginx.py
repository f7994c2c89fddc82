"""nginx in front of gunicorn, as ``manage.py serve`` runs it: the repository's
``deploy/nginx.conf`` with its placeholders filled in. It reads no Django settings (they
are passed in), so that the benchmark can run the very same nginx."""

import re
import shutil
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parents[2] / "deploy" / "nginx.conf"
PLACEHOLDER = re.compile(r"@([A-Z_]+)@")


def binary() -> str | None:
    """nginx on PATH, or in the sbin directories a non-root PATH may lack."""
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")


def write_config(
    run_dir: Path,
    *,
    listen: str,
    upstream: str,
    static_root: Path,
    session_cookie: str,
    csrf_cookie: str,
) -> Path:
    """Fill in the template and write it as ``run_dir/nginx.conf``; nginx keeps its pid,
    temporary files and page cache (``run_dir/cache``) beside it."""
    values = {
        "LISTEN": listen,
        "UPSTREAM": upstream,
        "STATIC_ROOT": str(static_root),
        "CACHE_DIR": str(run_dir / "cache"),
        "RUN_DIR": str(run_dir),
        # Matched as a regular expression in the template.
        "SESSION_COOKIE": re.escape(session_cookie),
        "CSRF_COOKIE": re.escape(csrf_cookie),
    }
    # nginx started as root runs its workers as nobody, who must reach the cache below.
    run_dir.mkdir(mode=0o755, parents=True, exist_ok=True)
    config = run_dir / "nginx.conf"
    config.write_text(PLACEHOLDER.sub(lambda match: values[match[1]], TEMPLATE.read_text()))
    return config


def command(config: Path) -> list[str]:
    """nginx in the foreground with ``config``; its early errors go to stderr too."""
    return [binary(), "-p", str(config.parent), "-c", str(config), "-e", "stderr"]
