import hashlib
import io

import pytest
from django.core.management import CommandError, call_command

from urgentaction.api.models import ApiKey

pytestmark = pytest.mark.django_db


def create(*args: str) -> str:
    out = io.StringIO()
    call_command("create_api_key", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_key_once_and_stores_only_its_hash():
    printed = create("Partner CRM", "--scopes", "read,write,personal")

    secret = printed.strip().splitlines()[-1]
    key = ApiKey.objects.get()
    assert (key.name, key.scopes) == ("Partner CRM", ["personal", "read", "write"])
    assert key.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith("ua_") and len(secret) >= 3 + 43  # 256 bits in base64
    assert secret.startswith(key.prefix)
    stored = " ".join(str(value) for value in ApiKey.objects.values_list().get())
    assert secret not in stored


def test_a_key_reads_unless_told_otherwise():
    create("Partner dashboard")

    assert ApiKey.objects.get().scopes == ["read"]


@pytest.mark.parametrize("scopes", ["read,admin", ","])
def test_it_refuses_a_scope_it_does_not_know(scopes):
    with pytest.raises(CommandError, match="read, write, personal"):
        create("Partner CRM", "--scopes", scopes)

    assert not ApiKey.objects.exists()


def test_it_refuses_a_name_already_in_use():
    create("Partner CRM")

    with pytest.raises(CommandError, match="API key with this Name already exists"):
        create("Partner CRM")
