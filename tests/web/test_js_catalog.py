"""The scripts' words in the reader's language: Django's JavaScriptCatalog
(django/views/i18n.py) serves locale/<lang>/LC_MESSAGES/djangojs.mo as a script file,
loaded by <script src> (no inline script under the CSP), to staff only."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import InstanceFactory

pytestmark = pytest.mark.django_db

CATALOG = "/admin/jsi18n/taggarr/"


def test_the_catalog_speaks_the_readers_language(admin_client: Client) -> None:
    german = admin_client.get(CATALOG, headers={"accept-language": "de"})
    assert german.status_code == 200
    assert german["Content-Type"].startswith("text/javascript")
    assert "Verbindung testen" in german.content.decode()
    assert "no-cache" in german["Cache-Control"]  # a switched language shows at once
    french = admin_client.get(CATALOG, headers={"accept-language": "fr"}).content.decode()
    assert "Tester la connexion" in french


def test_only_staff_read_it(client: Client) -> None:
    answer = client.get(CATALOG)
    assert answer.status_code == 302
    assert "/admin/login/" in answer["Location"]


def test_the_instance_form_loads_it_before_its_script(admin_client: Client) -> None:
    instance = InstanceFactory()
    html = admin_client.get(f"/admin/scanner/instance/{instance.pk}/change/").content.decode()
    catalog = html.index(f'<script src="{CATALOG}"></script>')
    assert catalog < html.index("taggarr/instance-form.js")
