"""Typed readers for environment variables.

Each reader names the variable in its error, so a bad value stops start-up with a
message an administrator can act on.
"""

import os
import re
from importlib import import_module
from pathlib import Path
from urllib.parse import SplitResult, parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value is None else value.strip()


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no or on/off, not {value!r}."
    )


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def email_settings(name: str, url: str, *, file_dir: Path) -> dict[str, object]:
    """Django email settings from a URL such as ``smtp://user:pass@host:587?tls=1``.

    Schemes: ``smtp`` (``?tls=1`` for STARTTLS), ``smtps`` (implicit TLS), ``console:``,
    ``file:`` (optionally ``file:///path``), ``locmem:``, and ``anymail://<provider>?<key>=...``
    for a provider's API through django-anymail (``anymail://postmark?server_token=...``
    sets ``ANYMAIL["POSTMARK_SERVER_TOKEN"]``).
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "anymail":
        return _anymail_settings(name, parts)
    if scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if scheme == "file":
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": parts.path or str(file_dir),
        }
    if scheme not in {"smtp", "smtps"}:
        raise ImproperlyConfigured(
            f"{name} must start with smtp://, smtps://, anymail://, console:, file: or locmem:, "
            f"not {url!r}."
        )
    if not parts.hostname:
        raise ImproperlyConfigured(f"{name} needs a host name, like smtp://127.0.0.1:1025.")
    try:
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured(f"{name} has a port that is not a number.") from None
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    use_tls = query.get("tls", "0").lower() in TRUE_WORDS
    use_ssl = scheme == "smtps"
    timeout = query.get("timeout", "30")
    if not timeout.isdigit():
        raise ImproperlyConfigured(f"{name} has a timeout that is not a whole number of seconds.")
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port or (465 if use_ssl else 587 if use_tls else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
        "EMAIL_TIMEOUT": int(timeout),
    }


def _anymail_settings(name: str, parts: SplitResult) -> dict[str, object]:
    provider = parts.hostname or ""
    if not re.fullmatch(r"[a-z_]+", provider):
        raise ImproperlyConfigured(f"{name} must name a provider, like anymail://postmark?...")
    try:
        import_module(f"anymail.backends.{provider}")
    except ImportError:
        raise ImproperlyConfigured(
            f"{name} names an email provider Anymail does not know: {provider}."
        ) from None
    options = {
        f"{provider.upper()}_{key.upper()}": unquote(values[-1])
        for key, values in parse_qs(parts.query).items()
    }
    return {"EMAIL_BACKEND": f"anymail.backends.{provider}.EmailBackend", "ANYMAIL": options}
