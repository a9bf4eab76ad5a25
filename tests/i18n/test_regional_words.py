"""The two varieties read their own words (issue 96, "Native at nine", item 1): the main
admin pages, rendered by Django's test client for a Quebecer (fr-ca) and a Latin
American (es-419), hold none of France's or Spain's words below, each with where the
usage comes from. Django's own admin words are among them: the Latin-American catalog
says them again over Django's Mexican and Argentinian ones ("Todos/as", "Historia",
"Agregar link"), docs/languages.md, "Varieties"."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import formats, translation

from scanner.models import ScanRun
from tests.factories import InstanceFactory, MediaFactory, ScanRunFactory

pytestmark = pytest.mark.django_db

MONTHS = (
    "Enero|Febrero|Marzo|Abril|Mayo|Junio|Julio|Agosto|Septiembre|Setiembre|Octubre|"
    "Noviembre|Diciembre"
)
# Spain's words a Latin American reads otherwise (RAE and ASALE, Diccionario panhispánico
# de dudas, "DPD"; Ortografía de la lengua española, 2010, "OLE").
SPAIN_ONLY = {
    r"\bordenador": "DPD, 'computadora': América says computadora",
    r"\bmóvil(es)?\b": "DPD, 'celular': the phone is a celular in América",
    r"\bvale\b": "Spain's colloquial 'OK' (DPD, 'vale'); Latin America's interfaces: 'OK'",
    r"\b[Ii]ntroduc(e|ir|irla|zca)\b": "data is 'ingresado' in América (DPD, 'ingresar')",
    r"\bHistoria\b": "a record's changes are its 'historial' (DPD, 'historial')",
    r"\w/as?\b": "'Todos/as', both genders spelt: DPD, 'barra', 2.4; no interface writes it",
    r"\blink\b": "DPD, 'link': 'enlace' or 'vínculo'",
    r"\bclick\b": "DPD, 'clic': the Spanish spelling",
    r"\b[Aa]ñad(ir|e|ió|ido|ida)\b": "Latin America's 'agregar' (docs/languages.md, Varieties)",
    r"\brellena\b": "Latin America's 'completa' (docs/languages.md, Varieties)",
    rf"\d de ({MONTHS})\b": "OLE 4.2.4.8: month names are written lowercase",
    "Reproducir pista de audio predeterminado": "Spain's Jellyfin label, not its es_419 one",
}
# France's words a Quebecer writes otherwise (Office québécois de la langue française,
# Banque de dépannage linguistique, "BDL"; Jellyfin's fr-ca catalog).
FRANCE_ONLY = {
    r"\be-?mails?\b": "BDL, 'courriel': Quebec's word for e-mail and mail",
    r"\bmails?\b": "BDL, 'courriel'",
    r"\bweek-?ends?\b": "BDL, 'fin de semaine'",
    r"\bparkings?\b": "BDL, 'stationnement'",
    r"\bshopping\b": "BDL, 'magasinage'",
    r"\bsmartphones?\b": "BDL and Grand dictionnaire terminologique, 'téléphone intelligent'",
    r"\bchat\b|\btchat\b": "BDL, 'clavardage'",
    r"\bIdentifiants incorrects\b": "Quebec's interfaces name the 'nom d'utilisateur'",
    r"\badresse électronique\b": "BDL, 'courriel': 'adresse courriel' in Quebec's interfaces",
    "quelle que soit la langue": "France's Jellyfin label; Jellyfin's fr-ca one is quoted",
}


def _pages(instance_pk: int, group_pk: int) -> list[str]:
    return [
        "/admin/",  # the library (the media list) once the first tags are applied
        "/admin/all/",  # the home's list of every page
        "/admin/scanner/instance/",
        "/admin/scanner/instance/add/",
        "/admin/scanner/media/",
        "/admin/scanner/scanrun/",
        "/admin/changes/",
        f"/admin/scanner/instance/{instance_pk}/delete/",
        f"/admin/scanner/instance/{instance_pk}/history/",
        "/admin/auth/group/",
        f"/admin/auth/group/{group_pk}/change/",
    ]


def _text(client: Client, url: str, reader: str) -> str:
    """The words a reader sees on ``url``: its text and its attributes' labels."""
    client.cookies["django_language"] = reader
    with translation.override("en"):  # the middleware's language ends with the request
        answer = client.get(url, follow=True)
    assert answer.status_code == 200, url
    page = re.sub(r"(?s)<script.*?</script>|<style.*?</style>", " ", answer.content.decode())
    labels = " ".join(re.findall(r'(?:title|aria-label|placeholder)="([^"]*)"', page))
    return html.unescape(re.sub(r"<[^>]+>", "\n", page) + "\n" + labels)


@pytest.fixture
def library() -> tuple[int, int]:
    """An instance whose first tags were applied (the home is the library, not the
    guide), an item and a run of it, and a group."""
    instance = InstanceFactory(name="tv")
    MediaFactory(instance=instance)
    ScanRunFactory(instance=instance, mode="apply", status="succeeded")
    return instance.pk, Group.objects.create(name="family").pk


def _found(text: str, words: dict[str, str]) -> list[str]:
    return [
        f"{match.group(0)!r} ({why})"
        for pattern, why in words.items()
        for match in re.finditer(pattern, text)
    ]


@pytest.mark.parametrize(("reader", "words"), [("es-419", SPAIN_ONLY), ("fr-ca", FRANCE_ONLY)])
def test_the_main_pages_hold_no_word_of_the_other_side_of_the_ocean(
    admin_client: Client, library: tuple[int, int], reader: str, words: dict[str, str]
) -> None:
    found = {
        url: hits
        for url in _pages(*library)
        if (hits := _found(_text(admin_client, url, reader), words))
    }
    assert found == {}


def test_a_latin_american_question_opens_with_its_mark(
    admin_client: Client, library: tuple[int, int]
) -> None:
    """OLE 3.4.3: Spanish opens a question with "¿" (es_MX's admin: "Eliminar?")."""
    unopened = {}
    for url in _pages(*library):
        lines = _text(admin_client, url, "es-419").splitlines()
        bad = [line for line in lines if "?" in line and "¿" not in line.split("?")[0]]
        if bad:
            unopened[url] = bad
    assert unopened == {}


def test_the_latin_american_pages_say_their_own_words(
    admin_client: Client, library: tuple[int, int]
) -> None:
    instance_pk, _ = library
    history = _text(admin_client, f"/admin/scanner/instance/{instance_pk}/history/", "es-419")
    assert "Historial de cambios: tv" in history
    items = _text(admin_client, "/admin/scanner/media/", "es-419")
    assert "Todos" in items and "0 de 1 seleccionados" in items
    add = _text(admin_client, "/admin/scanner/instance/add/", "es-419")
    assert "Reproducir la pista de audio por defecto independientemente del idioma" in add


def test_a_quebecer_reads_jellyfins_quebec_label(admin_client: Client) -> None:
    """Jellyfin's fr-ca catalog: jellyfin-web src/strings/fr-ca.json, LabelPlayDefaultAudioTrack."""
    add = _text(admin_client, "/admin/scanner/instance/add/", "fr-ca")
    assert "Lire la piste audio par défaut peu importe la langue" in add
    assert "Utiliser le flux audio par défaut" not in add
    france = _text(admin_client, "/admin/scanner/instance/add/", "fr")
    assert "Utiliser le flux audio par défaut quelle que soit la langue" in france  # fr's own


def test_the_latin_american_scripts_catalog_has_no_doubled_gender(admin_client: Client) -> None:
    """The admin's JavaScript (selectors, calendar): es_AR's "seleccionados/as", "setiembre"."""
    catalog = _text(admin_client, "/admin/jsi18n/", "es-419")
    assert "seleccionados" in catalog
    assert not re.findall(r"\w/as?\b", catalog)
    assert "setiembre" not in catalog and '"septiembre"' in catalog


def test_a_latin_american_date_writes_its_month_lowercase(admin_client: Client) -> None:
    """OLE 4.2.4.8 (month names are common nouns); Django's es_MX wrote "28 de Noviembre"."""
    day = datetime.date(2026, 11, 28)
    with translation.override("es-419"):
        assert formats.date_format(day, "DATE_FORMAT") == "28 de noviembre de 2026"
        assert formats.date_format(day, "YEAR_MONTH_FORMAT") == "noviembre de 2026"
    when = datetime.datetime(2026, 11, 28, 12, 0, tzinfo=datetime.UTC)
    run = ScanRunFactory(status=ScanRun.Status.SUCCEEDED, started_at=when, finished_at=when)
    ScanRun.objects.filter(pk=run.pk).update(created_at=when)  # the list shows it
    runs = _text(admin_client, "/admin/scanner/scanrun/", "es-419")
    assert "28 de noviembre de 2026" in runs and "Noviembre" not in runs
