"""The whole database as text, as a backup or a stolen dump would hold it."""

import re
import subprocess

from django.db import connection

from urgentaction.lib.encryption import decrypt

# A whole value, not a run inside a longer base64 string (a cached page, pickled and
# encoded, can hold "gAAAAA" by chance).
FERNET_TOKEN = re.compile(r"(?<![A-Za-z0-9_=+/-])gAAAAA[A-Za-z0-9_=-]+(?![A-Za-z0-9_=+/-])")


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
    return FERNET_TOKEN.sub(lambda token: decrypt(token.group()), text)
