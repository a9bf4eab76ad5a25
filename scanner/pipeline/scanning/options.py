"""What one scan of one instance decides by: the instance's options, frozen."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from scanner.engine.labels import LabelSet
from scanner.engine.library import Discovery, VideoFile, counted_files
from scanner.engine.sidecars import lone_hi_as_flag
from scanner.engine.targets import is_regional, subtitle_targets, wanted_targets
from scanner.engine.verdict import Policy, Tag
from scanner.models import Instance, Media, Person, ScanRun

if TYPE_CHECKING:
    from scanner.pipeline.scanning.stored import StoredItem


@dataclass(frozen=True, slots=True)
class ScanOptions:
    targets: frozenset[str]
    policy: Policy
    count_specials: bool
    count_unmonitored: bool
    quick_mode: bool
    instance_hash: str
    labels: LabelSet
    audio_source: str = "files"  # files / arr / hybrid: decided by the run's plan
    sidecar_hi_hearing_impaired: bool = False  # Video.hi.srt: no Hindi (Bazarr's naming)
    listen_mode: str = "off"  # off / unlabelled / all (engine.listened)
    lat_is_latino: bool = True  # the code lat is Latin-American Spanish (engine.file_varieties)
    # The regional languages (fr-CA, yue) of the household's persons with an account on
    # a media server this instance feeds: files are read for them where the *arr's word
    # leaves a variety unknown (item_arr._VarietyNeed), as for a regional target, so
    # that their track can be told; never a target: the verdict does not see them.
    listener_varieties: frozenset[str] = frozenset()

    @classmethod
    def for_run(cls, instance: Instance, run: ScanRun) -> ScanOptions:
        options = cls.for_instance(instance, quick_mode=run.quick_mode)
        return replace(options, audio_source=run.audio_source or "files")

    @classmethod
    def for_instance(cls, instance: Instance, *, quick_mode: bool | None = None) -> ScanOptions:
        quick = instance.quick_mode if quick_mode is None else quick_mode
        listeners = listener_varieties(instance)
        return cls(
            targets=frozenset(instance.target_languages),
            policy=Policy(
                unknown_first_track=(
                    "ignore"
                    if instance.unknown_first_track == Instance.UnknownFirstTrack.IGNORE
                    else "original"
                ),
                allowed_extras=frozenset(instance.allowed_extra_languages),
                unknown_variety_counts=instance.unknown_variety_counts,
            ),
            count_specials=instance.count_specials,
            count_unmonitored=instance.count_unmonitored,
            quick_mode=quick,
            instance_hash=(
                f"{instance.verdict_settings_hash()}:{int(quick)}{_reading(instance)}"
                + _listening_for(listeners)
            ),
            labels=instance.label_set(),
            sidecar_hi_hearing_impaired=instance.sidecar_hi_hearing_impaired,
            listen_mode=instance.identify_audio_language,
            lat_is_latino=instance.lat_is_latino,
            listener_varieties=listeners,
        )

    def targets_for(self, media: Media) -> tuple[str, ...]:
        """The targets the item's audio is judged against: the instance's, none (original
        only) or its own (engine.targets.wanted_targets)."""
        return wanted_targets(self.targets, media.wanted, media.targets_own)

    def person_varieties_for(self, media: Media) -> tuple[str, ...]:
        """The household's regional languages (``listener_varieties``) the item's
        targets do not hold."""
        return tuple(sorted(self.listener_varieties - frozenset(self.targets_for(media))))

    def subtitle_targets_for(self, media: Media) -> tuple[str, ...]:
        return subtitle_targets(self.targets, media.wanted, media.targets_own)

    def settings_hash(self, media: Media | StoredItem) -> str:
        """The item's ``settings_hash``: changes when anything its verdict depends on
        changes, files aside."""
        seasons = ",".join(str(number) for number in sorted(media.unmonitored_seasons))
        blob = f"{self.instance_hash}|{media.effective_original}|{seasons}"
        if media.unknown_language:  # only when set: every other item keeps its hash
            blob += f"|unknown={media.unknown_language}"
        if media.settled_varieties:  # the same: only when a person settled one
            blob += f"|settled={sorted(media.settled_varieties.items())}"
        if media.wanted:  # the same: only when a person chose the item's own targets
            blob += f"|wanted={media.wanted}:{','.join(media.targets_own)}"
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    def counted(self, discovery: Discovery, media: Media | StoredItem) -> list[VideoFile]:
        """The item's files that count, their sidecars read as the instance says."""
        counted = counted_files(
            discovery,
            count_specials=self.count_specials,
            season_counted=self.season_filter(media),
            quick_mode=self.quick_mode,
        )
        if not self.sidecar_hi_hearing_impaired:
            return counted
        return [replace(video, sidecars=lone_hi_as_flag(video.sidecars)) for video in counted]

    def season_filter(self, media: Media | StoredItem) -> Callable[[int], bool] | None:
        if self.count_unmonitored or not media.unmonitored_seasons:
            return None
        unmonitored = frozenset(media.unmonitored_seasons)
        return lambda number: number not in unmonitored


def _reading(instance: Instance) -> str:
    """What decides which files are read, in the items' settings hash, so that a change
    that reads more (the *arr's word alone -> hybrid or files; hybrid -> files, which
    reads the files hybrid judged from the *arr's word) is done by the next ordinary
    scan. The audio source as set, not as ``auto`` resolves it on a run: a mount that
    comes and goes would otherwise rescan every item each time (the files' fingerprints
    tell the items scanned without their folder meanwhile). ``auto`` and ``hybrid``
    read alike where the folders are here and leave the hash as it was. The languages
    read for their variety are the targets', hashed already (the instance's, an item's
    own list), and so is the rules' version; the household's are ``_listening_for``'s."""
    source = instance.audio_source
    if not instance.is_arr or source in (Instance.AudioSource.AUTO, Instance.AudioSource.HYBRID):
        return ""
    return f":{source}"


def listener_varieties(instance: Instance) -> frozenset[str]:
    """The regional languages of the persons whose accounts are on the media servers
    this instance feeds (scanner.models.household): the ones its targets do not hold
    already (a target's variety is read for anyway)."""
    if instance._state.adding:  # not saved: no server feeds it yet
        return frozenset()
    rows = Person.objects.filter(accounts__media_server__instances=instance).values_list(
        "languages", flat=True
    )
    found = {
        language
        for languages in rows
        for language in (languages if isinstance(languages, list) else ())
        if isinstance(language, str) and is_regional(language)
    }
    return frozenset(found - set(instance.target_languages))


def _listening_for(varieties: frozenset[str]) -> str:
    """The household's varieties in the items' settings hash, so that a person who adds
    one (fr-CA) has the next ordinary scan read the files the *arr leaves in doubt, as a
    target that gains its variety does; only when there is one: every other instance's
    items keep their hash."""
    return f":hears={','.join(sorted(varieties))}" if varieties else ""


def label_of(instance: Instance, tag: str) -> str | None:
    """The instance's label for a verdict, or None for 'none'."""
    return instance.tag_labels().get(tag) if tag != Tag.NONE else None
