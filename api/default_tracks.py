"""The default tracks' endpoint (``/api/default-tracks/``, issue 81): each file's planned
change of its default audio and subtitle track and what became of it (the journal of
scanner.default_tracks), read only; ``POST apply/`` and ``POST undo/`` queue the work for
a worker (the files are where the workers are) and answer 202 with what was queued;
``POST plan-again/`` queues the undone or refused files to be planned again (plan only).

A change's patch is described by its offset and length only: the bytes themselves stay
in the journal (what undo writes back), never in an answer."""

from __future__ import annotations

from django.db.models.functions import Length
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api.act_queue import ActQueuedSerializer, ActQueueSerializer, id_list
from api.filters import IdFilter
from api.language import ReaderLanguageMixin
from scanner import names
from scanner.default_tracks import apply as apply_step
from scanner.default_tracks import plan_again as again
from scanner.default_tracks import refusals
from scanner.default_tracks import undo as undo_step
from scanner.models import DefaultTrackChange, Event

State = DefaultTrackChange.State
# The rows each action takes: planned ones are applied; those whose bytes may be in the
# file (written, left "writing" by a worker that stopped, or read otherwise and not
# undone) are undone.
APPLICABLE = (State.PLANNED,)
UNDOABLE = (State.WRITTEN, State.WRITING, State.NOT_UNDONE)


class DefaultTrackChangeSerializer(serializers.ModelSerializer[DefaultTrackChange]):
    media_title = serializers.CharField(source="media.title", read_only=True, allow_null=True)
    path = serializers.SerializerMethodField(help_text=_("The file, as the worker opened it."))
    patch_length = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text=_(
            "How many bytes the change writes at patch_offset (the bytes themselves are "
            "never in an answer); null when nothing is to be written."
        ),
    )
    refusal = serializers.CharField(
        read_only=True,
        help_text=_(
            "Why the file is left alone, or failed, as a code (hardlinked, no-room, changed, "
            "importing, share-unanswered, not-matroska, mp4 ...); empty when nothing was "
            "refused."
        ),
    )
    refusal_text = serializers.SerializerMethodField(
        help_text=_(
            "The refusal as a sentence, in the request's language (Accept-Language, or the "
            "user's saved language); empty when nothing was refused."
        )
    )
    detail = serializers.JSONField(
        read_only=True,
        help_text=_(
            "What goes with the refusal: for no-room the mkvpropedit command a user could run "
            "(command), for hardlinked the number of links (nlink)."
        ),
    )
    flags = serializers.JSONField(
        read_only=True,
        help_text=_("Each default flag changed: [kind, position, old value, new value]."),
    )

    class Meta:
        model = DefaultTrackChange
        fields = (
            "id", "instance", "media", "media_title", "media_file", "run", "path", "state",
            "refusal", "refusal_text", "detail", "flags",
            "audio_before", "audio_before_language", "audio_after", "audio_after_language",
            "subtitle_before", "subtitle_before_language", "subtitle_after",
            "subtitle_after_language", "size", "patch_offset", "patch_length", "error",
            "planned_at", "applied_at", "applied_by", "undone_at", "undone_by", "updated_at",
        )  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_path(self, change: DefaultTrackChange) -> str:
        return names.display(change.path)

    @extend_schema_field(serializers.CharField())
    def get_refusal_text(self, change: DefaultTrackChange) -> str:
        if not change.refusal:
            return ""
        return refusals.refusal_text(change.refusal, change.detail)


class DefaultTrackFilter(filters.FilterSet):
    run = IdFilter(field_name="run_id")
    media = IdFilter(field_name="media_id")
    media_file = IdFilter(field_name="media_file_id")
    instance = IdFilter(field_name="instance_id")
    state = filters.ChoiceFilter(choices=State.choices)
    refusal = filters.CharFilter(field_name="refusal", max_length=30)

    class Meta:
        model = DefaultTrackChange
        fields: list[str] = []


class DefaultTrackQueueSerializer(ActQueueSerializer):
    """Which changes: their ids, or every change of these items, or of one run (one of
    the three)."""

    journal = DefaultTrackChange
    ids = id_list(_("Change ids (GET /api/default-tracks/)."))
    media = id_list(_("Item ids: each of their files' changes."))


class DefaultTrackQueuedSerializer(ActQueuedSerializer):
    queued = serializers.IntegerField(help_text=_("How many files a worker was given."))


_QUEUED = {202: DefaultTrackQueuedSerializer, 200: DefaultTrackQueuedSerializer}


class DefaultTrackChangeViewSet(
    ReaderLanguageMixin, viewsets.ReadOnlyModelViewSet[DefaultTrackChange]
):
    """Each file's planned default audio and subtitle track and what became of it:
    planned, refused (and why), written, failed, undone. ``POST apply/`` writes planned
    changes, ``POST undo/`` puts back written ones: both queue the work for a worker."""

    queryset = (
        DefaultTrackChange.objects.select_related("media")
        .defer("patch_old", "patch_new")
        .annotate(patch_length=Length("patch_new"))
    )
    serializer_class = DefaultTrackChangeSerializer
    filterset_class = DefaultTrackFilter
    search_fields = ("media__title",)
    ordering_fields = ("planned_at", "updated_at", "id")
    ordering = ("-planned_at", "-id")
    # Writing files is operating the scanner, as starting a scan is.
    action_permissions = {
        "apply": ["scanner.change_instance"],
        "undo": ["scanner.change_instance"],
        "plan_again": ["scanner.change_instance"],
    }

    @extend_schema(request=DefaultTrackQueueSerializer, responses=_QUEUED)
    @action(detail=False, methods=["post"], url_path="plan-again")
    def plan_again(self, request: Request) -> Response:
        """Plan again the undone or refused changes asked for (ids, items or a run): 202
        with the files queued for a worker, which reads them and plans them (nothing is
        written: apply what it planned); 200 when none of them was undone or refused."""
        given = DefaultTrackQueueSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        asked = given.chosen()
        ids = list(asked.filter(state__in=again.AGAIN).order_by("pk").values_list("pk", flat=True))
        queued = again.queue(ids) if ids else 0
        body = {
            "queued": queued,
            "ids": ids if queued else [],
            "left_out": asked.count() - len(ids),
            "detail": _planned_again_text(queued),
        }
        code = status.HTTP_202_ACCEPTED if queued else status.HTTP_200_OK
        return Response(DefaultTrackQueuedSerializer(body).data, status=code)

    @extend_schema(request=DefaultTrackQueueSerializer, responses=_QUEUED)
    @action(detail=False, methods=["post"])
    def apply(self, request: Request) -> Response:
        """Write the planned changes asked for (ids, items or a run): 202 with the files
        queued for a worker; 200 when none of them is planned (nothing queued)."""
        return self._queue(request, applying=True)

    @extend_schema(request=DefaultTrackQueueSerializer, responses=_QUEUED)
    @action(detail=False, methods=["post"])
    def undo(self, request: Request) -> Response:
        """Put back the bytes of the written changes asked for (ids, items or a run): 202
        with the files queued for a worker (one changed since it was written is left as
        it is, its change says so); 200 when none of them is written (nothing queued)."""
        return self._queue(request, applying=False)

    def _queue(self, request: Request, *, applying: bool) -> Response:
        given = DefaultTrackQueueSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        asked = given.chosen()
        states = APPLICABLE if applying else UNDOABLE
        # An applied change needs its item (a worker takes an item's files together): one
        # whose item is gone is left out, as scanner.default_tracks.apply.queue leaves it.
        takes = asked.filter(state__in=states)
        if applying:
            takes = takes.filter(media__isnull=False)
        ids = list(takes.order_by("pk").values_list("pk", flat=True))
        queued = 0
        user, via = request.user.get_username(), Event.Via.API
        if ids and applying:
            queued = apply_step.queue(change_ids=ids, by=user, via=via)
        elif ids:
            queued = undo_step.queue(change_ids=ids, by=user, via=via)
        body = {
            "queued": queued,
            "ids": ids if queued else [],
            "left_out": asked.count() - len(ids),
            "detail": _queued_text(applying, queued),
        }
        code = status.HTTP_202_ACCEPTED if queued else status.HTTP_200_OK
        return Response(DefaultTrackQueuedSerializer(body).data, status=code)


def _planned_again_text(count: int) -> str:
    if not count:
        return gettext("Nothing was queued: none of these changes was undone or refused.")
    return ngettext(
        "Queued %(count)d file for a worker to plan its default tracks again.",
        "Queued %(count)d files for a worker to plan their default tracks again.",
        count,
    ) % {"count": count}


def _queued_text(applying: bool, count: int) -> str:
    if not count and applying:
        return gettext("Nothing was queued: none of these changes is planned.")
    if not count:
        return gettext("Nothing was queued: none of these changes is written.")
    if applying:
        return ngettext(
            "Queued %(count)d file for a worker to set its default tracks.",
            "Queued %(count)d files for a worker to set their default tracks.",
            count,
        ) % {"count": count}
    return ngettext(
        "Queued %(count)d file for a worker to undo its default tracks.",
        "Queued %(count)d files for a worker to undo their default tracks.",
        count,
    ) % {"count": count}
