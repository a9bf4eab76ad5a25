"""Media for lists (one row each, no nested rows) and for the detail page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers.writing import WritingSerializer, write_and_tell
from scanner import names, validators
from scanner.actions.original_language import set_original_override
from scanner.actions.settled_varieties import MAX_CODE, clean_settlements, settle_varieties
from scanner.actions.wanted_languages import clean_wanted, set_wanted, wanted_value
from scanner.engine.file_varieties import as_judged
from scanner.engine.tracks import AudioTrack, FileTracks, SubtitleTrack
from scanner.engine.varieties import SOURCES
from scanner.models import Event, Media, MediaFile, Season


class FileNameField(serializers.CharField):
    """A path as people read it: bytes that are not UTF-8 shown as U+FFFD."""

    def to_representation(self, value: str) -> str:
        return names.display(str(value))


WANTED_HELP = _(
    'The languages wanted for this item: null (as the instance), "original" (original '
    "only: no dub tags expected, no missing-dub search, no news; subtitle tags still "
    "written), or a list of language codes (its own targets; regional ones such as fr-CA)."
)


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "enum": ["original"]},
            {"type": "array", "items": {"type": "string"}},
        ],
        "nullable": True,
    }
)
class WantedLanguagesField(serializers.JSONField):
    """null, "original" or a list of language codes (scanner.actions.wanted_languages)."""


class MediaSerializer(serializers.ModelSerializer[Media]):
    instance_name = serializers.CharField(source="instance.name", read_only=True)
    path = FileNameField(read_only=True, help_text=_("The local folder."))
    has_pending_change = serializers.BooleanField(
        read_only=True, help_text=_("A planned tag differs from the applied one.")
    )
    original_doubtful = serializers.BooleanField(
        read_only=True,
        help_text=_(
            "The *arr says English, but every counted file starts with "
            "original_suggestion: the *arr may not know the real original. Confirm it by "
            "setting original_override."
        ),
    )
    wanted_languages = serializers.SerializerMethodField(help_text=WANTED_HELP)

    class Meta:
        model = Media
        fields: tuple[str, ...] = (
            "id",
            "instance",
            "instance_name",
            "kind",
            "arr_id",
            "title",
            "path",
            "original_language",
            "original_override",
            "original_suggestion",
            "original_doubtful",
            "unknown_language",
            "needs_review",
            "review_reasons",
            "review_confirmed",
            "variety_unknown",
            "settled_varieties",
            "varieties_settled_by",
            "wanted_languages",
            "wanted_by",
            "wanted_at",
            "applied_tag",
            "planned_tag",
            "applied_labels",
            "planned_labels",
            "has_pending_change",
            "language_verdicts",
            "subtitle_verdicts",
            "coverage",
            "lowest_coverage",
            "file_count",
            "error_file_count",
            "error",
            "last_scanned_at",
        )
        read_only_fields = fields
        # DRF drops allow_blank from read-only fields; "" (never decided) is sent all the same.
        extra_kwargs = {"planned_tag": {"allow_blank": True}}

    @extend_schema_field(WantedLanguagesField)
    def get_wanted_languages(self, media: Media) -> str | list[str] | None:
        return wanted_value(media)


class MediaEditSerializer(serializers.ModelSerializer[Media]):
    """``PATCH /api/media/{id}/``: what a person sets on an item, each kept across
    scans: the original-language override (``""`` clears it), the settled varieties of
    its tracks of unknown variety, and the languages wanted for it. The verdict is decided
    again from the stored tracks at once (nothing is probed), and a run scoped to the item
    writes the new tag now (``writing`` in the answer; planned only on a dry-run
    instance)."""

    original_override = serializers.CharField(
        max_length=50,
        allow_blank=True,
        required=False,
        help_text=_("A language code or name (ja, jpn, Japanese); empty clears the override."),
    )
    settled_varieties = serializers.DictField(
        child=serializers.CharField(allow_null=True, allow_blank=True, max_length=MAX_CODE),
        required=False,
        help_text=_(
            "Per language of one of the instance's regional targets (fra, fr, French): what "
            "the item's tracks of it whose variety no source names are: one of its regional "
            "targets (fr-CA), or not (none of them); null or empty forgets it. Languages "
            "not given keep theirs."
        ),
    )

    wanted_languages = WantedLanguagesField(required=False, allow_null=True, help_text=WANTED_HELP)

    class Meta:
        model = Media
        fields = ("original_override", "settled_varieties", "wanted_languages")

    def validate_original_override(self, value: str) -> str:
        try:
            return validators.clean_language(value.strip())
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None

    def validate_settled_varieties(self, value: dict[str, Any]) -> dict[str, str]:
        media = cast(Media, self.instance)  # a PATCH of one item: the serializer has it
        try:
            return clean_settlements(media.instance, value, media)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None

    def validate_wanted_languages(self, value: Any) -> tuple[str, list[str]]:
        try:
            return clean_wanted(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs:  # a PATCH is partial, but one of them is the point
            required = ["This field is required."]
            raise serializers.ValidationError({name: required for name in self.Meta.fields})
        return attrs

    def update(self, media: Media, validated_data: dict[str, Any]) -> Media:
        request = self.context.get("request")
        user = request.user.get_username() if request is not None else "?"
        changed = False
        if "original_override" in validated_data:
            before = media.original_override
            set_original_override(
                media, validated_data["original_override"], user=user, via=Event.Via.API
            )
            changed = media.original_override != before
        if "settled_varieties" in validated_data:
            changes = validated_data["settled_varieties"]
            changed |= bool(settle_varieties(media, changes, user=user, via=Event.Via.API))
        if "wanted_languages" in validated_data:
            changed |= set_wanted(
                media, validated_data["wanted_languages"], user=user, via=Event.Via.API
            )
        # Written at once (scanner.actions.write_now); None: nothing changed to write.
        self.writing = write_and_tell(media) if changed else None
        return media

    def to_representation(self, media: Media) -> dict[str, Any]:
        context = {**self.context, "writing": getattr(self, "writing", None)}
        return MediaDecidedSerializer(media, context=context).data


class SeasonSerializer(serializers.ModelSerializer[Season]):
    class Meta:
        model = Season
        fields = (
            "number",
            "monitored",
            "status",
            "file_count",
            "files_with_all",
            "files_with_some",
            "error_count",
            "coverage",
        )
        read_only_fields = fields


class TrackVarietySerializer(serializers.Serializer[dict[str, Any]]):
    kind = serializers.ChoiceField(choices=["audio", "subtitle"])
    position = serializers.IntegerField(help_text=_("The track's position among its kind."))
    language = serializers.CharField(help_text=_("The track's language (ISO 639-3)."))
    variety = serializers.CharField(help_text=_("Its variety, a BCP-47 tag: fr-CA, es-419, yue."))
    # A declared field, not Field.source: DRF's SerializerMetaclass takes it out of
    # the class, which the stubs cannot know.
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=list(SOURCES), help_text=_("Where the variety was read.")
    )
    note = serializers.CharField(
        allow_blank=True,
        help_text=_("A later source that said another variety (title:fr-FR); empty when none."),
    )


class MediaFileSerializer(serializers.ModelSerializer[MediaFile]):
    season = serializers.IntegerField(source="season.number", read_only=True, allow_null=True)
    path = FileNameField(read_only=True, help_text=_("Relative to the item's folder."))
    varieties = serializers.SerializerMethodField(
        help_text=_(
            "Each track whose language's variety is known, as the verdict judges it (the "
            "code lat as es-419 when the instance says so, a variety a person settled), with "
            "where it was read."
        )
    )

    class Meta:
        model = MediaFile
        fields = (
            "path",
            "season",
            "episodes",
            "size",
            "audio_tracks",
            "subtitle_tracks",
            "varieties",
            "source",
            "source_note",
            "result",
            "error",
            "probed_at",
        )
        read_only_fields = fields
        extra_kwargs = {"result": {"allow_blank": True}}  # "": not decided yet

    @extend_schema_field(TrackVarietySerializer(many=True))
    def get_varieties(self, file: MediaFile) -> list[dict[str, Any]]:
        tracks = FileTracks(
            _stored(AudioTrack.from_dict, file.audio_tracks),
            _stored(SubtitleTrack.from_dict, file.subtitle_tracks),
        )
        media = file.media
        tracks = as_judged(
            tracks, lat_is_latino=media.instance.lat_is_latino, settled=media.settled_varieties
        )
        return [
            {
                "kind": kind,
                "position": track.position,
                "language": track.language,
                "variety": track.variety,
                "source": track.variety_source,
                "note": track.variety_note,
            }
            for kind, each in (("audio", tracks.audio), ("subtitle", tracks.subtitles))
            for track in each
            if track.variety is not None
        ]


_T = TypeVar("_T", AudioTrack, SubtitleTrack)


def _stored(read: Callable[[dict[str, Any]], _T], rows: object) -> tuple[_T, ...]:
    """The stored tracks as values; a row that is not one (never written so) is left out."""
    found = []
    for row in rows if isinstance(rows, list) else ():
        try:
            found.append(read(row))
        except (AttributeError, KeyError, TypeError, ValueError):
            continue
    return tuple(found)


class MediaDetailSerializer(MediaSerializer):
    seasons = SeasonSerializer(many=True, read_only=True)
    files = MediaFileSerializer(many=True, read_only=True)

    class Meta(MediaSerializer.Meta):
        fields: tuple[str, ...] = (
            *MediaSerializer.Meta.fields,
            "arr_path",
            "tvdb_id",
            "tmdb_id",
            "imdb_id",
            "genres",
            "monitored",
            "unmonitored_seasons",
            "verdict_reasons",
            "seasons",
            "files",
        )
        read_only_fields = fields


class MediaDecidedSerializer(MediaDetailSerializer):
    """The item after a person's decision, with the run that writes its tags now."""

    writing = serializers.SerializerMethodField(
        help_text=_(
            "The run that writes the item's new tags now (planned only on a dry-run "
            "instance); null when nothing changed."
        )
    )

    class Meta(MediaDetailSerializer.Meta):
        fields = (*MediaDetailSerializer.Meta.fields, "writing")
        read_only_fields = fields

    @extend_schema_field(WritingSerializer(allow_null=True))
    def get_writing(self, media: Media) -> dict[str, Any] | None:
        writing: dict[str, Any] | None = self.context.get("writing")
        return writing
