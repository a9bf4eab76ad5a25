"""The media list's filter of original languages (scanner.reports.original_languages):
each code once, the empty one left out, found by index steps, one per code, not by a
pass over every item (issue 69)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scanner.reports.original_languages import original_languages
from tests.factories import InstanceFactory, MediaFactory

pytestmark = pytest.mark.django_db


def test_each_code_once_and_not_the_empty_one() -> None:
    tv, films = InstanceFactory(name="tv"), InstanceFactory(name="films")
    for code in ("jpn", "eng", "", "jpn", "kor", "eng", ""):
        MediaFactory(instance=tv, original_language=code)
    MediaFactory(instance=films, original_language="deu")

    assert original_languages() == ["deu", "eng", "jpn", "kor"]


def test_none_when_no_item_has_one() -> None:
    MediaFactory(original_language="")
    assert original_languages() == []


def test_one_statement_that_steps_through_the_index() -> None:
    for code in ("jpn", "eng", "kor"):
        MediaFactory(original_language=code)
    with CaptureQueriesContext(connection) as queries:
        assert original_languages() == ["eng", "jpn", "kor"]
    (statement,) = queries.captured_queries
    assert "WITH RECURSIVE" in statement["sql"]
    assert "DISTINCT" not in statement["sql"]


def test_the_media_list_offers_them(admin_client) -> None:
    MediaFactory(title="Bleach", original_language="jpn")
    MediaFactory(title="Dark", original_language="deu")
    html = admin_client.get("/admin/scanner/media/").content.decode()
    assert 'href="?original_language__exact=jpn"' in html
    assert 'href="?original_language__exact=deu"' in html
