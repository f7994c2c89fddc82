"""What the product's own work may be tuned by: delivery, retention, confirmation,
moderation, rate limits, proof of work, the API and webhooks."""

from urgentaction.lib.env import env_bool, env_int, env_str
from urgentaction.settings.base import DEBUG

# A worker that dies while sending leaves its claim; after this many seconds another
# worker may take the delivery again (at-least-once; the stable Message-ID marks repeats).
DELIVERY_LEASE_SECONDS = env_int("DELIVERY_LEASE_SECONDS", 300, minimum=30)
LETTER_MAX_LENGTH = 20_000
# How long a supporter's link to their printable letter works.
LETTER_LINK_DAYS = env_int("LETTER_LINK_DAYS", 28, minimum=1)
# Letter texts are deleted this many days after their last delivery ended; supporters
# with no consent and no activity are anonymised after this many months.
LETTER_RETENTION_DAYS = env_int("LETTER_RETENTION_DAYS", 28, minimum=1)
SUPPORTER_RETENTION_MONTHS = env_int("SUPPORTER_RETENTION_MONTHS", 24, minimum=1)
# Hand-in bundles (names, addresses, letters) are deleted, files and all, after this.
BUNDLE_RETENTION_DAYS = env_int("BUNDLE_RETENTION_DAYS", 30, minimum=1)
# Letters wait for the supporter to confirm their address: one reminder, then expiry.
CONFIRMATION_REMINDER_HOURS = env_int("CONFIRMATION_REMINDER_HOURS", 24, minimum=1)
CONFIRMATION_EXPIRY_DAYS = env_int("CONFIRMATION_EXPIRY_DAYS", 7, minimum=1)
# Letters held for review and not reviewed within this many hours are escalated to
# MODERATION_EMAIL (if set) and flagged in the admin; never dropped.
MODERATION_ESCALATE_HOURS = env_int("MODERATION_ESCALATE_HOURS", 24, minimum=1)
MODERATION_EMAIL = env_str("MODERATION_EMAIL") or ""
# Rate limits: letters from one email address a day (across campaigns; more are refused
# with a message), and from one network an hour (more are held for review). The client's
# address is read from TRUSTED_PROXY_HEADER only if set (e.g. X-Forwarded-For).
ACTIONS_PER_EMAIL_PER_DAY = env_int("ACTIONS_PER_EMAIL_PER_DAY", 3, minimum=1)
ACTIONS_PER_NETWORK_PER_HOUR = env_int("ACTIONS_PER_NETWORK_PER_HOUR", 30, minimum=1)
TRUSTED_PROXY_HEADER = env_str("TRUSTED_PROXY_HEADER") or ""
# Forms that have us email any address typed in, without a proof of work (a /my-data/
# request, a sign-up sent without JavaScript; core/forms.py limit_unproven): how many one
# network may send an hour before the rest are refused with a message.
UNPROVEN_EMAILS_PER_NETWORK_PER_HOUR = env_int(
    "UNPROVEN_EMAILS_PER_NETWORK_PER_HOUR", 10, minimum=1
)
# A sign-up confirmation or a link to one's data is not emailed again to an address that
# was sent one this many minutes ago or less, not used up.
LINK_RESEND_MINUTES = env_int("LINK_RESEND_MINUTES", 15, minimum=1)
# A letter sent sooner than this many seconds after its form was shown is held.
FORM_MIN_SECONDS = env_int("FORM_MIN_SECONDS", 3)
# Proof of work on the public forms (ALTCHA, core/pow.py): each try is PBKDF2 with
# POW_COST iterations, and a browser needs between POW_COUNTER and twice that many
# tries, a second or two on a phone; a network past half its hourly limit gets
# POW_HARDER_FACTOR times the work. A solved challenge can be sent for an hour.
POW_COST = env_int("POW_COST", 1000, minimum=1)
POW_COUNTER = env_int("POW_COUNTER", 2000, minimum=1)
POW_HARDER_FACTOR = 8
POW_EXPIRY_SECONDS = 3600
# Requests one API key may make a minute; more get 429 with Retry-After.
API_REQUESTS_PER_MINUTE = env_int("API_REQUESTS_PER_MINUTE", 600, minimum=1)
# Webhooks go only to https:// addresses (http:// too with WEBHOOK_ALLOW_HTTP, on with
# DEBUG), and never to a private, loopback or link-local address unless
# WEBHOOK_ALLOW_PRIVATE: a partner's URL must not make this server call its own network.
WEBHOOK_ALLOW_HTTP = env_bool("WEBHOOK_ALLOW_HTTP", DEBUG)
WEBHOOK_ALLOW_PRIVATE = env_bool("WEBHOOK_ALLOW_PRIVATE", False)
# A target whose letters fail permanently this many times in a row is flagged for staff.
TARGET_FLAG_AFTER_FAILURES = env_int("TARGET_FLAG_AFTER_FAILURES", 3, minimum=1)
