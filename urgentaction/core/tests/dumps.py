"""The whole database as text, as a backup or a stolen dump would hold it."""

import re
import subprocess

from django.db import connection

from urgentaction.lib.encryption import decrypt, encrypted_fields

# A binary value in a dump, in hex: SQLite's X'...' literal, or PostgreSQL's COPY text
# (its backslash doubled).
HEX_VALUE = re.compile(r"(?:X'|\\\\x)([0-9a-fA-F]+)")


def dump() -> str:
    if connection.vendor == "sqlite":
        return "\n".join(connection.connection.iterdump())
    db = connection.settings_dict
    command = [
        "pg_dump",
        "--data-only",
        "-h",
        db["HOST"] or "127.0.0.1",
        "-U",
        db["USER"],
        db["NAME"],
    ]
    if db["PORT"]:
        command[2:2] = ["-p", str(db["PORT"])]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603


def readable(text: str) -> str:
    """A dump as someone holding the keys could read it: every encrypted value decrypted."""

    def attempt(match: re.Match) -> str:
        try:
            return decrypt(bytes.fromhex(match.group(1)))
        except ValueError:
            return match.group()

    return HEX_VALUE.sub(attempt, text)


def stored_values() -> list[bytes]:
    """Every non-empty value of every encrypted column, as the database holds it."""
    found = []
    with connection.cursor() as cursor:
        for model, fields in encrypted_fields().items():
            quote = connection.ops.quote_name
            columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
            cursor.execute(f"SELECT {columns} FROM {quote(model._meta.db_table)}")  # noqa: S608
            found += [bytes(value) for row in cursor.fetchall() for value in row if value]
    return found
