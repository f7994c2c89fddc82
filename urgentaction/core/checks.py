from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

# Email backends that keep every message on this machine: printed, in memory or in files.
MAIL_THAT_STAYS_HERE = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}


@register(Tags.security, deploy=True)
def site_url_uses_https(app_configs, **kwargs) -> list[Warning]:
    """Links in emails (confirmations, one-click unsubscribe) must be HTTPS in production:
    RFC 8058 requires it, and tokens must not travel in clear."""
    if settings.HTTPS and not settings.SITE_URL.startswith("https://"):
        return [
            Warning(
                "SITE_URL does not start with https:// although HTTPS is on.",
                hint="Set SITE_URL to the public https:// address of the site.",
                id="urgentaction.W001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def keys_apart_from_the_secret_key(app_configs, **kwargs) -> list[Warning]:
    """Unless they are set, the keyed hashes of addresses and the encryption of personal
    fields use keys made from SECRET_KEY. Then changing SECRET_KEY (as after a leak) would
    make every stored name, address and letter unreadable, and every unsubscribed address
    unrecognised, so that it could be written to again."""
    derived = settings.KEYS_MADE_FROM_SECRET_KEY
    if not derived:
        return []
    return [
        Warning(
            f"Made from SECRET_KEY: {', '.join(derived)}. Changing SECRET_KEY would lose "
            "the data they protect.",
            hint="Set HASH_KEY and ENCRYPTION_KEYS. On a site that holds data already, set "
            "them to the keys in use now, not new ones (see Encryption at rest in the "
            "README).",
            id="urgentaction.W002",
        )
    ]


@register(Tags.security, deploy=True)
def client_addresses_from_the_proxy(app_configs, **kwargs) -> list[Warning]:
    """With HTTPS on, the site sits behind a TLS proxy (it trusts X-Forwarded-Proto), so
    every request comes from the proxy's address unless the proxy's header is read: rate
    limits and sign-in lockouts would then count every visitor as one."""
    if not settings.SECURE_PROXY_SSL_HEADER or settings.TRUSTED_PROXY_HEADER:
        return []
    return [
        Warning(
            "TRUSTED_PROXY_HEADER is not set although HTTPS is on: every visitor seems to "
            "come from the proxy in front, so all share one hourly allowance of letters, and "
            "five wrong passwords for a staff account lock it for everyone.",
            hint="If a proxy on this machine forwards requests, set "
            "TRUSTED_PROXY_HEADER=X-Forwarded-For and have the proxy add the client's "
            "address to that header (nginx: proxy_set_header X-Forwarded-For "
            "$proxy_add_x_forwarded_for).",
            id="urgentaction.W003",
        )
    ]


@register(deploy=True)
def email_leaves_this_machine(app_configs, **kwargs) -> list[Error]:
    """EMAIL_URL defaults to console: the worker would then print every letter and mark it
    sent, and no target or supporter would ever receive one."""
    if settings.DEBUG or settings.EMAIL_BACKEND not in MAIL_THAT_STAYS_HERE:
        return []
    return [
        Error(
            f"Email never leaves this machine: EMAIL_BACKEND is {settings.EMAIL_BACKEND}, "
            "so letters would be marked sent without reaching anyone.",
            hint="Set EMAIL_URL to your mail server (smtp://user:pass@host:587?tls=1) or "
            "provider (anymail://...).",
            id="urgentaction.E001",
        )
    ]
