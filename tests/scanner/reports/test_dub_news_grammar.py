"""Dub news as natives write it (issue 71): the language stands alone after a colon, a noun
phrase of its own, never dropped bare into a sentence ("Dark a perdu allemand", "llegó
alemán"); a list of languages is joined by the reader's list pattern (CLDR, Babel's
``format_list``), "dub" follows the list's length and "item" the count that governs it.
Rendered through the real catalogs, the feed's titles, the notifications' lines and their
titles, in French, German, Spanish and Brazilian Portuguese."""

from __future__ import annotations

import pytest
from django.utils import translation

from scanner.language_names import language_list
from scanner.models import Event, Instance, Media, NotificationKind, ScanRun
from scanner.notify.rules import DubNews, RunOutcome, messages_for
from scanner.reports.dub_news_text import Swap, news_line, news_title
from scanner.searches.lost_dub_text import lost_dub_action_text

NBSP = "\u00a0"
NNBSP = "\u202f"  # French: a narrow no-break space before ";"


@pytest.mark.parametrize(
    ("ui", "arrived", "lost"),
    [
        ("fr", f"Nouveau doublage{NBSP}: allemand — Dark S02E01-E03",
         f"Doublage perdu{NBSP}: allemand — Dark S02E01-E03"),
        ("de", "Neue Synchronfassung: Deutsch — Dark S02E01-E03",
         "Synchronfassung verloren: Deutsch — Dark S02E01-E03"),
        ("es", "Nuevo doblaje: alemán — Dark S02E01-E03",
         "Doblaje perdido: alemán — Dark S02E01-E03"),
        ("pt-br", "Nova dublagem: alemão — Dark S02E01-E03",
         "Dublagem perdida: alemão — Dark S02E01-E03"),
    ],
)  # fmt: skip
def test_a_feed_title_names_the_language_on_its_own(ui: str, arrived: str, lost: str) -> None:
    with translation.override(ui):
        assert news_title("Dark", "deu", True, 2, [1, 2, 3]) == arrived
        assert news_title("Dark", "deu", False, 2, [3, 1, 2]) == lost


@pytest.mark.parametrize(
    ("ui", "complete", "lost", "movie"),
    [
        ("fr", f"Nouveau doublage{NBSP}: allemand — Dark, saison 2 (saison 2 désormais complète)",
         f"Doublage perdu{NBSP}: allemand — Dark, S01E04{NBSP}: a.mkv remplacé par b.mkv",
         f"Doublage perdu{NBSP}: français canadien — Amélie"),
        ("de", "Neue Synchronfassung: Deutsch — Dark, Staffel 2 (Staffel 2 jetzt vollständig)",
         "Synchronfassung verloren: Deutsch — Dark, S01E04: a.mkv ersetzt durch b.mkv",
         "Synchronfassung verloren: Französisch (Kanada) — Amélie"),
        ("es", "Nuevo doblaje: alemán — Dark, temporada 2 (temporada 2 ya completa)",
         "Doblaje perdido: alemán — Dark, S01E04: a.mkv sustituido por b.mkv",
         "Doblaje perdido: francés canadiense — Amélie"),
        ("pt-br", "Nova dublagem: alemão — Dark, temporada 2 (temporada 2 agora completa)",
         "Dublagem perdida: alemão — Dark, S01E04: a.mkv substituído por b.mkv",
         "Dublagem perdida: francês (Canadá) — Amélie"),
    ],
)  # fmt: skip
def test_a_notification_line_names_the_language_on_its_own(
    ui: str, complete: str, lost: str, movie: str
) -> None:
    with translation.override(ui):
        assert news_line("Dark", "deu", True, 2, [], season_complete=True) == complete
        assert news_line("Dark", "deu", False, 1, [4], swaps=[Swap("a.mkv", "b.mkv")]) == lost
        assert news_line("Amélie", "fr-CA", False, None, []) == movie


def _outcome(languages: list[str], items: int) -> RunOutcome:
    news = tuple(
        DubNews(NotificationKind.DUB_ARRIVED, code, f"{code} {item}", item, f"Show {item}")
        for item in range(1, items + 1)
        for code in languages
    )
    return RunOutcome(1, 1, "Serien", ScanRun.Status.SUCCEEDED, "", False, False, (), news)


@pytest.mark.parametrize(
    ("ui", "expected"),
    [
        ("fr", {(1, 1): f"Taggarr, Serien{NBSP}: nouveau doublage dans 1 élément{NBSP}: "
                        "allemand",
                (1, 2): f"Taggarr, Serien{NBSP}: nouveau doublage dans 2 éléments{NBSP}: "
                        "allemand",
                (2, 1): f"Taggarr, Serien{NBSP}: nouveaux doublages dans 1 élément{NBSP}: "
                        "allemand et français",
                (2, 2): f"Taggarr, Serien{NBSP}: nouveaux doublages dans 2 éléments{NBSP}: "
                        "allemand et français"}),
        ("de", {(1, 1): "Taggarr: neue Synchronfassung in 1 Eintrag von Serien: Deutsch",
                (1, 2): "Taggarr: neue Synchronfassung in 2 Einträgen von Serien: Deutsch",
                (2, 1): "Taggarr: neue Synchronfassungen in 1 Eintrag von Serien: "
                        "Deutsch und Französisch",
                (2, 2): "Taggarr: neue Synchronfassungen in 2 Einträgen von Serien: "
                        "Deutsch und Französisch"}),
        ("es", {(1, 1): "Taggarr: nuevo doblaje en 1 elemento de Serien: alemán",
                (1, 2): "Taggarr: nuevo doblaje en 2 elementos de Serien: alemán",
                (2, 1): "Taggarr: nuevos doblajes en 1 elemento de Serien: alemán y francés",
                (2, 2): "Taggarr: nuevos doblajes en 2 elementos de Serien: alemán y francés"}),
        ("pt-br", {(1, 1): "Taggarr: nova dublagem em 1 item de Serien: alemão",
                   (1, 2): "Taggarr: nova dublagem em 2 itens de Serien: alemão",
                   (2, 1): "Taggarr: novas dublagens em 1 item de Serien: alemão e francês",
                   (2, 2): "Taggarr: novas dublagens em 2 itens de Serien: alemão e francês"}),
    ],
)  # fmt: skip
def test_a_notification_title_agrees_with_its_list_and_its_count(
    ui: str, expected: dict[tuple[int, int], str]
) -> None:
    with translation.override(ui):
        for (languages, items), title in expected.items():
            outcome = _outcome(["deu", "fra"][:languages], items)
            (message,) = messages_for(outcome)
            assert message.title == title


@pytest.mark.parametrize(
    ("ui", "one", "two", "three"),
    [
        ("fr", "allemand", "allemand et français", "allemand, espagnol et français"),
        ("de", "Deutsch", "Deutsch und Französisch", "Deutsch, Französisch und Spanisch"),
        ("es", "alemán", "alemán y francés", "alemán, español y francés"),
        ("pt-br", "alemão", "alemão e francês", "alemão, espanhol e francês"),
    ],
)
def test_a_language_list_is_joined_as_the_reader_joins_a_list(
    ui: str, one: str, two: str, three: str
) -> None:
    with translation.override(ui):
        assert language_list(["deu"]) == one
        assert language_list(["fra", "deu", "ger"]) == two  # one name once, in order
        assert language_list(["spa", "fra", "deu"]) == three


def _lost(languages: list[str], outcome: str, releases: int = 0) -> str:
    event = Event(
        kind=Event.Kind.LOST_DUB_ACTION,
        instance=Instance(kind=Instance.Kind.SONARR),
        media=Media(title="Dark"),
        data={"languages": languages, "outcome": outcome, "episodes": [[1, 4]],
              "releases": [f"R{number}" for number in range(1, releases + 1)]},
    )  # fmt: skip
    return lost_dub_action_text(event)


@pytest.mark.parametrize(
    ("ui", "one", "two"),
    [
        ("fr", f"Dark{NBSP}: doublage perdu lors d'une mise à niveau (allemand){NNBSP}; ",
         f"Dark{NBSP}: doublages perdus lors d'une mise à niveau (allemand et français){NNBSP}; "),
        ("de", "Dark: Synchronfassung bei einem Upgrade verloren (Deutsch); ",
         "Dark: Synchronfassungen bei einem Upgrade verloren (Deutsch und Französisch); "),
        ("es", "Dark: doblaje perdido en una actualización (alemán); ",
         "Dark: doblajes perdidos en una actualización (alemán y francés); "),
        ("pt-br", "Dark: dublagem perdida em uma atualização (alemão); ",
         "Dark: dublagens perdidas em uma atualização (alemão e francês); "),
    ],
)  # fmt: skip
def test_a_lost_dub_names_its_languages_apart_and_agrees_with_them(
    ui: str, one: str, two: str
) -> None:
    with translation.override(ui):
        for outcome in ("searched", "pending", "marked_failed"):
            assert _lost(["deu"], outcome, releases=1).startswith(one)
            assert _lost(["deu", "fra"], outcome, releases=2).startswith(two)


@pytest.mark.parametrize(
    ("ui", "one", "two"),
    [
        ("fr", "sa version “R1” a été marquée en échec dans Sonarr, qui la met en liste noire",
         "ses versions “R1”, “R2” ont été marquées en échec dans Sonarr, qui les met en liste"),
        ("de", "das Release “R1” wurde in Sonarr als fehlgeschlagen markiert, das es auf die",
         "die Releases “R1”, “R2” wurden in Sonarr als fehlgeschlagen markiert, das sie auf"),
        ("es", "su lanzamiento “R1” se marcó como fallido en Sonarr, que lo bloquea",
         "sus lanzamientos “R1”, “R2” se marcaron como fallidos en Sonarr, que los bloquea"),
        ("pt-br", "o lançamento “R1” foi marcado como falha no Sonarr, que o bloqueia",
         "os lançamentos “R1”, “R2” foram marcados como falha no Sonarr, que os bloqueia"),
    ],
)  # fmt: skip
def test_a_marked_release_agrees_with_its_own_count(ui: str, one: str, two: str) -> None:
    """Two numbers, two choices: "dub" by the languages, "release" by the releases."""
    with translation.override(ui):
        for languages in (["deu"], ["deu", "fra"]):
            assert one in _lost(languages, "marked_failed", releases=1)
            assert two in _lost(languages, "marked_failed", releases=2)
