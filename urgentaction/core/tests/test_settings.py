"""Settings are read at start-up: these tests start a fresh interpreter for each case."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from urgentaction.lib.encryption import key_from_secret

ROOT = Path(settings.BASE_DIR)
PRODUCTION = {
    "SECRET_KEY": "a-production-key-" + "x" * 50,
    "HASH_KEY": "a-hashing-key-" + "y" * 50,
    "ENCRYPTION_KEYS": "aW4tcHJvZHVjdGlvbi1hLXJhbmRvbS0zMi1ieXRlcyE=",
    "ALLOWED_HOSTS": "act.example.org",
    "SITE_URL": "https://act.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
    "EMAIL_URL": "smtp://letters:a-password@smtp.example.org:587?tls=1",
    "TRUSTED_PROXY_HEADER": "X-Forwarded-For",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "HTTPS", "SECRET_KEY"}
    }
    clean["DJANGO_SETTINGS_MODULE"] = "urgentaction.settings"
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_settings_pass_the_deployment_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deployment_checks_want_links_in_emails_to_use_https():
    result = manage("check", "--deploy", **{**PRODUCTION, "SITE_URL": "http://act.example.org"})

    assert "urgentaction.W001" in result.stderr


def test_the_deployment_checks_want_the_client_address_from_the_proxy():
    result = manage("check", "--deploy", **{**PRODUCTION, "TRUSTED_PROXY_HEADER": ""})

    assert "urgentaction.W003" in result.stderr
    assert "set TRUSTED_PROXY_HEADER=X-Forwarded-For" in result.stderr


def test_without_https_there_is_no_proxy_to_read_the_client_address_from():
    production = {**PRODUCTION, "HTTPS": "0", "SITE_URL": "http://act.example.org"}

    result = manage("check", "--deploy", **{**production, "TRUSTED_PROXY_HEADER": ""})

    assert "urgentaction.W003" not in result.stderr


@pytest.mark.parametrize(
    "unset", [("HASH_KEY",), ("ENCRYPTION_KEYS",), ("HASH_KEY", "ENCRYPTION_KEYS")]
)
def test_the_deployment_checks_want_keys_apart_from_the_secret_key(unset):
    production = {key: value for key, value in PRODUCTION.items() if key not in unset}

    result = manage("check", "--deploy", **production)

    assert "urgentaction.W002" in result.stderr
    assert f"Made from SECRET_KEY: {', '.join(unset)}." in result.stderr


@pytest.mark.parametrize("email_url", ["", "console:", "locmem:", "file:"])
def test_the_deployment_checks_refuse_email_that_never_leaves_this_machine(email_url):
    result = manage("check", "--deploy", **{**PRODUCTION, "EMAIL_URL": email_url})

    assert result.returncode != 0
    assert "urgentaction.E001" in result.stderr
    assert "Set EMAIL_URL" in result.stderr


def test_keys_set_to_the_ones_made_from_the_secret_key_are_set_apart_from_it():
    # A site that ran without them pins the keys it has been using, before changing
    # SECRET_KEY: that is what the warning asks for, and it must then stop.
    secret = PRODUCTION["SECRET_KEY"]
    pinned = {**PRODUCTION, "HASH_KEY": secret, "ENCRYPTION_KEYS": key_from_secret(secret)}

    result = manage("check", "--deploy", "--fail-level", "WARNING", **pinned)

    assert result.returncode == 0, result.stderr


def test_it_refuses_to_start_without_a_secret_key_in_production():
    result = manage("check", **{**PRODUCTION, "SECRET_KEY": ""})

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_it_names_a_variable_with_a_bad_value():
    result = manage("check", **{**PRODUCTION, "EMAIL_URL": "carrier-pigeon://loft"})

    assert result.returncode != 0
    assert "EMAIL_URL must start with smtp://" in result.stderr


def test_a_reference_prefix_with_a_slash_is_refused():
    result = manage("check", **{**PRODUCTION, "REFERENCE_PREFIX": "UA/AI"})

    assert result.returncode != 0
    assert "REFERENCE_PREFIX must be at most 20 characters, without a slash" in result.stderr


def test_prepared_statements_can_be_turned_off_for_a_pooler():
    """For PgBouncer in transaction mode without max_prepared_statements (README)."""
    options = "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])"
    postgres = {**PRODUCTION, "DATABASE_URL": "postgres://ua@db.example/ua"}

    prepared = manage("shell", "-v0", "-c", options, **postgres)
    turned_off = {**postgres, "DATABASE_PREPARED_STATEMENTS": "0"}
    not_prepared = manage("shell", "-v0", "-c", options, **turned_off)

    assert "'server_side_binding': True, 'prepare_threshold': 5" in prepared.stdout, prepared
    assert "'server_side_binding': True, 'prepare_threshold': None" in not_prepared.stdout


def environment_variables() -> set[str]:
    """Every variable the code reads: settings' typed readers and direct reads elsewhere."""
    names = set()
    for path in ROOT.joinpath("urgentaction").rglob("*.py"):
        if "tests" in path.parts or path.name == "testenv.py":
            continue
        text = path.read_text()
        names |= set(re.findall(r'env_(?:str|bool|int|list)\("([A-Z_]+)"', text))
        names |= set(re.findall(r'email_settings\("([A-Z_]+)"', text))
        names |= set(re.findall(r'environ\.get\("([A-Z_]+)"', text))
    return names


def test_the_code_reads_the_variables_it_is_known_to():
    assert environment_variables() >= {"SECRET_KEY", "DATABASE_URL", "EMAIL_URL", "PORT"}


@pytest.mark.parametrize("name", sorted(environment_variables()))
def test_every_environment_variable_is_documented(name):
    """By its whole name: in the README's text as `NAME`, and in .env.example as a line
    NAME=... (a substring is not enough: PORT is in SUPPORTER_RETENTION_MONTHS)."""
    readme = ROOT.joinpath("README.md").read_text()
    example = ROOT.joinpath(".env.example").read_text()

    assert f"`{name}`" in readme
    assert re.search(rf"^{name}=", example, re.MULTILINE)


def test_every_management_command_is_documented():
    readme = ROOT.joinpath("README.md").read_text()
    commands = [
        path.stem
        for path in ROOT.joinpath("urgentaction").glob("*/management/commands/*.py")
        if path.stem != "__init__"
    ]

    assert "worker" in commands
    assert [name for name in commands if f"manage.py {name}" not in readme] == []


def test_the_demo_on_another_port_links_to_that_port(tmp_path):
    # How the worker makes an email's link (actions.confirmation.render_confirmation).
    code = (
        "from django.conf import settings; "
        "from django.urls import reverse; "
        "print(settings.SITE_URL + reverse('actions:confirm', kwargs={'token': 'Zq3'}))"
    )
    demo = {"DEBUG": "1", "PORT": "8123", "SITE_URL": "", "DATA_DIR": str(tmp_path)}

    result = manage("shell", "-c", code, **demo, DATABASE_URL="sqlite:///:memory:")

    assert result.returncode == 0, result.stderr
    assert re.search(r"http://127\.0\.0\.1:8123/confirm/[\w-]+/", result.stdout)
