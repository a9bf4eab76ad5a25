"""A count's noun follows the number ngettext chose by (issue 71): "X of Y nouns" is
chosen by Y, so every catalog puts the noun after Y ("1 sur 20 épisodes", never "1
épisodes sur 20"); a sentence with two numbers that govern two words puts one of them
apart ("écritures d'étiquettes en échec : 1 sur 2"). Rendered through the real catalogs
with counts 0, 1 and 2."""

from __future__ import annotations

import pytest
from django.utils import translation

from scanner.connect.sentences import said, said_of
from scanner.engine import guesses
from scanner.history.event_text import event_message
from scanner.http.reasons import Code
from scanner.models import Event
from scanner.reports.event_sentences import problem_texts
from scanner.reports.review_text import review_sentence
from scanner.searches.plan import bound_note

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("ui", "expected"),
    [
        ("fr", ["Recherché aujourd'hui\u00a0: 0 sur 1 épisode (la limite quotidienne).",
                "Recherchés aujourd'hui\u00a0: 1 sur 20 épisodes (la limite quotidienne).",
                "Recherchés aujourd'hui\u00a0: 2 sur 2 épisodes (la limite quotidienne)."]),
        ("de", ["Heute gesucht: 0 von 1 Folge (das Tageslimit).",
                "Heute gesucht: 1 von 20 Folgen (das Tageslimit).",
                "Heute gesucht: 2 von 2 Folgen (das Tageslimit)."]),
        ("es", ["Buscado hoy: 0 de 1 episodio (el límite diario).",
                "Buscados hoy: 1 de 20 episodios (el límite diario).",
                "Buscados hoy: 2 de 2 episodios (el límite diario)."]),
        ("pt-br", ["Pesquisado hoje: 0 de 1 episódio (o limite diário).",
                   "Pesquisados hoje: 1 de 20 episódios (o limite diário).",
                   "Pesquisados hoje: 2 de 2 episódios (o limite diário)."]),
    ],
)  # fmt: skip
def test_the_daily_bound_counts_its_episodes_by_the_bound(ui: str, expected: list[str]) -> None:
    with translation.override(ui):
        assert [bound_note(0, 1), bound_note(1, 20), bound_note(2, 2)] == expected


@pytest.mark.parametrize(
    ("ui", "one", "two"),
    [
        ("fr", "écriture d'étiquettes en échec (0 sur 1)",
         "écritures d'étiquettes en échec (1 sur 2)"),
        ("de", "0 von 1 Tag-Schreibvorgang fehlgeschlagen",
         "1 von 2 Tag-Schreibvorgängen fehlgeschlagen"),
        ("es", "escritura de etiquetas fallida (0 de 1)",
         "escrituras de etiquetas fallidas (1 de 2)"),
        ("pt-br", "gravação de tags com falha (0 de 1)", "gravações de tags com falha (1 de 2)"),
    ],
)  # fmt: skip
def test_failed_tag_writes_agree_with_the_writes(ui: str, one: str, two: str) -> None:
    with translation.override(ui):
        assert problem_texts({"tag_writes_failed": [0, 1]}) == [one]
        assert problem_texts({"tag_writes_failed": [1, 2]}) == [two]


@pytest.mark.parametrize(
    ("ui", "one", "forty"),
    [
        ("fr", "1 sur 1 fichier", "0 sur 40 fichiers"),
        ("de", "1 von 1 Datei", "0 von 40 Dateien"),
        ("es", "1 de 1 archivo", "0 de 40 archivos"),
        ("pt-br", "1 de 1 arquivo", "0 de 40 arquivos"),
    ],
)
def test_a_review_reason_counts_its_files_by_the_files_counted(
    ui: str, one: str, forty: str
) -> None:
    def reason(files: int, counted: int) -> str:
        values = {"files": files, "counted": counted, "language": "fra", "example": "x"}
        return review_sentence({"code": guesses.HEARD_UNSURE, "values": values})

    with translation.override(ui):
        assert reason(1, 1).startswith(one)
        assert reason(0, 40).startswith(forty)


@pytest.mark.parametrize(
    ("ui", "expected"),
    [
        ("fr", f"tv{NBSP}: 0 sur 40 éléments associés{NBSP}: 0 par identifiant"),
        ("de", "tv: 0 von 40 Einträgen zugeordnet: 0 über die ID"),
        ("es", "tv: 0 de 40 elementos emparejados: 0 por id"),
        ("pt-br", "tv: 0 de 40 itens associados: 0 por id"),
    ],
)
def test_a_match_counts_its_items_by_the_items(ui: str, expected: str) -> None:
    fact = said_of(
        Code.MS_MATCHED, instance="tv", matched=0, count=40, by_id=0, by_folder=0, ambiguous=0
    )
    with translation.override(ui):
        assert said(fact).startswith(expected)


@pytest.mark.parametrize(
    ("ui", "one", "two"),
    [
        ("fr", f"(langue manquante{NBSP}: allemand)",
         f"(langues manquantes{NBSP}: allemand et français)"),
        ("de", "(fehlende Sprache: Deutsch)", "(fehlende Sprachen: Deutsch und Französisch)"),
        ("es", "(idioma que falta: alemán)", "(idiomas que faltan: alemán y francés)"),
        ("pt-br", "(idioma ausente: alemão)", "(idiomas ausentes: alemão e francês)"),
    ],
)  # fmt: skip
def test_a_search_names_its_missing_languages_apart(ui: str, one: str, two: str) -> None:
    """Not "(alemán, francés falta)": the list after a colon, "language" by its length."""

    def told(missing: list[str]) -> str:
        event = Event(kind=Event.Kind.SEARCH, data={"missing": missing, "episodes": [[1, 2]]})
        return event_message(event)

    with translation.override(ui):
        assert told(["deu"]).endswith(one)
        assert told(["fra", "deu"]).endswith(two)
