import pytest

from urgentaction.actions.models import Action
from urgentaction.actions.tests.factories import ActionFactory, SupporterFactory
from urgentaction.api.tests.conftest import is_problem
from urgentaction.core.models import AuditEntry
from urgentaction.lib.hashing import email_hash
from urgentaction.privacy.rights import export_json
from urgentaction.supporters.models import Supporter, Suppression

pytestmark = pytest.mark.django_db

PEOPLE = "/api/v1/people"


@pytest.fixture
def ada():
    supporter = SupporterFactory(email="ada@people.example")
    ActionFactory(supporter=supporter)
    return supporter


def test_it_gives_what_the_person_would_download_themselves(partner_with, ada):
    partner = partner_with("personal")

    response = partner.get(PEOPLE, {"email": "  ADA@people.example "})

    assert response.status_code == 200
    assert response.json() == export_json(ada)
    assert response.json()["letters"][0]["letter"] == Action.objects.get().body
    assert "no-store" in response["Cache-Control"]
    entry = AuditEntry.objects.get()
    assert (entry.api_key, entry.kind, entry.subject) == (
        partner.key.name,
        AuditEntry.Kind.EXPORT,
        f"supporter {ada.pk}",
    )
    assert "ada@" not in f"{entry.subject} {entry.detail}"


def test_looking_for_someone_not_held_is_not_found_and_logged_too(partner_with, ada):
    response = partner_with("personal").get(PEOPLE, {"email": "nobody@people.example"})

    assert is_problem(response, 404)
    assert AuditEntry.objects.get().subject == "a person (none held)"


def test_reading_a_person_needs_the_personal_scope(partner_with, ada):
    response = partner_with("read", "write").get(PEOPLE, {"email": "ada@people.example"})

    assert is_problem(response, 403)
    assert not AuditEntry.objects.exists()


def test_an_address_is_needed(partner_with):
    response = partner_with("personal").get(PEOPLE)

    assert is_problem(response, 422)
    assert response.json()["errors"][0]["field"] == "email"


def test_erasing_does_what_my_data_does(partner_with, ada):
    partner = partner_with("personal", "write")

    response = partner.delete(f"{PEOPLE}?email=ada@people.example")

    assert response.status_code == 204
    assert response.content == b""
    ada.refresh_from_db()
    assert (ada.email, ada.first_name) == ("", "")
    assert ada.email_hash.startswith("erased:")
    assert Suppression.objects.filter(email_hash=email_hash("ada@people.example")).exists()
    assert Action.objects.get().body == ""
    entry = AuditEntry.objects.get()
    assert (entry.api_key, entry.kind, entry.subject) == (
        partner.key.name,
        AuditEntry.Kind.DELETE,
        f"supporter {ada.pk}",
    )
    # Gone from the API too.
    assert is_problem(partner.get(PEOPLE, {"email": "ada@people.example"}), 404)


def test_erasing_answers_the_same_whether_or_not_anyone_was_held(partner_with, ada):
    partner = partner_with("personal", "write")

    known = partner.delete(f"{PEOPLE}?email=ada@people.example")
    unknown = partner.delete(f"{PEOPLE}?email=nobody@people.example")
    again = partner.delete(f"{PEOPLE}?email=ada@people.example")

    assert [(r.status_code, r.content) for r in (known, unknown, again)] == [(204, b"")] * 3
    assert Supporter.objects.exclude(email="").count() == 0
