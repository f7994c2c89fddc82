import pytest
from django.core.exceptions import ImproperlyConfigured

from urgentaction.lib.env import email_settings, env_bool, env_int, env_list


def test_it_reads_an_smtp_url_with_starttls_and_credentials(tmp_path):
    config = email_settings(
        "EMAIL_URL", "smtp://user%40org:p%2Fss@mail.example:587?tls=1", file_dir=tmp_path
    )

    assert config == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "user@org",
        "EMAIL_HOST_PASSWORD": "p/ss",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 30,
    }


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        ("console:", "django.core.mail.backends.console.EmailBackend"),
        ("locmem:", "django.core.mail.backends.locmem.EmailBackend"),
        ("file:", "django.core.mail.backends.filebased.EmailBackend"),
    ],
)
def test_it_reads_the_local_email_backends(tmp_path, url, backend):
    assert email_settings("EMAIL_URL", url, file_dir=tmp_path)["EMAIL_BACKEND"] == backend


def test_smtps_uses_implicit_tls_on_port_465(tmp_path):
    config = email_settings("EMAIL_URL", "smtps://mail.example", file_dir=tmp_path)

    assert (config["EMAIL_PORT"], config["EMAIL_USE_SSL"], config["EMAIL_USE_TLS"]) == (
        465,
        True,
        False,
    )


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("pop3://mail.example", "EMAIL_URL must start with smtp://"),
        ("smtp://", "EMAIL_URL needs a host name"),
        ("smtp://mail.example:port", "EMAIL_URL has a port that is not a number"),
        ("smtp://mail.example?timeout=soon", "EMAIL_URL has a timeout"),
    ],
)
def test_a_bad_email_url_names_the_variable(tmp_path, url, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        email_settings("EMAIL_URL", url, file_dir=tmp_path)


def test_bad_values_name_their_variable(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    monkeypatch.setenv("DELIVERY_LEASE_SECONDS", "ten")
    monkeypatch.setenv("SECURE_HSTS_SECONDS", "-1")

    with pytest.raises(ImproperlyConfigured, match="DEBUG must be one of"):
        env_bool("DEBUG", False)
    with pytest.raises(ImproperlyConfigured, match="DELIVERY_LEASE_SECONDS must be a whole number"):
        env_int("DELIVERY_LEASE_SECONDS", 300)
    with pytest.raises(ImproperlyConfigured, match="SECURE_HSTS_SECONDS must be at least 0"):
        env_int("SECURE_HSTS_SECONDS", 0)


def test_lists_are_comma_separated_and_trimmed(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", " act.example.org, ,www.example.org ")

    assert env_list("ALLOWED_HOSTS", []) == ["act.example.org", "www.example.org"]


def test_an_anymail_url_picks_the_providers_backend_and_settings(tmp_path):
    config = email_settings(
        "EMAIL_URL", "anymail://postmark?server_token=abc%2F123", file_dir=tmp_path
    )

    assert config == {
        "EMAIL_BACKEND": "anymail.backends.postmark.EmailBackend",
        "ANYMAIL": {"POSTMARK_SERVER_TOKEN": "abc/123"},
    }


def test_an_unknown_anymail_provider_names_the_variable(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL names an email provider"):
        email_settings("EMAIL_URL", "anymail://pigeonpost?token=1", file_dir=tmp_path)
