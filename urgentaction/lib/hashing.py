import hashlib
import hmac

from django.conf import settings


def normalise_email(email: str) -> str:
    """The form of an address used for matching: trimmed, domain lower-cased.

    The local part keeps its case (RFC 5321 lets servers treat it as case-sensitive), but
    in practice no provider does, so it is lower-cased too, as every mailing tool does.
    """
    return email.strip().lower()


def hash_token(token: str) -> str:
    """What a secret link's table keeps of its token: the token is random and long, so a
    plain hash is enough, and a copy of the table opens no link."""
    return hashlib.sha256(token.encode()).hexdigest()


def keyed_hash(purpose: str, value: str) -> str:
    key = f"{settings.HASH_KEY}:{purpose}".encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def email_hash(email: str) -> str:
    """A keyed hash of an address: lets us recognise a person without keeping the address."""
    key = settings.HASH_KEY.encode()
    return hmac.new(key, normalise_email(email).encode(), hashlib.sha256).hexdigest()
