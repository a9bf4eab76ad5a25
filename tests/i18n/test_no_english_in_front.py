"""No English in front of a reader (issue 71, Deliver 4 and 5): the pages a German or
French reader opened in the walk-through, rendered by Django's test client in their
language, with the English that was there before (a stored code, a field's name, a
refusal) absent and their own words present. The API's side: tests/api/test_reader_language.py."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from accounts.models import Profile
from scanner.history.event_text import changes_text
from scanner.models import FeedToken, Instance, MediaServer, ScanRun
from scanner.reports.progress import summary_lines
from tests.factories import InstanceFactory, MediaFactory, ScanRunFactory

pytestmark = pytest.mark.django_db


def _page(client: Client, url: str, reader: str, **post: str) -> str:
    """``url`` as a reader of the language ``reader`` gets it (the switcher's cookie)."""
    client.cookies["django_language"] = reader
    with translation.override("en"):  # the middleware's language ends with the request
        answer = client.post(url, post, follow=True) if post else client.get(url)
    assert answer.status_code == 200
    return answer.content.decode()


@pytest.mark.parametrize(
    ("code", "source"),
    [("files", Instance.AudioSource.FILES), ("hybrid", Instance.AudioSource.HYBRID),
     ("arr", Instance.AudioSource.ARR)],
)  # fmt: skip
def test_the_run_page_names_its_audio_source_as_the_instance_form_does(
    admin_client: Client, code: str, source: Instance.AudioSource
) -> None:
    """Before: ``Audio languages from | files`` (the stored code) on every reader's page."""
    run = ScanRunFactory(status=ScanRun.Status.SUCCEEDED, audio_source=code, summary={"listed": 1})
    html = _page(admin_client, f"/admin/scanner/scanrun/{run.pk}/change/", "de")
    with translation.override("de"):
        label, shown = gettext("Audio languages from"), str(source.label)
        rows = dict(summary_lines(run))
    assert rows[label] == shown and shown != code
    assert f'<th scope="row">{label}</th><td>{shown}</td>' in html.replace("&#x27;", "'")
    assert f"<td>{code}</td>" not in html


def test_a_media_servers_token_is_headed_in_the_readers_words(admin_client: Client) -> None:
    """Before: "Token hint", the property's name, headed the list and the form."""
    server = MediaServer(name="jf", url="http://jellyfin:8096")
    server.set_token("a-token-of-the-server-1234")
    server.save()
    for url in ("/admin/scanner/mediaserver/", f"/admin/scanner/mediaserver/{server.pk}/change/"):
        html = _page(admin_client, url, "fr")
        assert "Token hint" not in html and "token hint" not in html.lower()
        assert "Jeton enregistré" in html and "****1234" in html


@pytest.mark.parametrize(
    ("language", "writing", "health"),
    [("fr", "Écriture des étiquettes", "Santé"), ("es", "Escritura de etiquetas", "Salud"),
     ("it", "Scrittura dei tag", "Salute"), ("nl", "Tags schrijven", "Gezondheid"),
     ("pl", "Zapis tagów", "Zdrowie"), ("pt-br", "Escrita de tags", "Integridade"),
     ("de", "Tags schreiben", "Gesundheit")],
)  # fmt: skip
def test_the_instance_lists_columns_have_headings_of_their_own(
    admin_client: Client, language: str, writing: str, health: str
) -> None:
    """Before: "état" and "état" (stato, estado, status, stan) over two columns; the
    health column is Sonarr's own "Health" (System → Health) in each language."""
    InstanceFactory(name="tv")
    html = _page(admin_client, "/admin/scanner/instance/", language)
    state, health_column = (
        html.split('class="sortable column-state">')[1],
        html.split('class="column-health">')[1],
    )
    assert f">{writing}</a>" in state.split("</th>")[0]
    assert f"<span>{health}</span>" in health_column.split("</th>")[0]
    assert writing.lower() != health.lower()


@pytest.mark.parametrize(
    ("language", "refusal"),
    [("de", "unbekannte Sprache „VFX“: vielleicht Französisch (fr)?"),
     ("fr", "langue inconnue «\u00a0VFX\u00a0»\u00a0: vouliez-vous dire français (fr)\u202f?"),
     ("es", "idioma desconocido «VFX»: ¿quisiste decir francés (fr)?"),
     ("pt-br", "idioma desconhecido “VFX”: você quis dizer francês (fr)?")],
)  # fmt: skip
def test_a_typed_language_refused_is_told_with_its_nearest_language(
    admin_client: Client, language: str, refusal: str
) -> None:
    """Before: "unknown language 'VFQ': give a code…" (its quotes English, no hint) where a
    language (not a target) is typed. VFQ, Quebec French's word, is now read as French
    (issue 79: one reader); VFX, near it and VFF, is refused with French offered."""
    media = MediaFactory(
        review_reasons=[{"code": "unknown_first_track", "reason": "r", "files": ["a.mkv"]}],
        needs_review=True,
    )
    html = _page(
        admin_client, "/admin/guesses/", language,
        media=str(media.pk), decision="unknown", language="VFX",
    )  # fmt: skip
    assert refusal in html.replace("&#x27;", "'").replace("&quot;", '"')
    assert "unknown language" not in html


@pytest.mark.parametrize(("saved", "browser", "expected"), [("pl", "fr", "pl"), ("", "de", "de")])
def test_a_feed_made_without_a_language_speaks_its_makers(
    admin_client: Client, saved: str, browser: str, expected: str
) -> None:
    """Before: a feed made without choosing was in English (TAGGARR_LANGUAGE) whoever
    made it; now in its maker's saved language, else the one they read the page in."""
    user = User.objects.get(username="admin")
    if saved:
        Profile.objects.create(user=user, language=saved)
        admin_client.force_login(user)  # the saved language is read at sign-in
    _page(admin_client, "/admin/scanner/feedtoken/add/", browser, name="reader", instance="")
    assert FeedToken.objects.get().language == expected
    # A language chosen is kept; a feed made before keeps its own (none: the default).
    _page(
        admin_client, "/admin/scanner/feedtoken/add/", browser,
        name="chosen", instance="", language="it",
    )  # fmt: skip
    assert FeedToken.objects.get(name="chosen").language == "it"


def test_a_changed_audio_source_is_told_by_its_labels() -> None:
    """Before: "… from files to hybrid" (the stored codes) in an instance's history."""
    with translation.override("fr"):
        told = changes_text({"audio_source": ["files", "hybrid"]})
        expected = gettext("%(setting)s from %(old)s to %(new)s") % {
            "setting": Instance._meta.get_field("audio_source").verbose_name,
            "old": Instance.AudioSource.FILES.label,
            "new": Instance.AudioSource.HYBRID.label,
        }
    assert told == expected and "files" not in told
