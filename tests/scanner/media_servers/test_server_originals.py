"""What Taggarr sets of an item's original language on a Jellyfin 12 server, and what
it owns afterwards (scanner.media_servers.writes.originals): the NFO's value
(Media.original_to_write), only where the item has none or Taggarr's own."""

from __future__ import annotations

import pytest

from scanner.media_servers.clients.base import ServerItem
from scanner.media_servers.writes.originals import (
    ItemOriginal,
    owned_after,
    to_set,
    wanted_value,
)
from scanner.models import Media
from scanner.pipeline.writers.writes import TagWrite


def _write(language: str, override: str = "", suggestion: str = "") -> TagWrite:
    media = Media(
        original_language=language, original_override=override, original_suggestion=suggestion
    )
    return TagWrite(media=media, new_tag="none", labels=[], wanted=frozenset(), managed=frozenset())


@pytest.mark.parametrize(
    ("language", "override", "suggestion", "remove", "wanted"),
    [
        ("jpn", "", "", False, "ja"),
        ("eng", "kor", "", False, "ko"),  # a person's override wins
        ("eng", "", "jpn", False, None),  # the *arr's English in doubt: nothing set
        ("jpn", "", "", True, None),  # a "remove" scan sets nothing of Taggarr's
        ("", "", "", False, None),
    ],
)
def test_the_value_is_the_nfos_as_jellyfin_stores_it(
    language: str, override: str, suggestion: str, remove: bool, wanted: str | None
) -> None:
    assert wanted_value(_write(language, override, suggestion), remove=remove) == wanted


def _item(original: str) -> ServerItem:
    return ServerItem(
        id="1", kind="series", title="Show", path="/tv/Show", original_language=original
    )


@pytest.mark.parametrize(
    ("have", "ours", "sent"),
    [
        ("", None, True),  # none: set
        ("JA", None, False),  # right already, in any case
        ("ko", None, False),  # a provider's or a person's: kept
        ("ko", "ko", True),  # Taggarr's own, the original changed since: replaced
        ("fr", "ko", False),  # a person changed Taggarr's: kept
    ],
)
def test_only_an_empty_value_or_taggarrs_own_is_replaced(
    have: str, ours: str | None, sent: bool
) -> None:
    assert to_set(_item(have), "ja", ours) is sent


@pytest.mark.parametrize(
    ("wanted", "ours", "items", "owned"),
    [
        ("ja", None, [ItemOriginal("ja", sent=True)], "ja"),  # set now
        ("ja", None, [ItemOriginal("ja")], None),  # right already, not Taggarr's
        ("ja", "ja", [ItemOriginal("ja")], "ja"),  # still Taggarr's
        ("ja", "ko", [ItemOriginal("ja", sent=True), ItemOriginal("ko")], "ko"),  # one failed
        ("ja", "ja", [ItemOriginal("fr")], None),  # a person's now
        (None, "ja", [ItemOriginal("ja")], "ja"),  # in doubt: Taggarr's stays as it was
    ],
)
def test_what_taggarr_owns_after_the_writes(
    wanted: str | None, ours: str | None, items: list[ItemOriginal], owned: str | None
) -> None:
    assert owned_after(wanted, ours, items) == owned
