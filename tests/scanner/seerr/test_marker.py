"""Taggarr's marker on its messages in Seerr (issue 79, scanner/seerr/marker.py): its
own last paragraph, read back by the ask's id; a marker quoted inside someone's text,
another ask's, or a number in other digits is not one of the ask's messages."""

from __future__ import annotations

from scanner.seerr.marker import marked, taken


def test_the_ask_s_messages_are_counted_by_their_marker() -> None:
    first = marked("Seul le doublage français (France)…", 12, 1)
    assert first == "Seul le doublage français (France)…\n\n— Taggarr #12.1"
    assert taken([first], 12) == 1
    assert taken(["Pas de VFQ ?", first, marked("Arrivé.", 12, 2) + " \n"], 12) == 2
    assert taken([first, marked("Other ask.", 120, 5)], 12) == 1
    assert taken(["Pas de VFQ ?"], 12) == 0


def test_a_quoted_or_foreign_marker_is_not_the_ask_s() -> None:
    quoted = "You wrote “— Taggarr #12.3” yesterday, why?"
    assert taken([quoted], 12) == 0
    assert taken(["\n— Taggarr #12.\u0664"], 12) == 0  # an Arabic-Indic 4
    assert taken(["— Taggarr #12.2"], 12) == 2  # the whole message (a person's copy)
