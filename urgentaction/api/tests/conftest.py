import pytest

from urgentaction.api.keys import create_key
from urgentaction.api.tests.receiver import Receiver
from urgentaction.api.webhooks.registry import register_endpoint
from urgentaction.core.events import Event


class Partner:
    """A partner's system calling the API with one key."""

    def __init__(self, client, secret: str) -> None:
        self.client = client
        self.secret = secret

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.secret}"}

    def get(self, path: str, data=None):
        return self.client.get(path, data, headers=self._headers())

    def post(self, path: str, body: dict):
        return self.client.post(
            path, body, content_type="application/json", headers=self._headers()
        )

    def delete(self, path: str):
        return self.client.delete(path, headers=self._headers())


@pytest.fixture
def partner_with(client, db):
    """A partner whose key has the given scopes: partner_with("read", "personal")."""
    made = iter(range(1000))

    def make(*scopes: str) -> Partner:
        key, secret = create_key(name=f"Partner {next(made)}", scopes=scopes)
        partner = Partner(client, secret)
        partner.key = key
        return partner

    return make


def is_problem(response, status: int) -> bool:
    """An RFC 9457 problem with the given status, and every member it must have."""
    body = response.json()
    return (
        response.status_code == status
        and response["Content-Type"] == "application/problem+json"
        and body["status"] == status
        and {"type", "title", "detail"} <= body.keys()
    )


@pytest.fixture
def receiver(settings):
    """A partner's webhook endpoint on this machine, over plain HTTP: allowed for it."""
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOW_PRIVATE = True
    receiver = Receiver().start()
    yield receiver
    receiver.stop()


@pytest.fixture
def endpoint_for(receiver):
    """Register the receiver for some events: endpoint_for("person.erased", personal=True)
    gives the endpoint and its secret."""

    def make(*events: str, personal: bool = False, key=None, url: str = ""):
        return register_endpoint(
            url=url or receiver.url(),
            events=events or Event.values,
            personal=personal,
            api_key=key,
        )

    return make
