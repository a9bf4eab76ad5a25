"""A count's noun follows the number its plural is chosen by (issue 71), and each count
has a plural of its own (issue 84): never "1 sur 20 épisodes" nor "1 fichier sur 2 ... 1 en
manquent"; a fact with two numbers is two sentences. Rendered through the real catalogs."""

from __future__ import annotations

import pytest
from django.utils import translation

from scanner.connect.sentences import said, said_of
from scanner.engine import guesses
from scanner.history.event_text import event_message
from scanner.http.reasons import Code
from scanner.models import Event
from scanner.models.event_data import ORPHANS_KEPT
from scanner.reports.event_sentences import kept_orphans, problem_texts, scan_finished
from scanner.reports.review_text import review_sentence
from scanner.searches.plan import bound_note

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("ui", "expected"),
    [
        ("fr", ["Seul 1 épisode a été recherché aujourd'hui\u00a0: la limite quotidienne est "
                "atteinte. 1 épisode attend les jours suivants.",
                "Seuls 2 épisodes ont été recherchés aujourd'hui\u00a0: la limite quotidienne "
                "est atteinte. 20 épisodes attendent les jours suivants."]),
        ("de", ["Heute wurde nur 1 Folge gesucht: Das Tageslimit ist erreicht. 1 Folge wartet "
                "auf die nächsten Tage.",
                "Heute wurden nur 2 Folgen gesucht: Das Tageslimit ist erreicht. 20 Folgen "
                "warten auf die nächsten Tage."]),
        ("es", ["Hoy solo se buscó 1 episodio: se alcanzó el límite diario. 1 episodio espera "
                "a los próximos días.",
                "Hoy solo se buscaron 2 episodios: se alcanzó el límite diario. 20 episodios "
                "esperan a los próximos días."]),
        ("pt-br", ["Só 1 episódio foi pesquisado hoje: o limite diário foi atingido. "
                   "1 episódio espera pelos próximos dias.",
                   "Só 2 episódios foram pesquisados hoje: o limite diário foi atingido. "
                   "20 episódios esperam pelos próximos dias."]),
    ],
)  # fmt: skip
def test_the_daily_bound_counts_each_number_in_its_own_sentence(
    ui: str, expected: list[str]
) -> None:
    with translation.override(ui):
        assert [bound_note(1, 2), bound_note(2, 22)] == expected


@pytest.mark.parametrize(
    ("ui", "one", "two"),
    [
        ("fr", "1 écriture d'étiquettes a échoué", "2 écritures d'étiquettes ont échoué"),
        ("de", "1 Tag-Schreibvorgang fehlgeschlagen", "2 Tag-Schreibvorgänge fehlgeschlagen"),
        ("es", "1 escritura de etiquetas falló", "2 escrituras de etiquetas fallaron"),
        ("pt-br", "1 gravação de tags falhou", "2 gravações de tags falharam"),
    ],
)  # fmt: skip
def test_failed_tag_writes_agree_with_the_failed_ones(ui: str, one: str, two: str) -> None:
    with translation.override(ui):
        assert problem_texts({"tag_writes_failed": [1, 3]}) == [one]
        assert problem_texts({"tag_writes_failed": [2, 3]}) == [two]


@pytest.mark.parametrize(
    ("ui", "one", "two"),
    [
        ("fr", f"1 fichier{NBSP}: ", f"2 fichiers{NBSP}: "),
        ("de", "1 Datei: ", "2 Dateien: "),
        ("es", "1 archivo: ", "2 archivos: "),
        ("pt-br", "1 arquivo: ", "2 arquivos: "),
    ],
)
def test_a_review_reason_counts_the_files_it_is_true_of(ui: str, one: str, two: str) -> None:
    def reason(files: int, counted: int) -> str:
        values = {"files": files, "counted": counted, "language": "fra", "example": "x"}
        return review_sentence({"code": guesses.HEARD_UNSURE, "values": values})

    with translation.override(ui):
        assert reason(1, 40).startswith(one)
        assert reason(2, 40).startswith(two)


@pytest.mark.parametrize(
    ("ui", "expected"),
    [
        ("fr", f"tv{NBSP}: 1 élément est associé sur le serveur. Taggarr connaît 40 éléments "
               "de cet *arr. 1 est associé par identifiant."),
        ("de", "tv: 1 Eintrag ist auf dem Server zugeordnet. Taggarr kennt 40 Einträge dieses "
               "*arr. 1 ist über die ID zugeordnet."),
        ("es", "tv: 1 elemento está emparejado en el servidor. Taggarr conoce 40 elementos de "
               "este *arr. 1 está emparejado por id."),
        ("pt-br", "tv: 1 item está associado no servidor. O Taggarr conhece 40 itens deste "
                  "*arr. 1 está associado por id."),
    ],
)  # fmt: skip
def test_a_match_says_each_count_in_its_own_sentence(ui: str, expected: str) -> None:
    fact = said_of(
        Code.MS_MATCHED, instance="tv", matched=1, count=40, by_id=1, by_folder=0, ambiguous=0
    )
    with translation.override(ui):
        assert said(fact) == expected


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


@pytest.mark.parametrize(
    ("ui", "expected"),
    [
        ("en", "Scan #? finished: 1 tag change written. 2 tag changes were not written, as no "
               "NFO or media server holds them: see the run's page."),
        ("fr", f"Analyse nº ? terminée{NBSP}: 1 changement d'étiquettes écrit. 2 changements "
               "d'étiquettes n'ont pas été écrits, car aucun NFO ni serveur multimédia ne les "
               f"porte{NBSP}: voir la page de l'analyse."),
        ("de", "Scan #? beendet: 1 Tag-Änderung geschrieben. 2 Tag-Änderungen wurden nicht "
               "geschrieben, da keine NFO und kein Medienserver sie aufnimmt: siehe die Seite "
               "des Scans."),
    ],
)  # fmt: skip
def test_a_run_says_its_written_and_unwritten_changes_apart(ui: str, expected: str) -> None:
    with translation.override(ui):
        assert scan_finished(Event(), {"written": 1, "not_written": 2}) == expected


@pytest.mark.parametrize(
    ("ui", "expected"),
    [
        ("en", "1 item is missing from the *arr's listing and was not removed: check the "
               "mounts, root folders and path mappings, or scan in rewrite mode. Taggarr knew "
               "2 items of this *arr before the scan."),
        ("es", "Falta 1 elemento en la lista del *arr y no se eliminó: revisa los montajes, las "
               "carpetas raíz y las asignaciones de rutas, o escanea en modo reescritura. Antes "
               "del escaneo, Taggarr conocía 2 elementos de este *arr."),
        ("pt-br", "1 item falta na lista do *arr e não foi removido: confira as montagens, as "
                  "pastas raiz e os mapeamentos de caminho, ou faça a verificação em modo de "
                  "reescrita. Antes da verificação, o Taggarr conhecia 2 itens deste *arr."),
    ],
)  # fmt: skip
def test_items_kept_out_of_the_listing_and_those_known_are_two_sentences(
    ui: str, expected: str
) -> None:
    with translation.override(ui):
        assert kept_orphans(Event(), {ORPHANS_KEPT: 1, "known": 2}) == expected
