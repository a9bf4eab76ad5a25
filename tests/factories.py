"""factory_boy factories for the models."""

from __future__ import annotations

import factory
from django.utils import timezone

from scanner.engine.tracks import make_track
from scanner.models import Event, Instance, Media, MediaFile, Notifier, ScanRun, Season


def _set_api_key(obj: Instance, create: bool, extracted: str | None, **kwargs: object) -> None:
    """The instance's API key: the ``api_key`` passed, else a made-up one."""
    obj.set_api_key(extracted or "0123456789abcdef0123456789abcdef")
    if create:
        obj.save()


def _set_url(obj: Notifier, create: bool, extracted: str | None, **kwargs: object) -> None:
    """The notifier's Apprise URL: the ``url`` passed, else one that is never sent to."""
    obj.set_url(extracted or "json://127.0.0.1:9/never-used")
    if create:
        obj.save()


class InstanceFactory(factory.django.DjangoModelFactory[Instance]):
    class Meta:
        model = Instance
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"instance-{n}")
    kind = Instance.Kind.SONARR
    url = "http://sonarr:8989"
    target_languages = factory.LazyFunction(lambda: ["eng"])
    # An instance in use; a new one (waiting for its first scan) passes first_scan_at=None.
    first_scan_at = factory.LazyFunction(timezone.now)
    # factory.PostGeneration is what the untyped @factory.post_generation makes.
    api_key = factory.PostGeneration(_set_api_key)


class MediaFactory(factory.django.DjangoModelFactory[Media]):
    class Meta:
        model = Media

    instance = factory.SubFactory(InstanceFactory)
    kind = Media.Kind.SERIES
    arr_id = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Show {n}")
    path = factory.Sequence(lambda n: f"/media/tv/Show {n}")


class SeasonFactory(factory.django.DjangoModelFactory[Season]):
    class Meta:
        model = Season

    media = factory.SubFactory(MediaFactory)
    number = factory.Sequence(lambda n: n + 1)


class MediaFileFactory(factory.django.DjangoModelFactory[MediaFile]):
    class Meta:
        model = MediaFile

    media = factory.SubFactory(MediaFactory)
    path = factory.Sequence(lambda n: f"Season 01/Show - S01E{n + 1:02d}.mkv")
    size = 1000
    mtime_ns = 1_700_000_000_000_000_000


class ScanRunFactory(factory.django.DjangoModelFactory[ScanRun]):
    class Meta:
        model = ScanRun

    instance = factory.SubFactory(InstanceFactory)
    trigger = ScanRun.Trigger.MANUAL


class EventFactory(factory.django.DjangoModelFactory[Event]):
    class Meta:
        model = Event

    instance = factory.SubFactory(InstanceFactory)
    kind = Event.Kind.TAG_CHANGED
    message = "tag changed"


class NotifierFactory(factory.django.DjangoModelFactory[Notifier]):
    """A notifier; pass ``url`` (e.g. the ``inbox`` fixture's) to set its Apprise URL."""

    class Meta:
        model = Notifier
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"notifier-{n}")
    url = factory.PostGeneration(_set_url)


def stored_tracks(*languages: str) -> list[dict[str, object]]:
    """Audio tracks as MediaFile stores them, one per label, the first the default (the
    engine's own builder and serialisation)."""
    return [
        make_track(position, label, None, default=position == 1).to_dict()
        for position, label in enumerate(languages, start=1)
    ]


def doubtful_anime() -> Media:
    """A show the *arr calls English whose stored episodes are Japanese + English."""
    media = MediaFactory.create(
        title="Unmapped Anime",
        original_language="eng",
        original_suggestion="jpn",
        planned_tag="none",
        last_scanned_at="2026-01-01T00:00:00Z",
    )
    season = SeasonFactory.create(media=media, number=1)
    tracks = stored_tracks("jpn", "eng")
    for episode in (1, 2):
        MediaFileFactory.create(
            media=media, season=season, episodes=[episode], audio_tracks=tracks, result="none"
        )
    return media


def unsure_quebec(**instance: object) -> Media:
    """A show for a Quebec user (target fr-CA, per-language tags) whose stored episodes
    are English + French of unknown variety, decided from them: its unknown variety
    decided the answer (``variety_unknown``)."""
    from scanner.pipeline.scanning.decide import redecide

    media = MediaFactory.create(
        instance=InstanceFactory.create(
            **{"target_languages": ["fr-CA"], "language_tags": True, **instance}
        ),
        title="Unsure Quebec",
        original_language="eng",
        last_scanned_at="2026-01-01T00:00:00Z",
    )
    season = SeasonFactory.create(media=media, number=1)
    tracks = stored_tracks("eng", "fre")
    for episode in (1, 2):
        MediaFileFactory.create(media=media, season=season, episodes=[episode], audio_tracks=tracks)
    return redecide(media)
