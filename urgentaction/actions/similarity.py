"""Letters that are the suggested text barely changed, or nearly the same as other
letters: offices discount or block identical letters, so these are held for review.

Each letter is cut into overlapping runs of words (shingles). The runs it shares with
the suggested letter are set aside; what is left are the supporter's own words. A
letter with almost none is the template; a letter whose own words mostly match another
recent letter's (Jaccard similarity of their sketches at least 0.5, as WriteToThem
uses) is a near copy.
"""

import hashlib
import re
from functools import lru_cache

from django.conf import settings

from urgentaction.actions.models import Action
from urgentaction.campaigns.models import Campaign, Target

WORDS_PER_SHINGLE = 4
SKETCH_SIZE = 64
SIMILAR = 0.5
# A letter less than this share of which is the supporter's own is the template.
OWN_SHARE_NEEDED = 0.3
RECENT_LETTERS = 200


def shingles(text: str) -> set[int]:
    """The text's runs of words, each as a keyed hash: without HASH_KEY a stored sketch
    cannot confirm a guess at what someone wrote."""
    key = _shingle_key(settings.HASH_KEY)
    words = re.findall(r"\w+", text.casefold())
    runs = zip(*(words[i:] for i in range(WORDS_PER_SHINGLE)), strict=False)
    return {
        int.from_bytes(hashlib.blake2b(" ".join(run).encode(), digest_size=8, key=key).digest())
        for run in runs
    }


@lru_cache(maxsize=4)
def _shingle_key(hash_key: str) -> bytes:
    return hashlib.sha256(f"urgentaction.shingles:{hash_key}".encode()).digest()


@lru_cache(maxsize=64)
def suggested_shingles(suggested: str, hash_key: str) -> frozenset[int]:
    """The suggested letter's runs, worked out once per process for each wording: most
    letters in a busy campaign are measured against the same text, and many are it.
    (``hash_key`` keys the cache: the runs change with it.)"""
    return frozenset(shingles(suggested))


def sketch(own: set[int]) -> list[int]:
    """A small fixed-size summary (bottom-k MinHash) that estimates similarity."""
    return sorted(own)[:SKETCH_SIZE]


def similarity(a: list[int], b: list[int]) -> float:
    union = sorted(set(a) | set(b))[:SKETCH_SIZE]
    if not union:
        return 0.0
    both = set(a) & set(b)
    return sum(1 for value in union if value in both) / len(union)


def review_reasons(
    campaign: Campaign, body: str, targets: list[Target]
) -> tuple[list[int], list[str]]:
    """The letter's sketch, and why it should be held (if it should)."""
    letter = getattr(campaign, "letter", None)
    suggested = letter.render_body(targets) if letter else ""
    template = suggested_shingles(suggested, settings.HASH_KEY)
    every = template if body == suggested else shingles(body)
    own = every - template
    fingerprint = sketch(own)
    if campaign.allow_template_letters:
        return fingerprint, []
    if len(own) < OWN_SHARE_NEEDED * len(every):
        return fingerprint, ["the suggested letter, barely changed"]
    recent = (
        Action.objects.filter(campaign=campaign)
        .exclude(fingerprint=[])
        .order_by("-created_at")
        .values_list("fingerprint", flat=True)[:RECENT_LETTERS]
    )
    if any(similarity(fingerprint, other) >= SIMILAR for other in recent):
        return fingerprint, ["nearly the same as another letter"]
    return fingerprint, []
