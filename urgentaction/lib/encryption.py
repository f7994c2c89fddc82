"""Personal fields encrypted at rest: the database, its dumps and its backups hold only
ciphertext (Fernet: AES-128-CBC with HMAC-SHA256, from ``cryptography``), and the text is
readable only with the keys in ENCRYPTION_KEYS. The first key encrypts; every key
decrypts, which is how a key is rotated (``manage.py rotate_encryption_key``).

Text is compressed (zlib) inside the envelope, where that makes the stored value shorter:
a letter takes about half the room. A compressed value's plain text starts with a
version byte that UTF-8 text never starts with, so values stored before compression
began, and short ones stored as they are, still read as text.

Ciphertext cannot be searched or sorted: records are found by keyed hashes (an email
address's ``email_hash``), and a lookup on an encrypted field other than "is empty" is
refused rather than silently matching nothing."""

import base64
import hashlib
import zlib
from collections.abc import Callable
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.apps import apps as django_apps
from django.conf import settings
from django.core.signals import setting_changed
from django.db import models, transaction
from django.db.models.lookups import Exact
from django.dispatch import receiver


@cache
def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in settings.ENCRYPTION_KEYS])


def key_from_secret(secret: str) -> str:
    """A Fernet key derived from another secret (the default: from SECRET_KEY)."""
    digest = hashlib.sha256(f"urgentaction.encryption:{secret}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


# The first byte of a compressed value's plain text (format 1: zlib). 0xFF never occurs
# in UTF-8, so no text stored as it is can be taken for it.
ZLIB = b"\xff"
# Fernet pads what it encrypts to whole blocks of this many bytes.
BLOCK = 16


def encrypt(text: str) -> str:
    return _fernet().encrypt(pack(text)).decode()


def decrypt(token: str) -> str:
    try:
        plain = _fernet().decrypt(token.encode())
    except InvalidToken as error:
        raise ValueError(
            "An encrypted field could not be decrypted: is its key missing from ENCRYPTION_KEYS?"
        ) from error
    return unpack(plain)


def pack(text: str) -> bytes:
    """What is encrypted of ``text``: compressed, behind its version byte, only where that
    saves a block of ciphertext (a name or a town would only grow)."""
    raw = text.encode()
    if len(raw) < 2 * BLOCK:
        return raw
    compressed = ZLIB + zlib.compress(raw)
    return compressed if len(compressed) // BLOCK < len(raw) // BLOCK else raw


def unpack(plain: bytes) -> str:
    if plain[:1] == ZLIB:
        return zlib.decompress(plain[1:]).decode()
    return plain.decode()


def rotated(token: str) -> str:
    """The same text, encrypted again with the first key."""
    return _fernet().rotate(token.encode()).decode()


class EncryptedTextField(models.TextField):
    """Text stored encrypted. An empty value stays empty, so that "blank" and "erased"
    can still be asked of the database. ``max_length`` is checked on forms only (the
    ciphertext is longer than the text)."""

    def from_db_value(self, value: str | None, expression, connection) -> str | None:
        return decrypt(value) if value else value

    def get_prep_value(self, value: object) -> str | None:
        value = super().get_prep_value(value)
        return encrypt(value) if value else value

    def get_lookup(self, lookup_name: str):
        # Searching ciphertext finds nothing: refuse every lookup but these two.
        return super().get_lookup(lookup_name) if lookup_name in ("exact", "isnull") else None

    def get_transform(self, name: str):
        return None

    def formfield(self, **kwargs) -> forms.Field:
        if self.max_length and self.max_length <= 500:
            kwargs.setdefault("widget", forms.TextInput)
        return super().formfield(**kwargs)


class EncryptedEmailField(EncryptedTextField):
    default_validators = [*models.EmailField.default_validators]

    def formfield(self, **kwargs) -> forms.Field:
        return super().formfield(**{"form_class": forms.EmailField, **kwargs})


@EncryptedTextField.register_lookup
class EmptyOnlyExact(Exact):
    """Only ``field=""`` can be asked of ciphertext; any other value would never match."""

    lookup_name = "exact"

    def get_prep_lookup(self):
        if self.rhs != "":
            raise TypeError(
                f"{self.lhs.target.name} is encrypted: find records by a keyed hash instead."
            )
        return self.rhs


def recode(
    connection,
    model: type[models.Model],
    fields: list[str],
    change,
    progress: Callable[[int], object] = lambda done: None,
) -> int:
    """Rewrite the stored values of ``fields`` in every row as ``change(value)`` (empty
    values stay empty), in batches of raw SQL, one transaction each, so that nothing is
    decrypted on the way unless ``change`` does it. A row that changed since its batch
    was read (the site keeps running) is left as the site wrote it. Returns the number
    of rows read; ``progress`` hears the count so far after each batch."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = [quote(model._meta.get_field(name).column) for name in fields]
    select = (
        f"SELECT id, {', '.join(columns)} FROM {table} "  # noqa: S608
        "WHERE id > %s ORDER BY id LIMIT 1000"
    )
    update = (
        f"UPDATE {table} SET {', '.join(f'{c} = %s' for c in columns)} "  # noqa: S608
        f"WHERE id = %s AND {' AND '.join(f'{c} = %s' for c in columns)}"
    )
    last, done = 0, 0
    while True:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(select, [last])
            batch = cursor.fetchall()
            for pk, *values in batch:
                cursor.execute(update, [*(change(v) if v else v for v in values), pk, *values])
        if not batch:
            return done
        done += len(batch)
        last = batch[-1][0]
        progress(done)


def _encrypt_once(value: str) -> str:
    """``value`` encrypted, unless it already is (a migration run again after a crash
    part-way must not encrypt twice)."""
    try:
        decrypt(value)
    except ValueError:
        return encrypt(value)
    return value


def migrate_columns(app_label: str, model_name: str, fields: list[str]):
    """Migration steps (forwards, backwards) that encrypt the text already in ``fields``,
    or decrypt it again."""

    def report(done: int) -> None:
        # A large table takes a while: say how far it has got, every 10,000 rows.
        if done % 10_000 == 0:
            print(f"\n  {app_label}.{model_name}: {done} rows", end="", flush=True)

    def forwards(apps, schema_editor) -> None:
        model = apps.get_model(app_label, model_name)
        recode(schema_editor.connection, model, fields, _encrypt_once, report)

    def backwards(apps, schema_editor) -> None:
        model = apps.get_model(app_label, model_name)
        recode(schema_editor.connection, model, fields, decrypt, report)

    return forwards, backwards


def encrypted_fields() -> dict[type[models.Model], list[str]]:
    """Every model with encrypted fields, and their names."""
    found = {}
    for model in django_apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if names:
            found[model] = names
    return found


@receiver(setting_changed)
def _keys_changed(*, setting: str, **kwargs) -> None:
    if setting == "ENCRYPTION_KEYS":
        _fernet.cache_clear()
