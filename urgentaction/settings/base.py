"""The site's settings: Django, security, storage, languages, email and logging."""

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from urgentaction.lib.encryption import key_from_secret
from urgentaction.lib.env import email_settings, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(env_str("DATA_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
HTTPS = env_bool("HTTPS", not DEBUG)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set (50 or more random characters) unless DEBUG=1."
        )
    SECRET_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105
_hash_key = env_str("HASH_KEY")
_encryption_keys = env_list("ENCRYPTION_KEYS", [])
# Keyed hashes of email addresses (de-duplication, suppression) use their own key, so
# that rotating SECRET_KEY does not orphan them.
HASH_KEY = _hash_key or SECRET_KEY
# Keys of the personal fields encrypted at rest (lib/encryption.py): Fernet keys, the
# first encrypts and all decrypt. By default one key derived from SECRET_KEY.
ENCRYPTION_KEYS = _encryption_keys or [key_from_secret(SECRET_KEY)]
# Those of the two left to be made from SECRET_KEY (check --deploy warns of them).
KEYS_MADE_FROM_SECRET_KEY = [
    name
    for name, given in (("HASH_KEY", _hash_key), ("ENCRYPTION_KEYS", _encryption_keys))
    if not given
]

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The port `make demo` and `make serve` listen on; links in emails follow it unless
# SITE_URL says where the site really is.
PORT = env_int("PORT", 8000, minimum=1)
SITE_URL = (env_str("SITE_URL") or f"http://127.0.0.1:{PORT}").rstrip("/")
ORG_NAME = env_str("ORG_NAME") or "Urgent Action"
# Each case's reference, "UA 12/26": this prefix, then a number given in order, each year,
# when the campaign is first published (campaigns/models/references.py).
REFERENCE_PREFIX = env_str("REFERENCE_PREFIX", "UA")
if len(REFERENCE_PREFIX) > 20 or "/" in REFERENCE_PREFIX:
    raise ImproperlyConfigured(
        "REFERENCE_PREFIX must be at most 20 characters, without a slash, "
        f"not {REFERENCE_PREFIX!r}."
    )

INSTALLED_APPS = [
    # The staff workspace comes first so that its templates stand in for the admin's.
    "urgentaction.staff",
    # Translated fields of content (campaigns, targets, letters, updates, pages), before
    # the admin so that its admin classes can lay out each field's languages side by side.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "anymail",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "urgentaction.core",
    "urgentaction.campaigns",
    "urgentaction.supporters",
    "urgentaction.actions",
    "urgentaction.mailings",
    "urgentaction.letters",
    "urgentaction.cases",
    "urgentaction.privacy",
    "urgentaction.api",
    "urgentaction.pages",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside the rest, so that it sees every error the API's addresses answer.
    "urgentaction.api.middleware.api_responses",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "urgentaction.core.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Staff sign in with a password and a code from an authenticator app (TOTP), unless
# STAFF_TWO_FACTOR=0 (DEBUG turns it off for the demo). Repeated failed sign-ins lock
# the account name from that network for an hour; attempts are counted in the cache, not
# stored with IPs.
STAFF_TWO_FACTOR = env_bool("STAFF_TWO_FACTOR", not DEBUG)
OTP_TOTP_ISSUER = ORG_NAME
# An authenticator's key is a second password: the admin never shows it again once made.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
# Attempts live in the cache, so axes's admin pages would show empty tables, and its
# "clean up" action asks for no permission at all.
AXES_ENABLE_ADMIN = False
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
# Too many failures on one account from one network lock that account out there. Never the
# network alone: behind a proxy that is not trusted (TRUSTED_PROXY_HEADER), every visitor
# shares its address, and five wrong passwords would lock every staff member out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "urgentaction.lib.client_ip.client_network"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

ROOT_URLCONF = "urgentaction.urls"
# What every public page shows besides its own content (the navigation): each of these
# gives its version, and a cached page is made again when one changes (lib/public_pages.py).
PUBLIC_PAGE_VERSIONS = ["urgentaction.pages.navigation.VERSION"]
# Parts of a campaign's page that apps above the page's own add, each a function of the
# request and the campaign that returns HTML (actions.views.sections).
CAMPAIGN_PAGE_SECTIONS = ["urgentaction.cases.views.responses_section"]
WSGI_APPLICATION = "urgentaction.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "urgentaction.core.context_processors.site",
                "urgentaction.pages.navigation.navigation",
            ],
        },
    },
]

# The letter form's plain inputs written in Python rather than templates (lib/form_renderer.py).
FORM_RENDERER = "urgentaction.lib.form_renderer.Renderer"

SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; "
        "PRAGMA busy_timeout=20000; PRAGMA secure_delete=ON;"
    ),
}

DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'db.sqlite3'}"
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
except ValueError as error:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {error}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's, with writers taking turns in order (lib/sqlite/base.py).
    DATABASES["default"]["ENGINE"] = "urgentaction.lib.sqlite"
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS
    DATABASES["default"]["CONN_MAX_AGE"] = None
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A pool of connections per process (psycopg_pool); Django then opens none itself.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "pool": {"min_size": 1, "max_size": env_int("DATABASE_POOL_SIZE", 10, minimum=1)},
        # Parameters sent apart from the SQL, so that a statement run a few times on one of
        # the pool's connections is prepared there and no longer planned on every run.
        # DATABASE_PREPARED_STATEMENTS=0 for a pooler that cannot keep them (README).
        "server_side_binding": True,
        "prepare_threshold": 5 if env_bool("DATABASE_PREPARED_STATEMENTS", True) else None,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The embedded default keeps its caches in the database; REDIS_URL moves them to Redis,
# shared by every web and worker process.
REDIS_URL = env_str("REDIS_URL")


def _cache(table: str) -> dict:
    if REDIS_URL:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    # Django's size: past 300 entries a third is dropped. The pages can be made again, and
    # ``?source=`` tags (each its own entry) cannot grow the table without end.
    return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": table}


CACHES = {
    # Rendered pages, one entry per campaign, source tag and version.
    "default": _cache("cache"),
    # Login lockouts (django-axes) apart from the pages: a full database cache drops its
    # lowest keys first, and a burst of page entries must never lift a lockout.
    "axes": _cache("axes_cache"),
}
AXES_CACHE = "axes"

# Background jobs (making a hand-in bundle, sending an update) are Django Tasks: kept in
# the database by default (run by `manage.py run_tasks`), in Redis through RQ when
# REDIS_URL is set. Letters and emails are not jobs: they wait in their outbox tables.
if REDIS_URL:
    INSTALLED_APPS += ["django_tasks", "django_tasks_rq", "django_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    # A job may run long (an update to half a million people is queued in one).
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 6 * 3600}}
else:
    INSTALLED_APPS += ["django_tasks", "django_tasks_db"]
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Sessions are signed cookies: the public pages store nothing per visitor. A staff sign-in
# also opens a row on the server (core/staff_sessions.py), which signing out deletes and
# which expires after this many minutes without an admin request.
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
SESSION_COOKIE_AGE = 60 * 60 * 24
STAFF_SESSION_IDLE_MINUTES = env_int("STAFF_SESSION_IDLE_MINUTES", 30, minimum=1)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Only our own scripts, styles and images; nothing from other hosts; no framing.
# (Inline style attributes are allowed for the admin's sake; scripts never inline.)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The site's languages: the interface's catalogues (LOCALE_PATHS) and each translated
# field of content (modeltranslation) cover every one; README, "Languages", says how to
# add one. English is the default, at today's addresses; the others under /<code>/.
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", _("English")), ("ko", _("Korean"))]
LOCALE_PATHS = [BASE_DIR / "urgentaction" / "locale"]
# Our own formats (urgentaction/formats/<locale>/, e.g. en_GB): dates written out as people write
# them ("14 March 2026", "2026년 3월 14일"), before Django's.
FORMAT_MODULE_PATH = ["urgentaction.formats"]
MODELTRANSLATION_DEFAULT_LANGUAGE = LANGUAGE_CODE
# A field left empty in a language reads as the default language's. The public side never
# shows a campaign in a language whose translation is incomplete (Campaign.languages()),
# so this reaches only staff pages and the parts staff left the same in every language.
MODELTRANSLATION_FALLBACK_LANGUAGES = (LANGUAGE_CODE,)
TIME_ZONE = env_str("TIME_ZONE") or "Europe/London"


def gettext_noop(message: str) -> str:
    """Marks a name for the catalogues (`make messages` finds it by this name) and returns
    it as it is; Django's own would read these settings while they are being made."""
    return message


# What the letter form's Country starts as (a supporter changes it, or their browser fills
# it in): by default the country of the site's language, where it names one, written in
# the page's language (these names are in the catalogues; one set in DEFAULT_COUNTRY is
# shown as it is written).
COUNTRY_OF_LANGUAGE = {
    "en-gb": gettext_noop("United Kingdom"),
    "en-us": gettext_noop("United States"),
    "ko": gettext_noop("South Korea"),
}
DEFAULT_COUNTRY = env_str("DEFAULT_COUNTRY") or COUNTRY_OF_LANGUAGE.get(LANGUAGE_CODE, "")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# Files browsers ask for at the site's root (favicon.ico, apple-touch-icon.png), served
# by WhiteNoise; tools/render_icons.py makes them from core/static/ua/icon.svg.
WHITENOISE_ROOT = BASE_DIR / "urgentaction" / "core" / "root"
# Campaign photos staff upload, served by the site itself (campaigns/views.py photo).
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

EMAIL_SETTINGS = email_settings(
    "EMAIL_URL", env_str("EMAIL_URL") or "console:", file_dir=DATA_DIR / "mail"
)
# Provider webhooks (bounces, complaints) are served at /anymail/ only with a secret:
# "user:password" for HTTP basic auth, which the provider is given with the URL.
ANYMAIL_WEBHOOK_SECRET = env_str("ANYMAIL_WEBHOOK_SECRET")
ANYMAIL = {**EMAIL_SETTINGS.pop("ANYMAIL", {}), "WEBHOOK_SECRET": ANYMAIL_WEBHOOK_SECRET}
globals().update(EMAIL_SETTINGS)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL") or "noreply@example.org"
# Where supporters' replies to our emails go (their Reply-To), read by a person. Unset,
# emails do not invite replies.
CONTACT_EMAIL = env_str("CONTACT_EMAIL") or ""
SERVER_EMAIL = DEFAULT_FROM_EMAIL
LETTERS_FROM_EMAIL = env_str("LETTERS_FROM_EMAIL") or "letters@example.org"
_LETTERS_DOMAIN = LETTERS_FROM_EMAIL.rpartition("@")[2]
# Updates come from their own address, so that a complaint about them never touches the
# reputation of the address that carries letters.
UPDATES_FROM_EMAIL = env_str("UPDATES_FROM_EMAIL") or f"updates@{_LETTERS_DOMAIN}"
# Where offices' replies to letters signed with initials go (a campaign may name its own).
REPLIES_EMAIL = env_str("REPLIES_EMAIL") or f"replies@{_LETTERS_DOMAIN}"
# Where the mailto: variant of List-Unsubscribe goes; pipe it to process_unsubscribe.
UNSUBSCRIBE_ADDRESS = env_str("UNSUBSCRIBE_ADDRESS") or f"unsubscribe@{_LETTERS_DOMAIN}"
# Envelope sender of letters; each letter gets its own +token variant (VERP), so a
# bounce that comes back names the letter it is about.
BOUNCE_ADDRESS = env_str("BOUNCE_ADDRESS") or f"bounces@{_LETTERS_DOMAIN}"
UPDATE_EMAILS_PER_MINUTE = env_int("UPDATE_EMAILS_PER_MINUTE", 300, minimum=1)


# The paths Django logs (a 404, a refused CSRF check, each request of the development
# server) may be personal links: their tokens are hidden (lib/secret_links.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"hide_tokens": {"()": "urgentaction.lib.secret_links.HideTokens"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL") or "INFO"},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.request": {"filters": ["hide_tokens"]},
        "django.security.csrf": {"filters": ["hide_tokens"]},
        "django.server": {"filters": ["hide_tokens"], "propagate": True},
    },
}
