"""A lost dub's files in the reader's words (scanner.reports.dub_news_text), issue 61:
a file replaced under the same name is "a new file" with both sizes in the reader's
locale, never "X.mkv replaced by X.mkv"."""

from __future__ import annotations

from django.utils import translation

from scanner.reports.dub_news_text import news_line, swaps_of

NAME = "Season 01/Show - S01E01.mkv"
FILES = [{"episode": 1, "old": NAME, "new": NAME, "old_size": 2_254_857_830,
          "new_size": 1_503_238_553}]  # fmt: skip


def test_a_loss_under_the_same_name_is_a_new_file_with_its_sizes() -> None:
    with translation.override("en"):
        line = news_line("Show", "deu", False, 1, [1], swaps=swaps_of(FILES))
    assert line == (f"Dub lost: German — Show, S01E01: {NAME}: a new file (2.1\xa0GB → 1.4\xa0GB)")
    assert "replaced by" not in line


def test_the_sizes_follow_the_readers_locale_and_unknown_sizes_are_left_out() -> None:
    with translation.override("de"):
        line = news_line("Show", "deu", False, 1, [1], swaps=swaps_of(FILES))
    assert "2,1\xa0GB → 1,4\xa0GB" in line
    old_event = [{"episode": 1, "old": NAME, "new": NAME, "old_size": True}]  # no sizes kept
    with translation.override("en"):
        line = news_line("Show", "deu", False, 1, [1], swaps=swaps_of(old_event))
    assert line.endswith(f"{NAME}: a new file")
