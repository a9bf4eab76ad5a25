"""Encryption at rest for secrets stored in the database (API keys, webhook tokens).

Fernet (AES-128-CBC + HMAC-SHA256) with a key derived from TAGGARR_ENCRYPTION_KEY.
Every process that reads secrets (web, workers on any machine) needs the same key.
"""

from __future__ import annotations

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from scanner.errors import ConfigError

# What people are told of a secret saved with another key: it cannot be read here.
KEY_CHANGED = "key changed: enter it again"


@lru_cache(maxsize=4)
def _fernet(secret: str) -> Fernet:
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"taggarr secrets at rest"
    ).derive(secret.encode("utf-8"))
    return Fernet(base64.urlsafe_b64encode(derived))


def encrypt(plaintext: str) -> str:
    return _fernet(settings.TAGGARR_ENCRYPTION_KEY).encrypt(plaintext.encode("utf-8")).decode()


def decrypt(token: str, *, what: str) -> str:
    """Decrypt ``token``; ``what`` names the secret in the error (never its value)."""
    try:
        return _fernet(settings.TAGGARR_ENCRYPTION_KEY).decrypt(token.encode()).decode("utf-8")
    except InvalidToken:
        raise ConfigError(
            f"cannot decrypt {what}: {KEY_CHANGED} (TAGGARR_ENCRYPTION_KEY "
            "is not the key it was saved with; every web and worker process needs the "
            "same key)"
        ) from None
