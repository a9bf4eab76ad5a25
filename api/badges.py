"""The dub badges' endpoint (``/api/badges/``, issue 95): each poster's planned badges and
what became of them (the journal of scanner.badges), read only, newest first; ``POST
apply/`` and ``POST undo/`` queue the work for a worker (the posters are where the
workers are, or on the media servers they reach) and answer 202 with what was queued.

A row is said in words only: its badges, its refusal as a sentence. What a media server
answered (the detail's ``said``), the fingerprints and the posters' bytes stay in the
journal, never in an answer."""

from __future__ import annotations

from typing import Any

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
from scanner.badges import refusals, review
from scanner.badges.act import ACT
from scanner.changes.queue import queue_apply, queue_undo
from scanner.models import BadgeChange, Event

State = BadgeChange.State
Where = BadgeChange.Where
# The states undo takes (BadgeChange.UNDOABLE's): the poster may hold the badges drawn.
UNDOABLE_STATES = (State.WRITING, State.WRITTEN)


class BadgeSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(help_text=_("The badge's word, as the poster shows it."))
    kind = serializers.CharField()
    code = serializers.CharField()


def _badges(value: object) -> list[dict[str, str]]:
    """The stored badges, each its text, kind and code only (as strings)."""
    return [
        {key: str(badge.get(key, "")) for key in ("text", "kind", "code")}
        for badge in (value if isinstance(value, list) else [])
        if isinstance(badge, dict)
    ]


class BadgeChangeSerializer(serializers.ModelSerializer[BadgeChange]):
    media_title = serializers.CharField(source="media.title", read_only=True, allow_null=True)
    title = serializers.SerializerMethodField(
        help_text=_("The item's title, and the season's number for a season's poster.")
    )
    server_name = serializers.SerializerMethodField(
        help_text=_("The media server's name (server rows); empty for a poster file.")
    )
    path = serializers.SerializerMethodField(
        help_text=_(
            "The poster file, as the worker opens it; for a media server's poster, the "
            "server's name."
        )
    )
    badges = serializers.SerializerMethodField(
        help_text=_("The badges' words, in the order the poster shows them.")
    )
    badge_items = serializers.SerializerMethodField(
        help_text=_("Each badge as planned: its text, kind and code.")
    )
    badges_text = serializers.SerializerMethodField(
        help_text=_("The badges as a person reads them (VFQ, EN); a dash for none.")
    )
    refusal = serializers.CharField(
        read_only=True,
        help_text=_(
            "Why the poster is left alone, or failed, as a code (no-poster, hardlinked, "
            "changed, server-unanswered ...); empty when nothing was refused."
        ),
    )
    undo_refusal = serializers.SerializerMethodField(
        help_text=_(
            "Why its undo left the poster as it was, as a code (changed ...); empty when "
            "no undo was refused."
        )
    )
    refusal_text = serializers.SerializerMethodField(
        help_text=_(
            "The refusal (or the undo's refusal) as a sentence, in the request's language "
            "(Accept-Language, or the user's saved language); empty when nothing was refused."
        )
    )

    class Meta:
        model = BadgeChange
        fields = (
            "id", "instance", "media", "media_title", "title", "run", "where", "server",
            "server_name", "season", "path", "state", "badges", "badge_items", "badges_text",
            "refusal", "undo_refusal", "refusal_text", "planned_at", "applied_at",
            "applied_by", "undone_at", "undone_by", "updated_at",
        )  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_title(self, change: BadgeChange) -> str:
        return names.display(review.title(change))

    @extend_schema_field(serializers.CharField())
    def get_server_name(self, change: BadgeChange) -> str:
        if change.server is not None:
            return change.server.name
        return change.path if change.where == Where.SERVER else ""

    @extend_schema_field(serializers.CharField())
    def get_path(self, change: BadgeChange) -> str:
        if change.where == Where.SERVER:
            return change.path
        return names.display(change.path)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_badges(self, change: BadgeChange) -> list[str]:
        return [badge["text"] for badge in _badges(change.badges) if badge["text"]]

    @extend_schema_field(BadgeSerializer(many=True))
    def get_badge_items(self, change: BadgeChange) -> list[dict[str, str]]:
        return _badges(change.badges)

    @extend_schema_field(serializers.CharField())
    def get_badges_text(self, change: BadgeChange) -> str:
        return review.said(change.badges)

    @extend_schema_field(serializers.CharField())
    def get_undo_refusal(self, change: BadgeChange) -> str:
        detail = change.detail if isinstance(change.detail, dict) else {}
        return str(detail.get("undo") or "")

    @extend_schema_field(serializers.CharField())
    def get_refusal_text(self, change: BadgeChange) -> str:
        detail = change.detail if isinstance(change.detail, dict) else {}
        if detail.get("undo"):
            return refusals.undo_text(str(detail["undo"]), detail)
        if not change.refusal:
            return ""
        return refusals.refusal_text(change.refusal, detail)


class BadgeChangeFilter(filters.FilterSet):
    run = IdFilter(field_name="run_id")
    media = IdFilter(field_name="media_id")
    instance = IdFilter(field_name="instance_id")
    state = filters.ChoiceFilter(choices=State.choices)
    where = filters.ChoiceFilter(choices=Where.choices)
    refusal = filters.CharFilter(field_name="refusal", max_length=30)

    class Meta:
        model = BadgeChange
        fields: list[str] = []


class BadgeQueueSerializer(ActQueueSerializer):
    """Which changes: their ids, or every change of these items, or of one run (one of
    the three)."""

    journal = BadgeChange
    ids = id_list(_("Change ids (GET /api/badges/)."))
    media = id_list(_("Item ids: each of their posters' changes."))


class BadgeQueuedSerializer(ActQueuedSerializer):
    queued = serializers.IntegerField(help_text=_("How many posters a worker was given."))


_QUEUED = {202: BadgeQueuedSerializer, 200: BadgeQueuedSerializer}


class BadgeChangeViewSet(ReaderLanguageMixin, viewsets.ReadOnlyModelViewSet[BadgeChange]):
    """Each poster's planned dub badges and what became of them: planned, refused (and
    why), written, failed, undone. ``POST apply/`` draws planned badges, ``POST undo/``
    puts the original posters back: both queue the work for a worker."""

    queryset = BadgeChange.objects.select_related("media", "server").defer(
        "badges_digest", "seen_digest", "original_digest", "written_digest"
    )
    serializer_class = BadgeChangeSerializer
    filterset_class = BadgeChangeFilter
    search_fields = ("media__title",)
    ordering_fields = ("planned_at", "updated_at", "id")
    ordering = ("-planned_at", "-id")
    # Writing a poster is operating the scanner, as writing default tracks is.
    action_permissions = {
        "apply": ["scanner.change_instance"],
        "undo": ["scanner.change_instance"],
    }

    @extend_schema(request=BadgeQueueSerializer, responses=_QUEUED)
    @action(detail=False, methods=["post"])
    def apply(self, request: Request) -> Response:
        """Draw the planned badges asked for (ids, items or a run): 202 with the posters
        queued for a worker; 200 when none of them is planned (nothing queued)."""
        return self._queue(request, applying=True)

    @extend_schema(request=BadgeQueueSerializer, responses=_QUEUED)
    @action(detail=False, methods=["post"])
    def undo(self, request: Request) -> Response:
        """Put back the original posters of the written changes asked for (ids, items or
        a run): 202 with the posters queued for a worker (one another poster replaced
        since is left alone, its change says so); 200 when none of them is written."""
        return self._queue(request, applying=False)

    def _queue(self, request: Request, *, applying: bool) -> Response:
        given = BadgeQueueSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        asked = given.chosen()
        # A planned poster needs its item (a worker takes an item's posters together):
        # one whose item is gone is left out, as scanner.changes.queue leaves it.
        if applying:
            takes = asked.filter(state=State.PLANNED, media__isnull=False)
        else:
            takes = asked.filter(BadgeChange.UNDOABLE)
        ids = list(takes.order_by("pk").values_list("pk", flat=True))
        queued = 0
        user, via = request.user.get_username(), Event.Via.API
        if ids and applying:
            # Counted in posters (queue_apply counts the items, a task each).
            queued = len(ids) if queue_apply(ACT, change_ids=ids, by=user, via=via) else 0
        elif ids:
            queued = queue_undo(ACT, ids, states=UNDOABLE_STATES, by=user, via=via)
        body = {
            "queued": queued,
            "ids": ids if queued else [],
            "left_out": asked.count() - len(ids),
            "detail": _queued_text(applying, queued),
        }
        code = status.HTTP_202_ACCEPTED if queued else status.HTTP_200_OK
        return Response(BadgeQueuedSerializer(body).data, status=code)


def _queued_text(applying: bool, count: int) -> str:
    if not count and applying:
        return gettext("Nothing was queued: none of these changes is planned.")
    if not count:
        return gettext("Nothing was queued: none of these changes is written.")
    if applying:
        return ngettext(
            "Queued %(count)d poster for a worker to draw its badges.",
            "Queued %(count)d posters for a worker to draw their badges.",
            count,
        ) % {"count": count}
    return ngettext(
        "Queued %(count)d poster for a worker to put its original back.",
        "Queued %(count)d posters for a worker to put their originals back.",
        count,
    ) % {"count": count}
