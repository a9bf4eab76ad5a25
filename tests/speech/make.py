"""Makes the speech clips the listening tests and bench/listen.py use (tests/speech/*.opus).

Run once where espeak-ng is installed (``apt-get install espeak-ng``); the clips are
committed, so the tests need no system package: ffmpeg is the imageio-ffmpeg wheel's.

    .venv/bin/python tests/speech/make.py

Each clip is mono 16 kHz Opus at 12 kbit/s, some 40 s: espeak-ng reads a text in the
language (``fr+klatt``: French's default voice is poor), with noise or a tune under some.
``music`` is a tune without speech, ``de-fr`` German then French.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import imageio_ffmpeg

HERE = Path(__file__).resolve().parent
TEXTS = {
    "de": "Guten Abend, meine Damen und Herren. Heute Nacht zieht ein kräftiges Gewitter über "
    "das Land. Die Polizei bittet alle Autofahrer, vorsichtig zu fahren und die Straßen zu "
    "meiden. Morgen früh scheint wieder die Sonne, und am Nachmittag wird es warm. Wir "
    "wünschen Ihnen einen schönen Abend und eine ruhige Nacht.",
    "en": "Good evening, ladies and gentlemen. Tonight a strong storm moves across the "
    "country. The police ask every driver to drive carefully and to stay off the roads. "
    "Tomorrow morning the sun will shine again, and in the afternoon it will be warm. We "
    "wish you a pleasant evening and a quiet night.",
    "es": "Buenas noches, señoras y señores. Esta noche una fuerte tormenta cruza el país. "
    "La policía pide a todos los conductores que conduzcan con cuidado y que eviten las "
    "carreteras. Mañana por la mañana volverá a brillar el sol, y por la tarde hará calor. "
    "Les deseamos una buena noche.",
    "it": "Buonasera, signore e signori. Stanotte un forte temporale attraversa il paese. "
    "La polizia chiede a tutti gli automobilisti di guidare con prudenza e di evitare le "
    "strade. Domani mattina il sole tornerà a splendere, e nel pomeriggio farà caldo. Vi "
    "auguriamo una buona serata e una notte tranquilla.",
    "ja": "こんばんは、みなさん。こんやは、つよい あらしが くにを とおります。けいさつは、"
    "すべての うんてんしゅに、きをつけて うんてんするように いっています。あしたの あさは、"
    "また たいようが でて、ごごは あたたかく なります。よい よるを おすごしください。",
    "pl": "Dobry wieczór państwu. Dzisiaj w nocy nad krajem przejdzie silna burza. Policja "
    "prosi wszystkich kierowców o ostrożną jazdę i unikanie dróg. Jutro rano znowu zaświeci "
    "słońce, a po południu będzie ciepło. Życzymy państwu miłego wieczoru i spokojnej nocy.",
    "fr": "Bonsoir, mesdames et messieurs. Cette nuit, un violent orage traverse le pays. La "
    "police demande à tous les conducteurs de rouler prudemment et d'éviter les routes. "
    "Demain matin, le soleil brillera de nouveau, et l'après-midi il fera chaud. Nous vous "
    "souhaitons une bonne soirée et une nuit calme.",
    "nl": "Goedenavond, dames en heren. Vannacht trekt een zware storm over het land. De "
    "politie vraagt alle automobilisten voorzichtig te rijden en de wegen te vermijden. "
    "Morgenochtend schijnt de zon weer, en in de middag wordt het warm.",
    "pt": "Boa noite, senhoras e senhores. Esta noite uma forte tempestade atravessa o país. "
    "A polícia pede a todos os condutores que conduzam com cuidado e evitem as estradas. "
    "Amanhã de manhã o sol volta a brilhar, e à tarde vai estar calor.",
}
VOICES = {"fr": "fr+klatt"}
# name: (language, what goes under the speech: "", "noise" or "music")
CLIPS = {
    **{code: (code, "") for code in TEXTS},
    "de-noise": ("de", "noise"),
    "ja-music": ("ja", "music"),
}
TUNE = "sine=f=220:d=90,volume=0.5[a];sine=f=277:d=90[b];sine=f=330:d=90[c];[a][b][c]amix=3"
OUTPUT = ("-ac", "1", "-ar", "16000", "-c:a", "libopus", "-b:a", "12k", "-vbr", "on")


def main() -> None:
    ffmpeg = imageio_ffmpeg.get_ffmpeg_exe()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        for name, (code, under) in CLIPS.items():
            voice = VOICES.get(code, code)
            wav = work / f"{name}.wav"
            text = f"{TEXTS[code]} {TEXTS[code]}"  # some 40 s: samples of 13 s each
            subprocess.run(["espeak-ng", "-v", voice, "-w", wav, text], check=True)
            _encode(ffmpeg, wav, under, HERE / f"{name}.opus")
        _tune(ffmpeg, HERE / "music.opus")
        both = work / "de-fr.wav"
        subprocess.run(
            [ffmpeg, "-v", "error", "-y", "-i", work / "de.wav", "-i", work / "fr.wav",
             "-filter_complex", "[0][1]concat=n=2:v=0:a=1", both],
            check=True,
        )  # fmt: skip
        _encode(ffmpeg, both, "", HERE / "de-fr.opus")


def _encode(ffmpeg: str, wav: Path, under: str, out: Path) -> None:
    if not under:
        subprocess.run([ffmpeg, "-v", "error", "-y", "-i", wav, *OUTPUT, out], check=True)
        return
    source = "anoisesrc=d=90:c=pink:a=0.05" if under == "noise" else TUNE
    subprocess.run(
        [ffmpeg, "-v", "error", "-y", "-i", wav, "-f", "lavfi", "-i", source, "-filter_complex",
         "[1]volume=0.3[u];[0][u]amix=inputs=2:duration=first:normalize=0", *OUTPUT, out],
        check=True,
    )  # fmt: skip


def _tune(ffmpeg: str, out: Path) -> None:
    subprocess.run(
        [ffmpeg, "-v", "error", "-y", "-f", "lavfi", "-i",
         "sine=f=220:d=40,tremolo=f=2[a];sine=f=330:d=40,vibrato=f=3[b];[a][b]amix=2",
         *OUTPUT, out],
        check=True,
    )  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
