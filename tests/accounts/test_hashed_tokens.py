"""hashed_tokens: the one way a token is made, digested and shown. The digests are
what existing rows hold, so they are pinned to hashlib's here."""

from __future__ import annotations

import hashlib
import re

from accounts import hashed_tokens

KNOWN = "tgr_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG"


def test_the_digest_is_sha256_hex_of_the_token() -> None:
    expected = hashlib.sha256(KNOWN.encode("utf-8")).hexdigest()
    assert hashed_tokens.token_digest(KNOWN) == expected
    assert len(expected) == hashed_tokens.DIGEST_LENGTH


def test_a_context_goes_before_the_token() -> None:
    # The webhook tokens' stored digests: SHA-256 of "taggarr:" and the token.
    expected = hashlib.sha256(f"taggarr:{KNOWN}".encode()).hexdigest()
    assert hashed_tokens.token_digest(KNOWN, context="taggarr:") == expected
    assert hashed_tokens.token_digest(KNOWN, context="taggarr:") != hashed_tokens.token_digest(
        KNOWN
    )


def test_the_digest_of_a_non_ascii_token_is_of_its_utf8_bytes() -> None:
    assert hashed_tokens.token_digest("é") == hashlib.sha256(b"\xc3\xa9").hexdigest()


def test_one_character_off_is_another_digest() -> None:
    assert hashed_tokens.token_digest(KNOWN[:-1] + "H") != hashed_tokens.token_digest(KNOWN)


def test_new_tokens_are_prefixed_url_safe_and_distinct() -> None:
    made = {hashed_tokens.new_token("tgf_") for _ in range(50)}
    assert len(made) == 50
    assert all(re.fullmatch(r"tgf_[A-Za-z0-9_-]{43}", token) for token in made)
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", hashed_tokens.new_token())


def test_people_see_the_first_twelve_characters_only() -> None:
    assert hashed_tokens.shown_part(KNOWN) == "tgr_01234567"
    assert hashed_tokens.shown_part("short") == "short"
