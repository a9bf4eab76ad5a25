"""A worker whose TAGGARR_ENCRYPTION_KEY is not the key the stored secrets were saved
with (a worker on another host that was not given the key and generated its own) stops
at start and says why, instead of failing every scan step it takes (issue 40)."""

from __future__ import annotations

import pytest

from scanner.models.secrets import unreadable_secret
from tests.factories import InstanceFactory
from tests.helpers import ARR_KEY
from tests.worker import celery_worker

ANOTHER_KEY = "the-key-another-host-generated-for-itself-0123456789"


@pytest.mark.django_db
def test_a_secret_saved_with_another_key_is_named_never_shown(settings) -> None:
    InstanceFactory(name="tv", api_key=ARR_KEY)
    assert unreadable_secret() is None
    settings.TAGGARR_ENCRYPTION_KEY = ANOTHER_KEY
    assert unreadable_secret() == "the API key of instance 'tv'"


@pytest.mark.django_db
def test_nothing_stored_nothing_to_check(settings) -> None:
    settings.TAGGARR_ENCRYPTION_KEY = ANOTHER_KEY
    assert unreadable_secret() is None


@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
def test_a_worker_with_another_key_stops_at_start() -> None:
    InstanceFactory(name="tv", api_key=ARR_KEY)
    with (
        pytest.raises(RuntimeError, match="worker did not start") as failed,
        celery_worker(extra_env={"TAGGARR_ENCRYPTION_KEY": ANOTHER_KEY}),
    ):
        pass
    output = str(failed.value)
    assert "its TAGGARR_ENCRYPTION_KEY cannot decrypt the API key of instance 'tv'" in output
    assert ARR_KEY not in output
