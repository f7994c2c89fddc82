"""The encrypted fields as they were stored until December 2026: text columns, each value
a Fernet token in base64. The migrations written before then create and rewrite such
columns, and must go on doing what they did (a database may be years behind); this
module keeps what they use, and the step that made the columns binary
(``store_as_bytes``), after which the fields of ``encryption`` read and write them."""

import base64
import re

from django.db import models

from urgentaction.lib.encryption import decrypt, encrypt_fernet, recode

# A whole Fernet token in base64: its version byte 0x80 and a timestamp's zero bytes.
FERNET_TEXT = re.compile(r"gAAAAA[A-Za-z0-9_=-]+")


class EncryptedTextField(models.TextField):
    """An encrypted field as the migrations before ``store_as_bytes`` knew it."""

    def from_db_value(self, value: str | None, expression, connection) -> str | None:
        return decrypt(value) if value else value

    def get_prep_value(self, value: object) -> str | None:
        value = super().get_prep_value(value)
        return encrypt_fernet(value) if value else value


class EncryptedEmailField(EncryptedTextField):
    pass


def _encrypt_once(value: str) -> str:
    """``value`` encrypted, unless it already is (a migration run again after a crash
    part-way must not encrypt twice)."""
    try:
        decrypt(value)
    except ValueError:
        return encrypt_fernet(value)
    return value


def _report(app_label: str, model_name: str):
    def report(done: int) -> None:
        # A large table takes a while: say how far it has got, every 10,000 rows.
        if done % 10_000 == 0:
            print(f"\n  {app_label}.{model_name}: {done} rows", end="", flush=True)

    return report


def migrate_columns(app_label: str, model_name: str, fields: list[str]):
    """Migration steps (forwards, backwards) that encrypt the text already in ``fields``,
    or decrypt it again."""

    def forwards(apps, schema_editor) -> None:
        model = apps.get_model(app_label, model_name)
        report = _report(app_label, model_name)
        recode(schema_editor.connection, model, fields, _encrypt_once, report)

    def backwards(apps, schema_editor) -> None:
        model = apps.get_model(app_label, model_name)
        recode(schema_editor.connection, model, fields, decrypt, _report(app_label, model_name))

    return forwards, backwards


def _as_bytes(value: str | bytes | None) -> bytes | None:
    """A stored value as the binary column keeps it: a Fernet token's bytes, not its
    base64 (a quarter of it less); anything else as its UTF-8 bytes."""
    if not isinstance(value, str):
        return value
    if FERNET_TEXT.fullmatch(value):
        return base64.urlsafe_b64decode(value)
    return value.encode()


def _as_text(value: str | bytes) -> str:
    """A stored value sealed again as a Fernet token in base64, as a text column held it."""
    return encrypt_fernet(decrypt(value))


def store_as_bytes(app_label: str, model_name: str, fields: list[str]):
    """Migration steps (forwards, backwards) that make the columns of ``fields`` binary,
    each Fernet token kept as its bytes. PostgreSQL changes the columns' type (bytea),
    rewriting the table once in SQL; SQLite keeps its declared type, whose affinity
    stores bytes as they are, and rewrites the values in one UPDATE. Backwards, every
    value is sealed again as a Fernet token in text, in batches (``recode``)."""

    def columns(apps, connection) -> tuple[str, list[str]]:
        model = apps.get_model(app_label, model_name)
        quote = connection.ops.quote_name
        names = [quote(model._meta.get_field(name).column) for name in fields]
        return quote(model._meta.db_table), names

    def forwards(apps, schema_editor) -> None:
        connection = schema_editor.connection
        table, names = columns(apps, connection)
        if connection.vendor == "postgresql":
            changes = ", ".join(
                f"ALTER COLUMN {c} TYPE bytea USING CASE "
                f"WHEN {c} ~ '^{FERNET_TEXT.pattern}$' "
                f"THEN decode(translate({c}, '-_', '+/'), 'base64') "
                f"ELSE convert_to({c}, 'UTF8') END"
                for c in names
            )
            schema_editor.execute(f"ALTER TABLE {table} {changes}")
            return
        connection.ensure_connection()
        connection.connection.create_function("ua_as_bytes", 1, _as_bytes, deterministic=True)
        settings = ", ".join(f"{c} = ua_as_bytes({c})" for c in names)
        schema_editor.execute(f"UPDATE {table} SET {settings}")  # noqa: S608

    def backwards(apps, schema_editor) -> None:
        connection = schema_editor.connection
        table, names = columns(apps, connection)
        model = apps.get_model(app_label, model_name)
        change = _as_text
        if connection.vendor == "postgresql":
            changes = ", ".join(
                f"ALTER COLUMN {c} TYPE text USING encode({c}, 'hex')" for c in names
            )
            schema_editor.execute(f"ALTER TABLE {table} {changes}")

            def change(value: str) -> str:
                return _as_text(bytes.fromhex(value))

        else:
            empties = ", ".join(f"{c} = CASE WHEN {c} = X'' THEN '' ELSE {c} END" for c in names)
            schema_editor.execute(f"UPDATE {table} SET {empties}")  # noqa: S608
        recode(connection, model, fields, change, _report(app_label, model_name))

    return forwards, backwards
