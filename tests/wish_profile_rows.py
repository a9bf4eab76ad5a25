"""A Quebec household's quality profiles as the feature stores them (issue 82;
scanner.wish_profiles writes these rows), and the fake Sonarr's profiles and custom
formats they name, for the mapping page's, the API's and the browser's tests.

The formats are shaped like the TRaSH guides' (TRaSH-Guides/Guides
``docs/json/sonarr/cf/``): french-vfq.json "VFQ" (VFQ, not VF2), french-vff.json "VFF"
(TRUEFRENCH|VFF required, not VF2), multi-audio.json "Multi-Audio" (MULTi)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from fakes.arr import FakeArr
from fakes.arr.profiles import custom_format, quality_profile
from scanner.models import Instance, ItemProfile, Media, ProfileChange, WishProfile
from tests.factories import InstanceFactory, MediaFactory
from tests.helpers import ARR_KEY

State = ProfileChange.State
HD, VFQ_1080, VFF_1080 = 1, 4, 5
FORMATS = [
    custom_format(1, "VFQ", titles=[(r"\b(VFQ|VQ)\b", False, True), (r"\bVF2\b", True, True)]),
    custom_format(
        2, "VFF", titles=[(r"\b(TRUEFRENCH|VFF)\b", False, True), (r"\bVF2\b", True, True)]
    ),
    custom_format(3, "Multi-Audio", titles=[(r"\b(MULTi(?![ .-]subs?))(\d|\b)", False, False)]),
]
PROFILES = [
    quality_profile(HD, "HD-1080p"),
    quality_profile(VFQ_1080, "VFQ-1080p", scores={1: 1000, 3: 100}),
    quality_profile(VFF_1080, "VFF-1080p", scores={2: 1000, 3: 100}),
]


def serve_quebec_profiles(fake: FakeArr) -> None:
    fake.state.set_custom_formats(FORMATS)
    fake.state.set_profiles(PROFILES)


def quebec_instance(fake: FakeArr, **values: Any) -> Instance:
    kind = Instance.Kind.SONARR if fake.state.options.app == "sonarr" else Instance.Kind.RADARR
    fields: dict[str, Any] = {
        "name": "tv",
        "kind": kind,
        "url": fake.url,
        "api_key": ARR_KEY,
        "target_languages": ["fr-CA"],
        **values,
    }
    return InstanceFactory(**fields)


@dataclass(frozen=True)
class Changes:
    instance: Instance
    planned: ProfileChange
    written: ProfileChange
    refused: ProfileChange
    undone: ProfileChange
    held: Media  # changed by hand in the *arr after Taggarr set it

    @property
    def rows(self) -> list[ProfileChange]:
        return [self.planned, self.written, self.refused, self.undone]


def change(media: Media, state: str, **values: Any) -> ProfileChange:
    fields: dict[str, Any] = {
        "arr_id": media.arr_id,
        "title": media.title,
        "wish": "fr-CA",
        "reason": ProfileChange.Reason.WISH,
        "profile_before": HD,
        "profile_before_name": "HD-1080p",
        "profile_after": VFQ_1080,
        "profile_after_name": "VFQ-1080p",
        **values,
    }
    return ProfileChange.objects.create(instance=media.instance, media=media, state=state, **fields)


def quebec_changes(instance: Instance) -> Changes:
    """One item per state; a fifth held by hand (its profile changed in the *arr)."""
    boys = MediaFactory(instance=instance, title="Les Boys", quality_profile_id=HD)
    plouffe = MediaFactory(instance=instance, title="Les Plouffe", quality_profile_id=VFQ_1080)
    bye = MediaFactory(instance=instance, title="Bye Bye", quality_profile_id=VFF_1080)
    crazy = MediaFactory(instance=instance, title="C.R.A.Z.Y.", quality_profile_id=HD)
    held = MediaFactory(instance=instance, title="La Petite Vie", quality_profile_id=VFF_1080)
    now = timezone.now()
    WishProfile.objects.create(
        instance=instance, wish="fr-CA", profile_id=VFQ_1080, profile_name="VFQ-1080p"
    )
    ItemProfile.objects.create(
        media=plouffe, wish="fr-CA", set_profile_id=VFQ_1080, earlier_profile_id=HD,
        earlier_profile_name="HD-1080p",
    )  # fmt: skip
    ItemProfile.objects.create(
        media=held, wish="fr-CA", set_profile_id=VFQ_1080, earlier_profile_id=HD,
        earlier_profile_name="HD-1080p", hand=True, hand_profile_id=VFF_1080, hand_at=now,
    )  # fmt: skip
    return Changes(
        instance=instance,
        planned=change(boys, State.PLANNED),
        written=change(plouffe, State.WRITTEN, written_at=now),
        refused=change(bye, State.REFUSED, refusal="changed"),
        undone=change(crazy, State.UNDONE, written_at=now, undone_at=now, undone_by="alice"),
        held=held,
    )
