"""A subtitle file's language from its text (scanner/listening/text.py), with the real
lingua: SubRip and ASS dialogue, an old Windows-1252 file, and too little text."""

from __future__ import annotations

from pathlib import Path

from scanner.listening.text import identify_text

SPANISH = (
    "Buenas noches, señoras y señores. Esta noche una fuerte tormenta cruza el país. "
    "La policía pide a todos los conductores que conduzcan con cuidado y que eviten las "
    "carreteras. Mañana por la mañana volverá a brillar el sol."
)
FRENCH = (
    "Bonsoir, mesdames et messieurs. Cette nuit, un violent orage traverse le pays. La "
    "police demande à tous les conducteurs de rouler prudemment et d'éviter les routes."
)


def test_ass_dialogue_is_read_without_its_styling(tmp_path: Path) -> None:
    lines = [
        "[Script Info]",
        "Title: English title words here",
        "[Events]",
        "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text",
        *(
            f"Dialogue: 0,0:00:0{n}.00,0:00:0{n + 1}.00,Default,,0,0,0,,{{\\i1}}{part}"
            for n, part in enumerate(SPANISH.split(". "))
        ),
    ]
    path = tmp_path / "episode.ass"
    path.write_text("\n".join(lines), encoding="utf-8")
    heard = identify_text(path)
    assert (heard.language, heard.by) == ("spa", "text")
    assert heard.said().startswith("Spanish, identified from its text, ")


def test_an_old_windows_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "film.srt"
    path.write_bytes(f"1\n00:00:01,000 --> 00:00:04,000\n{FRENCH}\n".encode("cp1252"))
    assert identify_text(path).language == "fra"


def test_too_little_text_is_unsure(tmp_path: Path) -> None:
    path = tmp_path / "signs.srt"
    path.write_text("1\n00:00:01,000 --> 00:00:02,000\nNEW YORK, 1999\n", encoding="utf-8")
    heard = identify_text(path)
    assert (heard.language, heard.why) == (None, "too little text")
