"""An instance edited through the API is saved as the admin saves it
(scanner.actions.instance_edits.save_instance): the history holds each old and new value
and says when every item's tag will be decided again."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from scanner.history.event_text import event_message
from scanner.models import Event, Instance
from tests.factories import InstanceFactory, MediaFactory, ScanRunFactory
from tests.helpers import ARR_KEY

pytestmark = pytest.mark.django_db


def _history(instance: Instance) -> list[Event]:
    return list(Event.objects.filter(instance=instance, kind=Event.Kind.CONFIG))


def test_patching_a_verdict_option_records_old_and_new_and_the_decision_again(
    api: APIClient, admin_client: Client
) -> None:
    instance = InstanceFactory()
    MediaFactory(instance=instance)
    ScanRunFactory(instance=instance, status="succeeded")
    url = f"/api/instances/{instance.pk}/"
    answer = api.patch(url, {"lat_is_latino": False, "read_timeout": 40}, format="json")
    assert answer.status_code == 200, answer.json()
    (event,) = _history(instance)
    assert event.data["fields"] == ["lat_is_latino", "read_timeout"]
    assert event.data["changes"] == {"lat_is_latino": [True, False], "read_timeout": [30.0, 40.0]}
    assert event.data["decides_again"] is True
    assert "through the API" in event_message(event)
    # The admin's page reads the same history: a dry run is the next step.
    page = admin_client.get(f"/admin/scanner/instance/{instance.pk}/change/").content.decode()
    assert 'id="decided-again"' in page


def test_a_new_key_is_named_never_shown_and_nothing_changed_records_nothing(
    api: APIClient,
) -> None:
    instance = InstanceFactory()
    url = f"/api/instances/{instance.pk}/"
    assert api.patch(url, {"read_timeout": 30.0}, format="json").status_code == 200
    assert _history(instance) == []
    assert api.patch(url, {"api_key": ARR_KEY[::-1]}, format="json").status_code == 200
    (event,) = _history(instance)
    assert event.data["fields"] == ["api_key"] and "changes" not in event.data
    assert ARR_KEY[::-1] not in str(event.data) + event.message
    assert "decides_again" not in event.data  # the key decides no tag
