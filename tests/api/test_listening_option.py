"""The listening option through the API (issue 53): PATCH sets it, a value it does not
know is refused with a 400."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from scanner.models import Instance
from tests.factories import InstanceFactory

pytestmark = pytest.mark.django_db


def test_patch_sets_the_mode_and_refuses_others(api: APIClient) -> None:
    instance = InstanceFactory()
    url = f"/api/instances/{instance.pk}/"
    answer = api.patch(url, {"identify_audio_language": "unlabelled"}, format="json")
    assert answer.status_code == 200 and answer.json()["identify_audio_language"] == "unlabelled"
    assert api.patch(url, {"identify_audio_language": "loud"}, format="json").status_code == 400
    assert Instance.objects.get().identify_audio_language == "unlabelled"
