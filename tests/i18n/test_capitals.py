"""A label starts with a capital in every language (issue 96: "langues :" on the
instance form, beside Django's own capitalised labels): the form labels and the column
titles of the pages a user fills in, rendered by Django's test client in each language.
A model's verbose names are written lowercase (Django's convention: it capitalises them
where they open a label); a label Taggarr gives itself must be written capitalised."""

from __future__ import annotations

import html
import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from tests.factories import InstanceFactory, MediaFactory, ScanRunFactory

pytestmark = pytest.mark.django_db

PAGES = (
    "/admin/setup/",
    "/admin/scanner/instance/add/",
    "/admin/scanner/instance/",
    "/admin/scanner/media/",
    "/admin/scanner/scanrun/",
    "/admin/scanner/person/add/",
    "/admin/scanner/notifier/add/",
    "/admin/scanner/mediaserver/add/",
    "/admin/scanner/seerrconnection/add/",
    "/admin/changes/",
)
READERS = [code for code, _ in settings.LANGUAGES if code != "en"]
LABEL = re.compile(r"(?s)<label\b[^>]*>(.*?)</label>|<th\b[^>]*>(.*?)</th>")


def lowercase_labels(page: str) -> list[str]:
    """The labels and column titles of a page whose first letter is lowercase."""
    found = []
    for match in LABEL.finditer(page):
        if "<input" in (match.group(1) or ""):
            continue  # a choice beside its box: the choice's own words, as English has them
        text = html.unescape(re.sub(r"<[^>]+>", " ", match.group(1) or match.group(2)))
        text = " ".join(text.split())
        first = re.search(r"[^\W\d_]", text)
        # A name written as its owner writes it (iOS, mkvpropedit, *arr) opens no label.
        if first and first.group().islower() and not re.match(r"[*\w]*arr\b|i[A-Z]", text):
            found.append(text)
    return found


@pytest.mark.parametrize("reader", READERS)
def test_every_label_starts_with_a_capital(admin_client: Client, reader: str) -> None:
    instance = InstanceFactory(name="Series")
    MediaFactory(instance=instance)
    ScanRunFactory(instance=instance, mode="apply", status="succeeded")
    admin_client.cookies["django_language"] = reader
    found = {}
    for url in PAGES:
        with translation.override("en"):
            answer = admin_client.get(url, follow=True)
        assert answer.status_code == 200, url
        if lowered := lowercase_labels(answer.content.decode()):
            found[url] = lowered
    assert found == {}


def test_the_check_finds_a_lowercase_label() -> None:
    page = (
        '<label for="id_x">langues :</label><th scope="col"><a>Nom</a></th><label>*arr</label>'
        '<label for="id_e_0"><input type="checkbox" id="id_e_0"> une analyse a échoué</label>'
    )
    assert lowercase_labels(page) == ["langues :"]
