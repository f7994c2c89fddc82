import json
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
ENDPOINTS = {
    ("get", "/api/v1/campaigns"),
    ("get", "/api/v1/campaigns/{slug}"),
    ("get", "/api/v1/campaigns/{slug}/count"),
    ("get", "/api/v1/campaigns/{slug}/actions"),
    ("post", "/api/v1/campaigns/{slug}/actions"),
    ("get", "/api/v1/people"),
    ("delete", "/api/v1/people"),
    ("post", "/api/v1/webhooks"),
    ("get", "/api/v1/webhooks"),
    ("delete", "/api/v1/webhooks/{id}"),
}


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


def operations(schema) -> set[tuple[str, str]]:
    return {(method, path) for path, methods in schema["paths"].items() for method in methods}


def test_the_schema_is_openapi_3_1_and_lists_every_endpoint(schema):
    assert schema["openapi"].startswith("3.1")
    assert operations(schema) == ENDPOINTS
    assert schema["components"]["securitySchemes"]["ApiKeyAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }


def test_the_schema_documents_errors_as_problem_details(schema):
    answers = schema["paths"]["/api/v1/campaigns/{slug}/actions"]["post"]["responses"]

    assert set(answers) >= {"202", "401", "403", "404", "409", "422", "429"}
    assert list(answers["422"]["content"]) == ["application/problem+json"]
    assert list(answers["202"]["content"]) == ["application/json"]


def test_only_the_count_is_open_without_a_key(schema):
    open_ = {
        (method, path)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
        if not operation.get("security")
    }

    assert open_ == {("get", "/api/v1/campaigns/{slug}/count")}


def test_every_endpoint_is_documented_in_docs_api_md(schema):
    text = ROOT.joinpath("docs", "api.md").read_text()

    undocumented = [
        f"{method.upper()} {path}"
        for method, path in sorted(operations(schema))
        if f"`{method.upper()} {path}" not in text
    ]
    assert undocumented == []


def test_every_field_the_api_shows_is_in_the_mapping_in_docs_api_md(schema):
    text = ROOT.joinpath("docs", "api.md").read_text()
    fields = {
        name
        for component in schema["components"]["schemas"].values()
        for name in component.get("properties", {})
    }

    assert [name for name in sorted(fields) if f"`{name}`" not in text] == []


def test_the_docs_page_loads_nothing_from_another_host_and_runs_no_inline_script(client):
    response = client.get(reverse("api:openapi-view"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.DOTALL)
    assert len(scripts) == 2
    assert all('src="/static/' in attributes and not body.strip() for attributes, body in scripts)
    addresses = set(re.findall(r'(?:src|href)="([^"]*)"', html)) - {"data:,"}
    assert addresses and all(address.startswith("/static/api/") for address in addresses)
    assert "//" not in " ".join(addresses)
    assert 'data-openapi-url="/api/v1/openapi.json"' in html


def test_the_docs_pages_files_are_served(client):
    html = client.get(reverse("api:openapi-view")).content.decode()

    for address in set(re.findall(r'(?:src|href)="([^"]*)"', html)) - {"data:,"}:
        response = client.get(address)
        assert response.status_code == 200, address
        assert b"".join(response.streaming_content)


def test_the_init_script_sends_the_schema_to_no_validator():
    script = ROOT.joinpath("urgentaction/api/static/api/docs.js").read_text()

    assert "validatorUrl: null" in script


VENDORED = ROOT / "urgentaction/api/static/api/swagger-ui"
PACKAGE = ROOT / "node_modules/swagger-ui-dist"


def test_the_vendored_swagger_ui_is_the_pinned_package_unchanged():
    if not PACKAGE.exists():
        # make test runs npm ci first; under CI a missing package is a failure.
        message = "npm ci has not installed swagger-ui-dist"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    pinned = json.loads(ROOT.joinpath("package.json").read_text())["devDependencies"]
    installed = json.loads(PACKAGE.joinpath("package.json").read_text())["version"]

    assert pinned["swagger-ui-dist"] == installed
    assert f"`swagger-ui-dist` {installed}" in VENDORED.joinpath("README.md").read_text()
    for file in VENDORED.iterdir():
        if file.name != "README.md":
            assert file.read_bytes() == PACKAGE.joinpath(file.name).read_bytes(), file.name
