"""What the quality profiles' tests share: an instance mapping its wishes, an item as the
scan stored it, and a fake *arr with the profiles the mapping names."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from fakes.arr import FakeArr, FakeArrOptions, build_movie, build_series
from fakes.arr.profiles import quality_profile
from scanner.models import Instance, Media, ScanRun, WishProfile
from tests.factories import InstanceFactory, MediaFactory, ScanRunFactory
from tests.helpers import ARR_KEY

# The *arr's profiles: 1 the one every item has at first (the samples' qualityProfileId).
ANY, VFQ, MULTI_VFQ, ORIGINAL = 1, 12, 13, 15
PROFILES = {ANY: "HD-1080p", VFQ: "VFQ", MULTI_VFQ: "MULTi VFQ", ORIGINAL: "Original"}


def fake_arr(app: str = "radarr", version: str = "", items: int = 2, **options: Any) -> FakeArr:
    """A fake *arr (not started) with ``items`` items on profile ANY and the profiles."""
    build = build_series if app == "sonarr" else build_movie
    fake = FakeArr(
        FakeArrOptions(app=app, version=version, api_key=ARR_KEY, **options),  # type: ignore[arg-type]
        items=[build(i) for i in range(1, items + 1)],
    )
    fake.state.set_profiles([quality_profile(pid, name) for pid, name in PROFILES.items()])
    return fake


def mapped_instance(
    url: str = "http://radarr:7878",
    *,
    kind: str = Instance.Kind.RADARR,
    mode: str = Instance.WishProfiles.SET,
    targets: tuple[str, ...] = ("fr-CA",),
    mapping: dict[str, int] | None = None,
    **fields: Any,
) -> Instance:
    """An instance whose wishes map to profiles (by default the Quebec dub to VFQ, the
    original to Original)."""
    instance = InstanceFactory(
        kind=kind,
        url=url,
        api_key=ARR_KEY,
        target_languages=list(targets),
        wish_profiles=mode,
        **fields,
    )
    for wish, profile in (mapping or {"fr-CA": VFQ, "original": ORIGINAL}).items():
        WishProfile.objects.create(
            instance=instance, wish=wish, profile_id=profile, profile_name=PROFILES[profile]
        )
    return instance


def stored_item(
    instance: Instance, arr_id: int = 1, profile: int | None = ANY, **fields: Any
) -> Media:
    """An item as the scan stored it: its *arr id and its profile as the listing said."""
    kind = Media.Kind.MOVIE if instance.kind == Instance.Kind.RADARR else Media.Kind.SERIES
    values: dict[str, Any] = {"original_language": "eng", **fields}
    return MediaFactory(
        instance=instance, kind=kind, arr_id=arr_id, quality_profile_id=profile, **values
    )


def listed(instance: Instance) -> ScanRun:
    """A run of the instance that listed its library now (after what came before)."""
    now = timezone.now()
    run: ScanRun = ScanRunFactory(
        instance=instance, status=ScanRun.Status.SUCCEEDED, started_at=now, planned_at=now
    )
    return run
