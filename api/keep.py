"""Which tracks this household keeps, per file, for a remuxer that removes the others
(issue 81, item 6): ``GET /api/media/{id}/keep/`` for an item's files, ``GET
/api/keep/?path=`` for a tool that knows only its file (the path as this host, the *arr
or the tool sees it, matched to an item as a rescan by path matches it:
scanner.actions.rescan_path). The decision is the engine's (scanner.engine.keep_tracks);
Taggarr itself deletes nothing.

A track is named as ffmpeg selects it: ``map`` is its stream specifier, ``0:a:N`` (the
N-th audio stream, 0-based) or ``0:s:N``. Taggarr stores each track's position among its
kind in MediaInfo's order, which for Matroska is the header's order, as ffmpeg's
demuxer creates its streams; the file's absolute stream index (``-map 0:N``) is not
stored (MediaInfo's ``StreamOrder`` is not read), so ``index`` is null, and a remuxer
that wants it reads the file's streams and takes the N-th of the kind (the recipe in
docs/recipes/unmanic-keep-tracks/ does, after checking the counts agree).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.language import ReaderLanguageMixin
from scanner import names
from scanner.actions.rescan_path import items_at, within_item
from scanner.engine.file_choice import judged_tracks
from scanner.engine.keep_tracks import Household, KeptTrack, Reason, Role, keep_tracks
from scanner.engine.listener import Listener
from scanner.engine.targets import subtitle_targets, wanted_targets
from scanner.errors import ConfigError
from scanner.models import Media, MediaFile, Person

_KINDS = {"audio": "a", "subtitle": "s"}


class KeepTrackSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField(help_text=_("audio or subtitle"))
    position = serializers.IntegerField(help_text=_("1-based among the tracks of its kind."))
    map = serializers.CharField(
        help_text=_("ffmpeg's stream specifier: 0:a:N or 0:s:N, N 0-based among its kind.")
    )
    index = serializers.IntegerField(
        allow_null=True,
        help_text=_("The file's 0-based stream index (-map 0:N); null: not stored."),
    )
    language = serializers.CharField(allow_null=True)
    variety = serializers.CharField(allow_null=True)
    title = serializers.CharField(allow_null=True)
    role = serializers.ChoiceField(choices=[role.value for role in Role])
    keep = serializers.BooleanField()
    reason = serializers.ChoiceField(choices=[reason.value for reason in Reason])


class KeepFileSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    path = serializers.CharField(help_text=_("Relative to the item's folder."))
    size = serializers.IntegerField(help_text=_("In bytes, when Taggarr read it."))
    tracks_from = serializers.ChoiceField(
        choices=[source.value for source in MediaFile.Source],
        help_text=_("Where its tracks were read: the file, or the *arr's media info."),
    )
    audio_count = serializers.IntegerField()
    subtitle_count = serializers.IntegerField()
    removes = serializers.BooleanField(help_text=_("Whether any of its tracks is not kept."))
    tracks = KeepTrackSerializer(many=True)


class KeepItemSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    instance = serializers.CharField()
    folder = serializers.CharField()
    original_language = serializers.CharField(allow_null=True)
    files = KeepFileSerializer(many=True)


class KeepByPathSerializer(serializers.Serializer[Any]):
    path = serializers.CharField()
    items = KeepItemSerializer(many=True)


class MediaKeepView(ReaderLanguageMixin, APIView):
    queryset = Media.objects.none()  # reading an item's files is viewing the item

    @extend_schema(responses={200: KeepItemSerializer, 404: None})
    def get(self, request: Request, pk: int) -> Response:
        """Each of the item's files with its audio and subtitle tracks: which ones the
        household keeps (``keep``), what each is (``role``) and why (``reason``)."""
        media = get_object_or_404(Media.objects.select_related("instance"), pk=pk)
        answer = _Answers(_listeners())
        return Response(answer.item(media, media.files.order_by("path")))


class PathKeepView(ReaderLanguageMixin, APIView):
    queryset = Media.objects.none()

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "path",
                OpenApiTypes.STR,
                required=True,
                description=_("A file or folder as this host, the *arr or the tool sees it."),
            )
        ],
        responses={200: KeepByPathSerializer, 400: None, 404: None},
    )
    def get(self, request: Request) -> Response:
        """The files at ``path`` (a file, or every file of a folder), per item, as
        ``/api/media/{id}/keep/`` gives them."""
        path = request.query_params.get("path", "")
        try:
            found = items_at(path)
        except ConfigError as exc:
            raise ValidationError({"path": [str(exc)]}) from None
        answer = _Answers(_listeners())
        items = []
        for media in found:
            inside = within_item(media, path)
            if inside is None:  # pragma: no cover - items_at found it by this path
                continue
            files = media.files.order_by("path")
            chosen = [file for file in files if inside == "." or _below(file.path, inside)]
            if chosen:
                items.append(answer.item(media, chosen))
        if not items:
            raise NotFound(_("Taggarr knows no file at this path."))
        return Response({"path": path, "items": items})


def _below(stored: str, inside: str) -> bool:
    return stored == inside or stored.startswith(f"{inside}/")


def _listeners() -> tuple[Listener, ...]:
    return tuple(person.listener() for person in Person.objects.order_by("pk"))


class _Answers:
    """The answer's parts for one request: the household read once, a file whose tracks
    are the same as one before (a season's episodes) decided once."""

    def __init__(self, listeners: tuple[Listener, ...]) -> None:
        self.listeners = listeners
        self.decided: dict[str, tuple[KeptTrack, ...]] = {}

    def item(self, media: Media, files: Iterable[MediaFile]) -> dict[str, Any]:
        instance = media.instance
        own = media.targets_own
        household = Household(
            self.listeners,
            wanted_targets(instance.target_languages, media.wanted, own),
            subtitle_targets(instance.target_languages, media.wanted, own),
        )
        original = media.original_to_write  # None while unknown or in doubt
        return {
            "id": media.pk,
            "title": media.title,
            "instance": instance.name,
            "folder": names.display(media.path),
            "original_language": original,
            "files": [self._file(media, household, original, file) for file in files],
        }

    def _file(
        self, media: Media, household: Household, original: str | None, file: MediaFile
    ) -> dict[str, Any]:
        read = file.source != MediaFile.Source.ARR
        key = json.dumps(
            [media.pk, file.audio_tracks, file.subtitle_tracks, read], sort_keys=True, default=str
        )
        kept = self.decided.get(key)
        if kept is None:
            tracks = judged_tracks(
                file.audio_tracks,
                file.subtitle_tracks,
                settled=media.settled_varieties,
                lat_is_latino=media.instance.lat_is_latino,
            )
            kept = keep_tracks(
                tracks, household, original=original, kind=media.kind, media_id=media.pk,
                read_from_file=read,
            )  # fmt: skip
            self.decided[key] = kept
        return {
            "id": file.pk,
            "path": names.display(file.path),
            "size": file.size,
            "tracks_from": file.source,
            "audio_count": sum(track.kind == "audio" for track in kept),
            "subtitle_count": sum(track.kind == "subtitle" for track in kept),
            "removes": any(not track.keep for track in kept),
            "tracks": [_track(track) for track in kept],
        }


def _track(track: KeptTrack) -> dict[str, Any]:
    return {
        "kind": track.kind,
        "position": track.position,
        "map": f"0:{_KINDS[track.kind]}:{track.position - 1}",
        "index": None,
        "language": track.language,
        "variety": track.variety,
        "title": track.title,
        "role": track.role.value,
        "keep": track.keep,
        "reason": track.reason.value,
    }
