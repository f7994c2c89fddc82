"""Personal fields encrypted at rest: the database, its dumps and its backups hold only
ciphertext, readable only with the keys in ENCRYPTION_KEYS. The first key encrypts; every
key decrypts, which is how a key is rotated (``manage.py rotate_encryption_key``).

A value is stored as bytes (BLOB, bytea), its first byte naming its envelope:

- ``0x01``: AES-256-GCM (from ``cryptography``), a 12-byte random nonce, then the
  ciphertext with its 16-byte tag: 29 bytes more than the text. Each key in
  ENCRYPTION_KEYS (a Fernet key: 32 random bytes in base64) gives its AES key by HKDF.
  With random nonces one key should seal fewer than 2**32 values (some 250 million
  letters): rotate long before.
- ``0x80``: a Fernet token (AES-128-CBC with HMAC-SHA256: 57 to 72 bytes more than the
  text), as values were sealed until December 2026, turned from base64 into its bytes
  by the migrations that made the columns binary (``encrypted_text.store_as_bytes``).
- otherwise: a Fernet token still in base64, as those migrations leave a value they do
  not recognise.

``rotate_encryption_key`` seals every value again in the first envelope, with the first
key.

Text is compressed (zlib) inside the envelope, where that makes the stored value shorter:
a letter takes about half the room. A compressed value's plain text starts with a
version byte that UTF-8 text never starts with, so values stored before compression
began, and short ones stored as they are, still read as text.

Ciphertext cannot be searched or sorted: records are found by keyed hashes (an email
address's ``email_hash``), and a lookup on an encrypted field other than "is empty" is
refused rather than silently matching nothing."""

import base64
import hashlib
import os
import zlib
from collections.abc import Callable
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django import forms
from django.apps import apps as django_apps
from django.conf import settings
from django.core.signals import setting_changed
from django.db import models, transaction
from django.db.models.lookups import Exact
from django.dispatch import receiver

# The first byte of a value sealed with AES-GCM, also bound into its tag.
AEAD = b"\x01"
# The first byte of a Fernet token (its version), and of its base64 text ("gAAAAA").
FERNET = b"\x80"
NONCE = 12


@cache
def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in settings.ENCRYPTION_KEYS])


@cache
def _aeads() -> tuple[AESGCM, ...]:
    return tuple(AESGCM(_aead_key(key)) for key in settings.ENCRYPTION_KEYS)


def _aead_key(key: str) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"urgentaction.aes-gcm")
    return hkdf.derive(base64.urlsafe_b64decode(key))


def key_from_secret(secret: str) -> str:
    """A key derived from another secret (the default: from SECRET_KEY)."""
    digest = hashlib.sha256(f"urgentaction.encryption:{secret}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


# The first byte of a compressed value's plain text (format 1: zlib). 0xFF never occurs
# in UTF-8, so no text stored as it is can be taken for it.
ZLIB = b"\xff"
# Compressing a value shorter than this never saves room.
SHORT = 32


def encrypt(text: str) -> bytes:
    nonce = os.urandom(NONCE)
    return AEAD + nonce + _aeads()[0].encrypt(nonce, pack(text), AEAD)


def decrypt(stored: bytes | memoryview | str) -> str:
    """The text of a stored value, whichever envelope holds it."""
    return unpack(unseal(stored))


def unseal(stored: bytes | memoryview | str) -> bytes:
    """What the envelope of a stored value holds (the text, perhaps compressed)."""
    sealed = stored.encode() if isinstance(stored, str) else bytes(stored)
    if sealed[:1] == AEAD:
        nonce, body = sealed[1 : 1 + NONCE], sealed[1 + NONCE :]
        for aead in _aeads():
            try:
                return aead.decrypt(nonce, body, AEAD)
            except InvalidTag:
                continue
        raise _undecryptable()
    if sealed[:1] == FERNET:
        sealed = base64.urlsafe_b64encode(sealed)
    try:
        return _fernet().decrypt(sealed)
    except InvalidToken as error:
        raise _undecryptable() from error


def _undecryptable() -> ValueError:
    return ValueError(
        "An encrypted field could not be decrypted: is its key missing from ENCRYPTION_KEYS?"
    )


def encrypt_fernet(text: str) -> str:
    """``text`` in a Fernet token, as values were sealed in text columns until December
    2026: for the migrations written then (``encrypted_text``)."""
    return _fernet().encrypt(pack(text)).decode()


def pack(text: str) -> bytes:
    """What is encrypted of ``text``: compressed, behind its version byte, only where that
    makes it shorter (a name or a town would only grow)."""
    raw = text.encode()
    if len(raw) < SHORT:
        return raw
    compressed = ZLIB + zlib.compress(raw)
    return compressed if len(compressed) < len(raw) else raw


def unpack(plain: bytes) -> str:
    if plain[:1] == ZLIB:
        return zlib.decompress(plain[1:]).decode()
    return plain.decode()


def rotated(stored: bytes | memoryview | str) -> bytes:
    """The same text, sealed again with the first key in the newest envelope."""
    return encrypt(decrypt(stored))


class EncryptedTextField(models.TextField):
    """Text stored encrypted, as bytes. An empty value stays empty, so that "blank" and
    "erased" can still be asked of the database. ``max_length`` is checked on forms only
    (the ciphertext is longer than the text)."""

    def get_internal_type(self) -> str:
        return "BinaryField"

    def from_db_value(self, value: bytes | None, expression, connection) -> str | None:
        if value is None:
            return None
        return decrypt(value) if value else ""

    def get_prep_value(self, value: object) -> bytes | None:
        value = super().get_prep_value(value)
        if value is None:
            return None
        return encrypt(value) if value else b""

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
        return b""


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
        _aeads.cache_clear()
