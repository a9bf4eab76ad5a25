"""Issue 94, item 2: the instance form reads an original language as people type it (a
name in the reader's language or in English, a code, a variety's word), refuses what it
cannot read with the nearest names, never cuts it to three characters; a library folder's
form shows none of what only an *arr has."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from scanner.models import Instance
from tests.factories import InstanceFactory
from tests.typed_languages import TYPED_ORIGINAL_LANGUAGES
from tests.web.admin.test_instance_admin import ADD_URL, _form

pytestmark = pytest.mark.django_db


def _change(instance: Instance) -> str:
    return f"/admin/scanner/instance/{instance.pk}/change/"


def _library(**fields: Any) -> Instance:
    return InstanceFactory(
        kind=Instance.Kind.LIBRARY, url="", root_folders=["/media/films"], **fields
    )


def _errors(html: str, field: str) -> str:
    """The error list shown above a field's row."""
    row = html.split(f"field-{field}", 1)[1].split("</div>", 3)
    return " ".join(row[:3])


@pytest.mark.parametrize(("typed", "reader", "stored"), TYPED_ORIGINAL_LANGUAGES)
def test_the_original_language_is_read_as_people_type_it(
    admin_client: Client, typed: str, reader: str, stored: str
) -> None:
    folder = _library()
    response = admin_client.post(
        _change(folder),
        _form(kind="library", original_language=typed, api_key=""),
        HTTP_ACCEPT_LANGUAGE=reader,
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    folder.refresh_from_db()
    assert folder.original_language == stored


def test_the_form_takes_a_name_longer_than_the_column(admin_client: Client) -> None:
    """No maxlength of three: the browser would cut "anglais" to "ang" (Old English)."""
    html = admin_client.get(_change(_library(original_language="eng"))).content.decode()
    field = re.search(r'<input[^>]*name="original_language"[^>]*>', html)
    assert field is not None
    assert 'maxlength="3"' not in field[0] and 'value="en"' in field[0]  # shown as typed


def test_an_unreadable_language_is_refused_with_the_nearest_names(admin_client: Client) -> None:
    folder = _library(original_language="jpn")
    response = admin_client.post(
        _change(folder),
        _form(kind="library", original_language="angalis", api_key=""),
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 200  # the form again, with its error
    said = _errors(response.content.decode(), "original_language")
    assert "langue inconnue" in said and "anglais (en)" in said, said
    folder.refresh_from_db()
    assert folder.original_language == "jpn"  # nothing saved


def test_a_value_near_no_name_is_refused_and_nothing_is_made(admin_client: Client) -> None:
    response = admin_client.post(
        ADD_URL,
        _form(kind="library", name="films", original_language="xyzzy", api_key="", url=""),
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 200
    said = _errors(response.content.decode(), "original_language")
    assert "unbekannte Sprache" in said and "xyzzy" in said, said
    assert not Instance.objects.filter(name="films").exists()


ARR_ONLY = (
    'name="url"', 'name="api_key"', 'name="wish_profiles"', 'name="wish_profiles_return"',
    'name="path_mappings"', 'name="search_daily_limit"', 'name="refresh_after_write"',
)  # fmt: skip


def test_a_library_folder_shows_nothing_only_an_arr_has(admin_client: Client) -> None:
    folder = _library(first_scan_at=None)
    html = admin_client.get(_change(folder)).content.decode()
    assert 'name="root_folders"' in html and 'name="original_language"' in html
    for field in ARR_ONLY:
        assert field not in html, field
    assert "Quality profile of each wish" not in html and "*arr" not in _steps(html)
    sonarr = admin_client.get(_change(InstanceFactory(first_scan_at=None))).content.decode()
    for field in ARR_ONLY:
        assert field in sonarr, field
    assert "Quality profile of each wish" in sonarr and "*arr" in _steps(sonarr)


def test_a_library_folder_saves_without_what_it_does_not_show(admin_client: Client) -> None:
    folder = _library(target_languages=["eng"])
    form = {k: v for k, v in _form(kind="library", api_key="").items() if k not in ("url",)}
    response = admin_client.post(_change(folder), {**form, "target_languages": "en, fr"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    folder.refresh_from_db()
    assert folder.target_languages == ["eng", "fra"] and folder.url == ""
    assert folder.path_mappings == []  # posted, but not a library folder's: left alone


def test_a_library_folder_turned_into_a_sonarr_is_asked_its_url(admin_client: Client) -> None:
    """The kind posted decides the form: the URL and the key come back, with their errors."""
    folder = _library()
    response = admin_client.post(
        _change(folder), _form(kind="sonarr", url="", api_key=""), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="url"' in html and 'name="api_key"' in html
    folder.refresh_from_db()
    assert folder.kind == Instance.Kind.LIBRARY


def test_a_new_form_has_both_kinds_steps_the_library_one_hidden(admin_client: Client) -> None:
    html = admin_client.get(ADD_URL).content.decode()
    assert re.search(r'id="setup-steps" data-steps="arr" aria-label', html)
    assert re.search(r'id="other-setup-steps" data-steps="library" hidden', html)
    hidden_by_script = re.search(r'data-arr-only="([^"]*)"', html)
    assert hidden_by_script is not None
    assert {"url", "api_key", "wish_profiles"} <= set(hidden_by_script[1].split())
    assert "root_folders" not in hidden_by_script[1]
    posted = admin_client.post(ADD_URL, _form(kind="library", url="", api_key="", name="films"))
    assert posted.status_code == 302  # a library folder needs no URL nor key
    again = admin_client.post(ADD_URL, _form(kind="library", name="x", target_languages=""))
    shown = again.content.decode()
    assert re.search(r'id="setup-steps" data-steps="library" aria-label', shown)
    assert 'name="api_key"' not in shown


def _steps(html: str) -> str:
    return html.split('id="setup-steps"', 1)[1].split("</ol>", 1)[0]
