"""Issue 83, part 2: an unchanged rescan's plan touches only what changed. Each batch's
stored rows are read as tuples and compared with the *arr's list there; a ``Media`` is
built only to write a new or changed item (building one per stored row was 12 % of an
unchanged rescan's CPU at 7,000 items)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db.models.signals import post_init

from fakes.arr import FakeArr
from scanner.models import Instance, Media
from scanner.pipeline.scanning import plan as plan_module
from tests.factories import InstanceFactory
from tests.helpers import ARR_KEY, arr_tags, scan_inline
from tests.library import REMOTE_TV, Library

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def media_built() -> Iterator[list[Media]]:
    """The Media instances built meanwhile (a row read as a model, or a new one)."""
    built: list[Media] = []

    def seen(sender: type[Media], instance: Media, **kwargs: object) -> None:
        built.append(instance)

    post_init.connect(seen, sender=Media, weak=False)
    try:
        yield built
    finally:
        post_init.disconnect(seen, sender=Media)


def _counted_while_synced(monkeypatch: pytest.MonkeyPatch) -> list[list[Media]]:
    """Each plan's Media built while it synced and judged the listed items."""
    plans: list[list[Media]] = []
    real = plan_module.sync_library

    def counted(*args: Any, **kwargs: Any) -> Any:
        with media_built() as built:
            synced = real(*args, **kwargs)
        plans.append(built)
        return synced

    monkeypatch.setattr(plan_module, "sync_library", counted)
    return plans


def _arr_instance(sonarr: FakeArr) -> Instance:
    # The arr source with no folder mounted: the plan judges from the list alone.
    return InstanceFactory(
        name="rows",
        url=sonarr.url,
        api_key=ARR_KEY,
        root_folders=["/mnt/not-mounted-here/tv"],
        path_mappings=[{"remote": REMOTE_TV, "local": "/mnt/not-mounted-here/tv"}],
        target_languages=["eng"],
        audio_source=Instance.AudioSource.ARR,
    )


def test_an_unchanged_plan_builds_no_media_and_a_changed_item_builds_one(
    sonarr: FakeArr, tv_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    instance = _arr_instance(sonarr)
    scan_inline(instance)
    applied = dict(instance.media.values_list("pk", "applied_tag"))
    known = instance.media.count()
    assert known > 2
    plans = _counted_while_synced(monkeypatch)

    unchanged = scan_inline(instance)
    assert (unchanged.items_total, unchanged.items_skipped) == (0, known)
    assert plans.pop() == []  # no stored row was built as a model

    items = sonarr.state.items()
    renamed, retagged = items[0], items[1]
    tag = arr_tags(sonarr)[renamed["title"]]
    renamed["title"] = "Renamed in Sonarr"
    retagged["monitored"] = not retagged["monitored"]
    sonarr.state.set_items(items)
    changed = scan_inline(instance)
    built = plans.pop()
    assert changed.items_skipped == known  # a title or monitored flag reads no file
    assert sorted(m.pk for m in built) == sorted(  # only the two written
        instance.media.filter(arr_id__in=[renamed["id"], retagged["id"]]).values_list(
            "pk", flat=True
        )
    )
    stored = {m.arr_id: m for m in instance.media.all()}
    assert stored[renamed["id"]].title == "Renamed in Sonarr"
    assert stored[retagged["id"]].monitored == retagged["monitored"]
    assert arr_tags(sonarr)["Renamed in Sonarr"] == tag
    # The applied tags as the *arr has them, read back from its tags as before.
    assert dict(instance.media.values_list("pk", "applied_tag")) == applied
