"""lib/compiled.py's Insert: rows written as bulk_create writes them, from SQL built once."""

import pytest
from django.db import connection
from django.utils import timezone

from urgentaction.actions.models import Delivery
from urgentaction.actions.tests.factories import ActionFactory, SupporterFactory
from urgentaction.campaigns.tests.factories import TargetFactory
from urgentaction.lib.compiled import Insert
from urgentaction.lib.encryption import AEAD
from urgentaction.lib.hashing import email_hash
from urgentaction.supporters.models import Supporter

pytestmark = pytest.mark.django_db

DELIVERIES = Insert(Delivery)
SUPPORTERS = Insert(Supporter, unique=["email_hash"], update=["email_hash"])


def stored(table: str, column: str, pk: int) -> bytes:
    """A column as the database holds it, not as the ORM reads it."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return bytes(cursor.fetchone()[0])


def new_supporter(email: str, **details: str) -> Supporter:
    return Supporter(email_hash=email_hash(email), email=email, first_name="Ada", **details)


def test_it_writes_several_rows_in_one_statement_and_gives_each_its_id(
    django_assert_num_queries,
):
    action = ActionFactory()
    targets = TargetFactory.create_batch(3)
    deliveries = [
        Delivery(action=action, target=target, message_id=f"<{n}@x>")
        for n, target in enumerate(targets)
    ]

    with django_assert_num_queries(1):
        DELIVERIES.save(deliveries)

    for delivery in deliveries:
        read = Delivery.objects.get(pk=delivery.pk)
        assert (read.target, read.message_id) == (delivery.target, delivery.message_id)
        assert read.bounce_token == delivery.bounce_token
        assert (read.status, read.attempts, read.last_error) == ("pending", 0, "")
        assert not delivery._state.adding


def test_it_stores_each_field_as_the_orm_would():
    supporter = new_supporter("ada@people.example", town="Leeds")

    SUPPORTERS.save([supporter])

    read = Supporter.objects.get(pk=supporter.pk)
    assert (read.email, read.first_name, read.town, read.postcode) == (
        "ada@people.example",
        "Ada",
        "Leeds",
        "",
    )
    assert read.created_at == supporter.created_at
    assert timezone.now() - read.updated_at < timezone.timedelta(minutes=1)
    town = stored("supporters_supporter", "town", supporter.pk)
    assert town.startswith(AEAD) and b"Leeds" not in town
    assert stored("supporters_supporter", "postcode", supporter.pk) == b""


def test_a_clash_on_the_unique_fields_takes_the_stored_rows_id_and_leaves_it_as_it_was():
    earlier = SupporterFactory(email="ada@people.example", first_name="Ada")

    again = new_supporter("ada@people.example", town="Elsewhere")
    SUPPORTERS.save([again])

    assert again.pk == earlier.pk
    assert Supporter.objects.get().town == "Leeds"


def test_stored_values_go_into_every_row_as_they_are():
    sealed = Supporter._meta.get_field("town").get_db_prep_save("York", connection)
    one, other = new_supporter("one@people.example"), new_supporter("two@people.example")

    SUPPORTERS.save([one, other], stored={"town": sealed})

    for supporter in (one, other):
        assert stored("supporters_supporter", "town", supporter.pk) == bytes(sealed)
        assert Supporter.objects.get(pk=supporter.pk).town == "York"


def test_nothing_to_write_is_no_statement(django_assert_num_queries):
    with django_assert_num_queries(0):
        DELIVERIES.save([])


def test_rows_made_ready_take_their_later_fields_as_the_objects_hold_them_when_saved(
    django_assert_num_queries,
):
    action, other = ActionFactory(), ActionFactory()
    targets = TargetFactory.create_batch(2)
    deliveries = [
        Delivery(target=target, message_id=f"<{n}@x>") for n, target in enumerate(targets)
    ]
    with django_assert_num_queries(0):
        rows = DELIVERIES.rows(deliveries, later=("action", "status"))
    for delivery in deliveries:
        delivery.action, delivery.status = other, Delivery.Status.HELD
    deliveries[0].message_id = "<changed@x>"

    with django_assert_num_queries(1):
        rows.save()

    read = Delivery.objects.order_by("pk")
    assert [(d.action, d.status) for d in read] == [(other, "held"), (other, "held")]
    # The other fields' values were taken when the rows were made ready.
    assert [d.message_id for d in read] == ["<0@x>", "<1@x>"]
    assert [d.pk for d in read] == [d.pk for d in deliveries]
    assert not Delivery.objects.filter(action=action).exists()


def test_rows_refuse_a_later_field_the_model_does_not_have():
    with pytest.raises(ValueError, match="Delivery has no field letter"):
        DELIVERIES.rows([Delivery()], later=("letter",))
