"""``manage.py serve``: which processes it runs, and how they find each other. The
processes themselves are tried in test_nginx.py, test_access_log.py and test_processes.py."""

import pytest
from django.core.management import CommandError, call_command

from urgentaction.core import nginx
from urgentaction.core.management.commands import serve


@pytest.fixture
def started(monkeypatch, settings, tmp_path) -> dict:
    """What serve hands to the supervisor, instead of running it."""
    settings.DATA_DIR = tmp_path
    settings.PORT = 8123
    seen = {}

    def record(commands: dict[str, list[str]], env: dict[str, str]) -> None:
        seen.update(commands=commands, env=env)

    monkeypatch.setattr(serve, "supervise", record)
    monkeypatch.delenv("TRUSTED_PROXY_HEADER", raising=False)
    return seen


@pytest.fixture
def nginx_installed(monkeypatch) -> None:
    monkeypatch.setattr(nginx, "binary", lambda: "/usr/sbin/nginx")


@pytest.fixture
def no_nginx(monkeypatch) -> None:
    monkeypatch.setattr(nginx, "binary", lambda: None)


def test_it_runs_nginx_on_the_port_with_gunicorn_behind_it_on_a_socket(
    started, nginx_installed, tmp_path, capsys
):
    call_command("serve", "--web-workers=2")

    commands = started["commands"]
    assert list(commands) == ["gunicorn", "nginx", "worker", "webhooks", "jobs"]
    socket = tmp_path / "nginx" / "gunicorn.sock"
    assert f"--bind=unix:{socket}" in commands["gunicorn"]
    config = tmp_path / "nginx" / "nginx.conf"
    nginx_command = ["/usr/sbin/nginx", "-p", str(config.parent), "-c", str(config), "-e", "stderr"]
    assert commands["nginx"] == nginx_command
    text = config.read_text()
    assert "listen 127.0.0.1:8123;" in text
    assert f"server unix:{socket};" in text
    assert not nginx.PLACEHOLDER.search(text)
    # The site reads each visitor's address from the header nginx sets.
    assert started["env"]["TRUSTED_PROXY_HEADER"] == "X-Forwarded-For"
    assert "nginx (deploy/nginx.conf) in front of 2 web workers" in capsys.readouterr().out


def test_without_nginx_gunicorn_serves_on_the_port_and_says_why(started, no_nginx, capsys):
    call_command("serve", "--web-workers=2")

    commands = started["commands"]
    assert list(commands) == ["gunicorn", "worker", "webhooks", "jobs"]
    assert "--bind=127.0.0.1:8123" in commands["gunicorn"]
    assert "TRUSTED_PROXY_HEADER" not in started["env"]
    assert "nginx is not installed" in capsys.readouterr().out


def test_no_proxy_leaves_nginx_out_even_when_it_is_installed(started, nginx_installed, tmp_path):
    call_command("serve", "--no-proxy")

    assert "nginx" not in started["commands"]
    assert "--bind=127.0.0.1:8123" in started["commands"]["gunicorn"]
    assert not (tmp_path / "nginx").exists()


def test_asking_for_the_proxy_without_nginx_stops_with_a_message(started, no_nginx):
    with pytest.raises(CommandError, match="nginx is not installed"):
        call_command("serve", "--proxy")

    assert started == {}
