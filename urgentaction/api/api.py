"""The API, at /api/v1/: its endpoints, its errors, its schema and its docs page."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.openapi.docs import DocsBase

from urgentaction.api import problems
from urgentaction.api.auth import ApiKeyAuth
from urgentaction.api.endpoints import actions, campaigns, people, webhooks
from urgentaction.api.models import Scope

PREFIX = "/api/v1/"


class OwnSwaggerUI(DocsBase):
    """Swagger UI from our own static files, started by a script file of our own: the
    site's Content-Security-Policy allows no other host and no inline script."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        context = {"title": api.title, "openapi_url": self.get_openapi_url(api, kwargs)}
        return render(request, "api/docs.html", context)


class Api(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """Errors are documented as what they are, application/problem+json."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                for status, answer in operation.get("responses", {}).items():
                    content = answer.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        content[problems.CONTENT_TYPE] = content.pop("application/json")
        return schema


api = Api(
    title="Urgent Action API",
    version="1",
    description="Campaigns, letters and people for partners' systems. See docs/api.md.",
    urls_namespace="api",
    docs=OwnSwaggerUI(),
    # Every endpoint needs a key with the read scope unless it says otherwise.
    auth=ApiKeyAuth(Scope.READ),
)
problems.install(api)
for module in (campaigns, actions, people, webhooks):
    api.add_router("", module.router)
