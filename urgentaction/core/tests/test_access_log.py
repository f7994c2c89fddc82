"""gunicorn's access log, as ``manage.py serve`` and the deployment in the README run it,
names no visitor, keeps no query string (staff search the admin by email address) and no
token of a personal link."""

import os
import subprocess
import time
import urllib.error
import urllib.request

from django.conf import settings

from urgentaction.conftest import free_port
from urgentaction.core.processes import gunicorn_command


def access_log(tmp_path, *requests: urllib.request.Request) -> list[str]:
    """The access log's lines after gunicorn answered ``requests``."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "urgentaction.testenv",
        "DATA_DIR": str(tmp_path),
        # Started from another folder, where gunicorn finds no gunicorn.conf.py of its own:
        # the settings must come with the command.
        "PYTHONPATH": str(settings.BASE_DIR),
    }
    # What manage.py serve starts.
    command = gunicorn_command(bind=f"127.0.0.1:{port}")
    log = tmp_path / "access.log"
    with log.open("wb") as output:
        server = subprocess.Popen(  # noqa: S603
            command, cwd=tmp_path, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        for request in requests:
            request.full_url = f"http://127.0.0.1:{port}{request.selector}"
            deadline = time.monotonic() + 30
            while True:
                try:
                    urllib.request.urlopen(request, timeout=5)  # noqa: S310
                    break
                except urllib.error.HTTPError:
                    break  # an answer (a redirect to the login page, say) is all it takes
                except OSError:
                    assert time.monotonic() < deadline, log.read_text()
                    time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return log.read_text(encoding="utf-8").splitlines()


def test_the_access_log_keeps_no_query_string_address_or_user_agent(tmp_path):
    request = urllib.request.Request(
        "http://server/admin/supporters/supporter/?q=ada%40people.example",
        headers={"User-Agent": "AgentOfAda/1.0", "Referer": "https://ada.example/page"},
    )

    lines = [line for line in access_log(tmp_path, request) if "/admin/supporters/" in line]

    assert lines
    assert all("ada" not in line.lower() for line in lines), lines
    assert all("127.0.0.1" not in line for line in lines), lines


def test_the_access_log_keeps_no_token_of_a_personal_link(tmp_path):
    token = "Zq8sLiveToken_of-Ada"
    paths = [
        f"/confirm/{token}/",
        f"/my-data/{token}/data.json",
        f"/updates/unsubscribe/{token}/",
        f"/letters/{token}/letter.pdf",
    ]

    lines = access_log(tmp_path, *(urllib.request.Request(f"http://server{p}") for p in paths))

    logged = [line for line in lines if '"GET /' in line]
    assert len(logged) == len(paths), lines
    assert all(token not in line for line in lines), lines
    assert all(path.replace(token, "…") in "\n".join(logged) for path in paths), logged
