import re

import pytest

from urgentaction.campaigns.tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db


def test_public_pages_carry_the_security_headers(client):
    response = client.get(CampaignFactory().get_absolute_url())

    policy = response["Content-Security-Policy"]
    for directive in [
        "default-src 'self'",
        "script-src 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "object-src 'none'",
    ]:
        assert directive in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_pages_have_no_inline_script(client):
    html = client.get(CampaignFactory().get_absolute_url()).content.decode()

    scripts = re.findall(r"<script[^>]*>", html)
    assert len(scripts) == 3
    assert all(re.search(r' src="/static/', script) for script in scripts)
