"""``manage.py changes --kind KIND plan|apply|undo``: every act's changes from one command,
the act's own command's behaviour (here: the quality profiles', against a fake Radarr);
``--kind`` read wherever it is written, an unknown act refused with the acts named."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fakes.arr import RADARR_V6
from scanner.management.commands.changes import _kind_first
from scanner.models import Instance, ProfileChange
from tests.scanner.wish_profiles.helpers import ANY, VFQ, fake_arr, mapped_instance, stored_item

pytestmark = pytest.mark.django_db


def _manage(*args: str) -> str:
    """``manage.py changes ARGS`` as typed: ``--kind`` moved first as the command's
    run_from_argv moves it (ManagementUtility itself would close the test's database)."""
    out = StringIO()
    call_command("changes", *_kind_first(list(args)), stdout=out)
    return out.getvalue()


def test_one_command_plans_applies_and_undoes_an_acts_changes() -> None:
    with fake_arr("radarr", RADARR_V6) as radarr:
        instance = mapped_instance(radarr.url, mode=Instance.WishProfiles.PLAN)
        stored_item(instance, title="Incendies")
        pk = str(instance.pk)
        _manage("--kind", "wish_profiles", "plan", "--instance", pk)
        assert ProfileChange.objects.get().state == ProfileChange.State.PLANNED
        said = _manage("apply", "--instance", pk, "--kind=wish_profiles")
        assert "Incendies: written" in said
        assert radarr.state.item(1)["qualityProfileId"] == VFQ
        said = _manage("undo", "--kind", "wish_profiles", "--instance", pk)
        assert "Incendies: undone" in said
        assert radarr.state.item(1)["qualityProfileId"] == ANY


def test_the_act_may_be_named_anywhere() -> None:
    typed = ["apply", "--instance", "tv", "--kind", "wish_profiles", "--dry-run"]
    assert _kind_first(typed) == [
        "--kind",
        "wish_profiles",
        "apply",
        "--instance",
        "tv",
        "--dry-run",
    ]
    assert _kind_first(["undo", "--kind=default_tracks"]) == ["--kind=default_tracks", "undo"]


def test_an_unknown_act_is_refused_with_the_acts_named() -> None:
    with pytest.raises(CommandError, match=r"invalid choice: 'profiles'.*'wish_profiles'"):
        call_command("changes", "--kind", "profiles", "plan")
