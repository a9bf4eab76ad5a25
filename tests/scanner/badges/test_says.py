"""What an item's badges say (scanner.badges.says, issue 95): the household's words for
each dub, in the targets' order, a partial dub marked, the original and the subtitles
only when asked, and a digest that changes exactly when what is drawn changes."""

from __future__ import annotations

from scanner.badges.draw import Style
from scanner.badges.says import (
    DUB,
    MOST,
    ORIGINAL,
    SEMI,
    SUB,
    Badge,
    badges_of,
    digest,
    item_badges,
    original_held,
)


def test_each_dub_is_named_as_the_household_names_it_in_the_targets_order() -> None:
    verdicts = {"fr-CA": "dub", "deu": "semi-dub", "es-419": "dub", "pt-BR": "dub", "ita": "none"}
    assert badges_of(verdicts, order=list(verdicts)) == (
        Badge("VFQ", DUB, "fr-ca"), Badge("DE", SEMI, "de"), Badge("Latino", DUB, "es-419"),
        Badge("PT-BR", DUB, "pt-br"),
    )  # fmt: skip


def test_the_items_targets_say_the_order_not_the_stored_objects_keys() -> None:
    # PostgreSQL's jsonb gives the keys back shortest first: "deu" before "fr-CA".
    stored = {"deu": "dub", "fr-CA": "dub", "es-419": "semi-dub"}
    assert [b.text for b in badges_of(stored, order=["fr-CA", "es-419", "deu"])] == [
        "VFQ", "Latino", "DE",
    ]  # fmt: skip
    # Targets the order does not name come after it, by code, whatever the stored order.
    hostile = ["es-419", 7, ["fr-CA"], {"a": 1}]
    assert [b.text for b in badges_of(stored, order=hostile)] == ["Latino", "DE", "VFQ"]
    assert badges_of(dict(reversed(stored.items()))) == badges_of(stored)


def test_the_original_and_the_subtitles_only_when_asked() -> None:
    verdicts, subtitles = {"fr-FR": "dub"}, {"fra": "sub", "deu": "semi-sub", "spa": "none"}
    assert badges_of(verdicts, subtitles, original="jpn") == (Badge("VFF", DUB, "fr-fr"),)
    assert badges_of(verdicts, subtitles, order=["fr-FR", "fra", "deu"], original="jpn",
                     with_original=True, with_subtitles=True) == (
        Badge("VFF", DUB, "fr-fr"), Badge("JA", ORIGINAL, "ja"), Badge("FR", SUB, "fr"),
        Badge("DE", SUB, "de"),
    )  # fmt: skip


def test_what_is_stored_is_not_trusted() -> None:
    hostile = {"": "dub", "fr-CA": ["dub"], "es-ES": "dub", "x" * 400: "semi-dub"}
    said = badges_of(hostile)
    assert said[0] == Badge("Castellano", DUB, "es-es")
    assert all(len(badge.text) <= 12 for badge in said)
    many = {f"q{chr(97 + n)}a": "dub" for n in range(20)}
    assert len(badges_of(many)) == MOST


def test_the_digest_changes_with_what_is_drawn_and_only_then() -> None:
    first = badges_of({"fr-CA": "dub"})
    assert digest(first, Style()) == digest(badges_of({"fr-CA": "dub"}), Style())
    assert digest(first, Style()) != digest(badges_of({"fr-CA": "semi-dub"}), Style())
    assert digest(first, Style()) != digest(first, Style(corner="top-right"))


def _read(*languages: list[str], error: bool = False) -> dict[str, object]:
    files = [{"languages": codes, "missing": [], "error": "unreadable" if error else None}
             for codes in languages]  # fmt: skip
    return {"targets": ["es-419"], "seasons": [{"season": None, "files": files}]}


def test_the_original_is_said_on_request_only_when_every_file_holds_it() -> None:
    verdicts, subtitles = {"es-419": "dub"}, {"es-419": "sub"}
    both = _read(["eng", "spa"], ["eng", "spa"])
    assert item_badges(verdicts, both, original="eng") == (Badge("Latino", DUB, "es-419"),)
    assert item_badges(verdicts, both, original="eng", with_original=True) == (
        Badge("Latino", DUB, "es-419"), Badge("EN", ORIGINAL, "en"),
    )  # fmt: skip
    # One file is the dub alone: the original is not the item's to claim.
    dub_only = _read(["eng", "spa"], ["spa"])
    assert [b.kind for b in item_badges(verdicts, dub_only, original="eng",
                                        with_original=True)] == [DUB]  # fmt: skip
    assert not original_held(_read(), "eng") and not original_held(both, "")
    assert original_held(_read(["en", "spa"]), "eng")  # any form of the code
    assert [b.kind for b in item_badges(verdicts, both, subtitles, with_subtitles=True)] == [
        DUB, SUB,
    ]  # fmt: skip
