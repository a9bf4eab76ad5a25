"""Every form label of the admin starts with a capital, as Django's own do (it capfirsts
a model field's verbose name: django/db/models/fields/__init__.py, Field.formfield), in
any language: a field declared on a form keeps the label it is given ("langues :" read
lowercase on the notifier's form)."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import NoReverseMatch, reverse

pytestmark = pytest.mark.django_db

# A field's label, or a group of inputs' legend (Django's fieldset for a multi-input widget).
LABEL = re.compile(r"<(?:label|legend)[^>]*>([^<]+)</(?:label|legend)>")


def _add_pages() -> list[str]:
    import taggarr.urls  # noqa: F401 - the admin registers its models as the URLs load

    pages = []
    for model in admin.site._registry:
        try:
            pages.append(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add"))
        except NoReverseMatch:
            continue
    return sorted(pages)


@pytest.mark.parametrize("language", ["fr", "de"])
def test_every_add_forms_labels_start_with_a_capital(admin_client: Client, language: str) -> None:
    lowercase, read = [], 0
    for page in _add_pages():
        response = admin_client.get(page, HTTP_ACCEPT_LANGUAGE=language)
        if response.status_code != 200:
            continue  # an add page the admin does not offer (read-only models)
        read += 1
        for label in LABEL.findall(response.content.decode()):
            text = label.strip()
            if text and text[0].isalpha() and text[0].islower():
                lowercase.append(f"{page}: {text}")
    assert lowercase == []
    assert read >= 10  # the instance's, the notifier's, the household's ... forms
