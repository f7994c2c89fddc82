import pytest
from django.db import IntegrityError

from urgentaction.core.audit import record_for_key
from urgentaction.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_an_entry_made_with_an_api_key_names_the_key():
    record_for_key(key_name="Partner CRM", kind=AuditEntry.Kind.VIEW, subject="supporter 7")

    entry = AuditEntry.objects.get()
    assert (entry.user, entry.api_key, entry.who) == (None, "Partner CRM", "API key Partner CRM")
    assert str(entry) == "API key Partner CRM Viewed a record: supporter 7"


@pytest.mark.parametrize("both", [False, True], ids=["nobody", "both"])
def test_an_entry_names_exactly_one_who(both, admin_user):
    who = {"user": admin_user, "api_key": "Partner CRM"} if both else {}

    with pytest.raises(IntegrityError):
        AuditEntry.objects.create(kind=AuditEntry.Kind.VIEW, subject="supporter 7", **who)
