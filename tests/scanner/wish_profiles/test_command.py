"""``manage.py wish_profiles plan|apply|undo``: here and now, no worker, one line per item."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from fakes.arr import RADARR_V6
from scanner.models import Event, Instance, ProfileChange
from tests.scanner.wish_profiles.helpers import ANY, VFQ, fake_arr, mapped_instance, stored_item

State = ProfileChange.State
pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command("wish_profiles", *args, stdout=out)
    return out.getvalue()


def test_plan_apply_and_undo_from_the_command_line() -> None:
    with fake_arr("radarr", RADARR_V6) as radarr:
        instance = mapped_instance(radarr.url, mode=Instance.WishProfiles.PLAN)
        media = stored_item(instance, title="Incendies")
        said = _run("plan", "--instance", str(instance.pk), "--dry-run")
        assert f"item {media.pk}: planned: fr-CA: #{ANY} -> #{VFQ} (wish)" in said
        assert not ProfileChange.objects.exists()
        _run("plan")  # every *arr instance
        assert ProfileChange.objects.get().state == State.PLANNED
        assert "Incendies: would be written" in _run(
            "apply", "--instance", instance.name, "--dry-run"
        )
        assert "Incendies: written" in _run("apply", "--instance", str(instance.pk))
        assert radarr.state.item(1)["qualityProfileId"] == VFQ
        assert "Incendies: undone" in _run("undo", "--instance", str(instance.pk))
        assert radarr.state.item(1)["qualityProfileId"] == ANY
        undone = Event.objects.get(kind=Event.Kind.PROFILE, data__what="undone")
        assert undone.data["via"] == Event.Via.CLI
        assert "nothing written to undo" in _run("undo", "--instance", str(instance.pk))
