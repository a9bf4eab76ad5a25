"""Lists read in a sentence (issue 71): an item's wanted languages, its own targets and a
run's problems are joined by the reader's list pattern (CLDR, Babel's ``format_list``:
"A, B et C", "A, B und C", "A, B y C", "A, B e C"), never by a comma of our own; the
noun before the list follows its length (ngettext), and the languages stand after a
colon, where no article or case is needed. Rendered through the real catalogs."""

from __future__ import annotations

import pytest
from django.utils import translation

from scanner.history.event_text import event_message, value_text
from scanner.history.wanted_text import wanted_text
from scanner.models import Event, Instance, Media, NotificationKind
from scanner.notify.dispatch import trial_body
from scanner.reports.event_sentences import problem_texts, spoken_list
from web.admin.wanted import wanted_note

NBSP = "\u00a0"
ONE, TWO, THREE = ["deu"], ["fra", "deu"], ["jpn", "deu", "fra"]
BY = {"fr": " par alice", "de": " von alice", "es": " por alice", "pt-br": " por alice"}


@pytest.mark.parametrize(
    ("ui", "said"),
    [
        ("fr", [f"Dark{NBSP}: langue voulue fixée par alice{NBSP}: allemand",
                f"Dark{NBSP}: langues voulues fixées par alice{NBSP}: allemand et français",
                f"Dark{NBSP}: langues voulues fixées par alice{NBSP}: "
                "allemand, français et japonais"]),
        ("de", ["Dark: gewünschte Sprache von alice festgelegt: Deutsch",
                "Dark: gewünschte Sprachen von alice festgelegt: Deutsch und Französisch",
                "Dark: gewünschte Sprachen von alice festgelegt: "
                "Deutsch, Französisch und Japanisch"]),
        ("es", ["Dark: idioma deseado fijado por alice: alemán",
                "Dark: idiomas deseados fijados por alice: alemán y francés",
                "Dark: idiomas deseados fijados por alice: alemán, francés y japonés"]),
        ("pt-br", ["Dark: idioma desejado definido por alice: alemão",
                   "Dark: idiomas desejados definidos por alice: alemão e francês",
                   "Dark: idiomas desejados definidos por alice: alemão, francês e japonês"]),
    ],
)  # fmt: skip
def test_the_wanted_languages_event(ui: str, said: list[str]) -> None:
    event = Event(media=Media(title="Dark"))
    with translation.override(ui):
        told = [
            wanted_text(event, {"wanted_languages": codes}, BY[ui]) for codes in (ONE, TWO, THREE)
        ]
    assert told == said


@pytest.mark.parametrize(
    ("ui", "said"),
    [
        ("fr", [f"langue cible propre{NBSP}: allemand",
                f"langues cibles propres{NBSP}: allemand et français",
                f"langues cibles propres{NBSP}: allemand, français et japonais"]),
        ("de", ["eigene Zielsprache: Deutsch", "eigene Zielsprachen: Deutsch und Französisch",
                "eigene Zielsprachen: Deutsch, Französisch und Japanisch"]),
        ("es", ["idioma objetivo propio: alemán", "idiomas objetivo propios: alemán y francés",
                "idiomas objetivo propios: alemán, francés y japonés"]),
        ("pt-br", ["idioma-alvo próprio: alemão", "idiomas-alvo próprios: alemão e francês",
                   "idiomas-alvo próprios: alemão, francês e japonês"]),
    ],
)  # fmt: skip
def test_the_own_targets_note(ui: str, said: list[str]) -> None:
    with translation.override(ui):
        told = [
            wanted_note(Media(wanted="own", wanted_targets=codes)) for codes in (ONE, TWO, THREE)
        ]
    assert told == said


PROBLEMS = {"tag_writes_failed": [1, 3], "nfo_failed": 2, "media_servers": ["Plex"]}


@pytest.mark.parametrize(
    ("ui", "said"),
    [
        ("fr", ["2 NFO n'ont pas pu être écrits",
                "1 écriture d'étiquettes a échoué et 2 NFO n'ont pas pu être écrits",
                "1 écriture d'étiquettes a échoué, 2 NFO n'ont pas pu être écrits et "
                "des écritures sur le serveur multimédia Plex ont échoué "
                "(voir la page de l'analyse)"]),
        ("de", ["2 NFOs konnten nicht geschrieben werden",
                "1 Tag-Schreibvorgang fehlgeschlagen und "
                "2 NFOs konnten nicht geschrieben werden",
                "1 Tag-Schreibvorgang fehlgeschlagen, 2 NFOs konnten nicht geschrieben "
                "werden und Schreibvorgänge auf dem Medienserver Plex sind fehlgeschlagen "
                "(siehe die Seite des Scans)"]),
        ("es", ["2 NFO no se pudieron escribir",
                "1 escritura de etiquetas falló y 2 NFO no se pudieron escribir",
                "1 escritura de etiquetas falló, 2 NFO no se pudieron escribir y "
                "fallaron las escrituras en el servidor multimedia Plex "
                "(ver la página del escaneo)"]),
        ("pt-br", ["2 NFOs não puderam ser escritos",
                   "1 gravação de tags falhou e 2 NFOs não puderam ser escritos",
                   "1 gravação de tags falhou, 2 NFOs não puderam ser escritos e "
                   "as gravações no servidor de mídia Plex falharam "
                   "(veja a página da verificação)"]),
    ],
)  # fmt: skip
def test_a_runs_problems_as_one_list(ui: str, said: list[str]) -> None:
    """The clauses joined as the language joins a list: no "; " of ours in any language."""
    cases = [{"nfo_failed": 2}, {k: PROBLEMS[k] for k in ("tag_writes_failed", "nfo_failed")}]
    with translation.override(ui):
        told = [spoken_list(problem_texts(case)) for case in [*cases, PROBLEMS]]
    assert told == said


@pytest.mark.parametrize(
    ("ui", "said"),
    [
        ("fr", f"La notification «{NBSP}Home{NBSP}» fonctionne. Elle vous prévient de "
               f"ces événements{NBSP}: une analyse a échoué ou s'est terminée partiellement "
               "et des éléments sont devenus wrong-dub."),
        ("de", "Benachrichtigung „Home“ funktioniert. Sie meldet diese Ereignisse: "
               "fehlgeschlagene oder nur teilweise beendete Scans und zu wrong-dub "
               "gewordene Einträge."),
        ("es", "La notificación «Home» funciona. Te avisará de estos eventos: un escaneo "
               "falló o terminó parcialmente y elementos pasaron a wrong-dub."),
        ("pt-br", 'A notificação “Home” funciona. Ela avisará sobre estes eventos: uma '
                  "verificação falhou ou terminou parcialmente e itens passaram a wrong-dub."),
    ],
)  # fmt: skip
def test_a_notifiers_test_message_lists_its_events_after_a_colon(ui: str, said: str) -> None:
    """The events' labels (a clause in French, a noun phrase in German) after a colon,
    never dropped into a "when ..." clause of ours; "event" follows their number."""
    labels = dict(NotificationKind.choices)
    with translation.override(ui):
        kinds = [str(labels[kind]) for kind in ("scan_failed", "wrong_dub")]
        one, two = trial_body("Home", kinds[:1]), trial_body("Home", kinds)
        three = trial_body("Home", [*kinds, kinds[0]])
    assert two == said
    assert one.count(kinds[0]) == 1 and kinds[1] not in one and one != two.replace(kinds[1], "")
    assert three.count(kinds[0]) == 2 and three.count(kinds[1]) == 1


@pytest.mark.parametrize(
    ("ui", "said"),
    [
        ("fr", ["allemand", "allemand et français", "allemand, français et japonais"]),
        ("de", ["Deutsch", "Deutsch und Französisch", "Deutsch, Französisch und Japanisch"]),
        ("es", ["alemán", "alemán y francés", "alemán, francés y japonés"]),
        ("pt-br", ["alemão", "alemão e francês", "alemão, francês e japonês"]),
    ],
)
def test_a_settings_change_lists_its_languages(ui: str, said: list[str]) -> None:
    """An instance's target languages "from ... to ..." in the history: the list pattern,
    in the order they were set."""
    with translation.override(ui):
        told = [
            value_text(codes, languages=True)
            for codes in (["deu"], ["deu", "fra"], ["deu", "fra", "jpn"])
        ]
    assert told == said


@pytest.mark.parametrize(
    ("ui", "one", "three"),
    [
        ("fr", f"Instance tv modifiée par ops{NBSP}: langues cibles{NBSP}: de anglais à anglais "
               f"et allemand\u202f; autre réglage modifié{NBSP}: Clé API",
         "autres réglages modifiés\u00a0: Clé API, URL et nom"),
        ("de", "Instanz tv geändert von ops: Zielsprachen von Englisch zu Englisch und Deutsch; "
               "weitere geänderte Einstellung: API-Schlüssel",
         "weitere geänderte Einstellungen: API-Schlüssel, URL und Name"),
        ("es", "Instancia tv cambiada por ops: idiomas objetivo de inglés a inglés y alemán; "
               "otro ajuste cambiado: Clave API",
         "otros ajustes cambiados: Clave API, URL y nombre"),
        ("pt-br", "Instância tv alterada por ops: idiomas-alvo de inglês para inglês e alemão; "
                  "outra configuração alterada: Chave de API",
         "outras configurações alteradas: Chave de API, URL e nome"),
    ],
)  # fmt: skip
def test_an_instances_other_settings_after_a_colon(ui: str, one: str, three: str) -> None:
    """No "%(settings)s changed" whose participle cannot agree with every label's gender
    ("Clé API modifiés"): "setting" by the number of settings, the labels after a colon."""
    changes = {"target_languages": [["eng"], ["eng", "deu"]]}

    def told(fields: list[str]) -> str:
        data = {"fields": ["target_languages", *fields], "user": "ops", "via": "admin",
                "changes": changes}  # fmt: skip
        return event_message(Event(kind="config", instance=Instance(name="tv"), data=data))

    with translation.override(ui):
        assert told(["api_key"]) == one
        assert told(["api_key", "url", "name"]).endswith(three)
