"""Tokens stored only as a digest: API keys, feed tokens, the instances' webhook tokens.

The plain token is shown once, when it is made; a row keeps its SHA-256 (hex) and, for
people, its first characters. A token that comes in is found by its digest in the
database, so no stored value is compared with it in Python.

Standard library only (an import contract in pyproject.toml keeps it so): accounts and
the scanner both use it (the scanner may import accounts, never the reverse), and the
pipeline and the media servers, which may not reach the rest of accounts, reach this
module through scanner.models alone.
"""

from __future__ import annotations

import hashlib
import math
import secrets

DIGEST_LENGTH = 64  # SHA-256 in hex: the digest columns' max_length
SHOWN_LENGTH = 12  # a 4-character prefix and 8 random ones: enough to tell tokens apart
RANDOM_BYTES = 32  # 43 URL-safe characters
# What a token looks like, for the logs' mask (taggarr/logging.py): secrets.token_urlsafe's
# base64url without padding, after an optional prefix ("tgr_", "tgf_").
TOKEN_ALPHABET = "A-Za-z0-9_-"  # noqa: S105 - a character class, not a secret
TOKEN_CHARACTERS = math.ceil(RANDOM_BYTES * 8 / 6)
TOKEN_SHAPE = (
    rf"(?<![{TOKEN_ALPHABET}])(?:[a-z]{{3}}_)?"
    rf"[{TOKEN_ALPHABET}]{{{TOKEN_CHARACTERS}}}(?![{TOKEN_ALPHABET}])"
)


def new_token(prefix: str = "") -> str:
    """A new token; ``prefix`` ("tgr_") tells its kind at a glance, and to the logs' mask."""
    return prefix + secrets.token_urlsafe(RANDOM_BYTES)


def token_digest(token: str, *, context: str = "") -> str:
    """What is stored of ``token``. ``context`` is put before it: the webhook tokens'
    stored digests were made with one ("taggarr:"), the others' without."""
    return hashlib.sha256(f"{context}{token}".encode()).hexdigest()


def shown_part(token: str) -> str:
    """What people see of a token in a list: its first characters, never the rest."""
    return token[:SHOWN_LENGTH]
