"""The settings the test suite runs with: ``urgentaction.settings`` itself, read with
test defaults for any environment variable a developer has not set."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("EMAIL_URL", "locmem:")
os.environ.setdefault("ORG_NAME", "Test Rights Network")
os.environ.setdefault("LETTERS_FROM_EMAIL", "letters@rights.example")
# A proof of work the test's own solver finds at once.
os.environ.setdefault("POW_COST", "1")
os.environ.setdefault("POW_COUNTER", "5")
os.environ.setdefault("ANYMAIL_WEBHOOK_SECRET", "provider:test-webhook-secret")

from urgentaction.settings import *  # noqa: F403

# Tests serve static files from the apps' folders, without a collectstatic step.
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
