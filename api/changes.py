"""Every act's changes together (``/api/changes/``, issue 93, item 3), read only: what
Taggarr plans to change in the files and the *arrs and what it changed, newest first, a
bounded page at a time, each change as codes and, beside them, the sentences a person
reads (in the request's language), as the Changes page in the admin lists them. Apply
and undo stay each act's own (``POST apply/`` and ``undo/`` of its endpoint, ``endpoint``
here).

The endpoint names no act: the acts are the change flow's (scanner.changes.registry),
merged by time a page at a time (scanner.changes.review.page_of)."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from api.language import ReaderLanguageMixin
from api.permissions import may
from scanner.changes.act import Act
from scanner.changes.review import MAX_DEPTH, Filters, ReviewLine, page_of, readable

BIG_ID = 2**63 - 1  # row ids are 64-bit: a larger one would overflow in the driver
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
# Each act's own endpoint (its POST apply/ and undo/), by the act's name: its route's name.
ENDPOINTS = {
    "default_tracks": "default-track-list",
    "wish_profiles": "profile-change-list",
    "badges": "badge-change-list",
}


def readable_acts(user: Any) -> list[Act]:
    """The acts whose journal the user may read (view, or change, as in the admin)."""
    return readable(lambda permission: may(user, permission))


class ChangesQuerySerializer(serializers.Serializer[Any]):
    """The filters and the page, checked: a value out of range is a 400, never a 500."""

    act = serializers.CharField(
        required=False, allow_blank=True, max_length=30, help_text=_("One act, by its name.")
    )
    instance = serializers.IntegerField(required=False, min_value=1, max_value=BIG_ID)
    media = serializers.IntegerField(required=False, min_value=1, max_value=BIG_ID)
    state = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=30,
        help_text=_("A state code, as each act's own endpoint gives it: planned, written ..."),
    )
    page = serializers.IntegerField(required=False, min_value=1, default=1)
    page_size = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_PAGE_SIZE, default=PAGE_SIZE
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        deepest = max(1, MAX_DEPTH // attrs["page_size"])
        if attrs["page"] > deepest:
            raise serializers.ValidationError(
                {
                    "page": _(
                        "Only the newest changes are listed, up to page %(page)d at this page "
                        "size: filter by instance, item or state to reach older ones."
                    )
                    % {"page": deepest}
                }
            )
        return attrs


class ShiftSerializer(serializers.Serializer[Any]):
    aspect = serializers.CharField(help_text=_("What is changed: audio, subtitle, profile."))
    name = serializers.CharField(source="label", help_text=_("Its name, in the reader's language."))
    before = serializers.CharField()
    after = serializers.CharField()


class ChangeLineSerializer(serializers.Serializer[Any]):
    act = serializers.CharField(help_text=_("The act's name: default_tracks, wish_profiles."))
    act_label = serializers.CharField(help_text=_("The act's name, in the reader's language."))
    id = serializers.IntegerField(source="change_id", help_text=_("The change's id in its act."))
    media = serializers.IntegerField(source="media_id", allow_null=True)
    title = serializers.CharField()
    instance = serializers.IntegerField(source="instance_id")
    instance_name = serializers.CharField()
    subject = serializers.CharField(
        help_text=_("What inside the item is changed (a file's name); empty for the item.")
    )
    shifts = ShiftSerializer(many=True, help_text=_("What it moves, from before to after."))
    state = serializers.CharField()
    state_label = serializers.CharField()
    refusal = serializers.CharField(help_text=_("The refusal's code; empty when none."))
    refusal_text = serializers.CharField(
        help_text=_("The refusal as a sentence, in the reader's language; empty when none.")
    )
    when = serializers.DateTimeField(help_text=_("When the change last moved."))
    applicable = serializers.BooleanField(help_text=_("Its act's apply/ takes it."))
    undoable = serializers.BooleanField(help_text=_("Its act's undo/ takes it."))
    endpoint = serializers.SerializerMethodField(
        help_text=_(
            "The act's own endpoint, whose actions (apply) and (undo) take its changes; "
            "empty when it has none."
        )
    )

    def get_endpoint(self, line: ReviewLine) -> str:
        route = ENDPOINTS.get(line.act)
        if route is None:
            return ""
        try:
            return reverse(route)
        except NoReverseMatch:
            return ""


@extend_schema_serializer(many=False)  # one page (its lines inside), not a list of pages
class ChangesPageSerializer(serializers.Serializer[Any]):
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = ChangeLineSerializer(many=True)


class ChangeViewSet(ReaderLanguageMixin, viewsets.ViewSet):
    """Every act's changes, newest first: planned, refused (and why), written, failed,
    undone. Filters: ``act``, ``instance``, ``media``, ``state``; pages: ``page`` and
    ``page_size`` (the newest 10,000 changes at most: filter to reach older ones)."""

    # Any staff user may ask; the acts listed are those whose journal the user may read. A
    # method without an action here (None: a POST) passes on to its 405.
    action_permissions: dict[str | None, list[str]] = {"list": [], "metadata": [], None: []}

    @extend_schema(parameters=[ChangesQuerySerializer], responses=ChangesPageSerializer)
    def list(self, request: Request) -> Response:
        given = ChangesQuerySerializer(data=request.query_params)
        given.is_valid(raise_exception=True)
        asked = given.validated_data
        acts = readable_acts(request.user)
        if not acts:
            raise PermissionDenied
        filters = Filters(
            act=asked.get("act", ""),
            instance=asked.get("instance"),
            media=asked.get("media"),
            state=asked.get("state", ""),
        )
        page = page_of(filters, asked["page"], asked["page_size"], acts=acts)
        body = {
            "next": self._link(request, page.number + 1) if page.has_next else None,
            "previous": self._link(request, page.number - 1) if page.has_previous else None,
            "results": [entry.line for entry in page.entries],
        }
        return Response(ChangesPageSerializer(body).data)

    def _link(self, request: Request, number: int) -> str:
        query = request.query_params.copy()
        query["page"] = str(number)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
