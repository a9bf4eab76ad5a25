"""The ``lat is Latin-American Spanish`` option (issue 60) through the API and the admin
form: on by default, PATCH turns it off, the admin's "What counts" section shows it;
only when off is it part of the verdict's settings (every other instance keeps its hash)."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from scanner.models import Instance
from tests.factories import InstanceFactory

pytestmark = pytest.mark.django_db


def test_patch_turns_it_off_and_the_verdict_is_decided_again(api: APIClient) -> None:
    instance = InstanceFactory()
    assert instance.lat_is_latino and "lat_is_latino" not in instance.verdict_settings()
    before = instance.verdict_settings_hash()
    url = f"/api/instances/{instance.pk}/"
    assert api.get(url).json()["lat_is_latino"] is True
    answer = api.patch(url, {"lat_is_latino": False}, format="json")
    assert answer.status_code == 200 and answer.json()["lat_is_latino"] is False
    assert Instance.objects.get().verdict_settings_hash() != before


def test_the_admin_form_shows_it_with_what_counts(admin_client: Client) -> None:
    instance = InstanceFactory()
    page = admin_client.get(f"/admin/scanner/instance/{instance.pk}/change/").content.decode()
    assert 'name="lat_is_latino"' in page
    assert page.index('name="sidecar_hi_hearing_impaired"') < page.index('name="lat_is_latino"')
