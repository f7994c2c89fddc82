"""The API, at /api/v1/: its endpoints, its errors and its schema."""

from typing import Any

from ninja import NinjaAPI

from urgentaction.api import problems
from urgentaction.api.auth import ApiKeyAuth
from urgentaction.api.endpoints import actions, campaigns, people
from urgentaction.api.models import Scope

PREFIX = "/api/v1/"


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
    # The docs page comes with its own Swagger UI files; until then, none.
    docs_url=None,
    # Every endpoint needs a key with the read scope unless it says otherwise.
    auth=ApiKeyAuth(Scope.READ),
)
problems.install(api)
for module in (actions, campaigns, people):
    api.add_router("", module.router)
