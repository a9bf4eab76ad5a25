"""``POST /api/search-missing/``: ask the *arr to search for the episodes and movies whose
files lack a target language (issue 44), or preview what that would ask for."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.language import ReaderLanguageMixin
from scanner import tasks
from scanner.models import Media, MissingSearch
from scanner.searches.actions import preview_search, queue_search
from scanner.searches.plan import SearchPlan
from scanner.searches.varieties import custom_format_hints

MAX_ITEMS = 200


class SearchMissingSerializer(serializers.Serializer[Any]):
    media = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        min_length=1,
        max_length=MAX_ITEMS,
        help_text=_("Item ids (GET /api/media/)."),
    )
    season = serializers.IntegerField(
        min_value=0, max_value=100_000, required=False, allow_null=True,
        help_text=_("Only this season's episodes (one series)."),
    )  # fmt: skip
    preview = serializers.BooleanField(
        default=False, help_text=_("Say what would be asked for, ask nothing.")
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("season") is not None and len(set(attrs["media"])) != 1:
            raise serializers.ValidationError({"season": ["A season is of one series."]})
        return attrs


_PLAN = inline_serializer(
    "MissingSearchPlan",
    fields={
        "queued": serializers.BooleanField(),
        "searches": serializers.ListField(child=serializers.DictField()),
        "skipped": serializers.ListField(child=serializers.DictField()),
        "left_today": serializers.DictField(child=serializers.IntegerField()),
    },
)


def plan_body(plan: SearchPlan, *, queued: bool) -> dict[str, Any]:
    return {
        "queued": queued,
        "searches": [
            {
                "media": search.media.pk,
                "title": search.media.title,
                "instance": search.media.instance.name,
                "episodes": [list(pair) for pair in search.episodes],
                "count": search.count,
                "missing": search.missing,
                "note": search.note,
                # A regional target: the custom format the *arr needs to prefer it.
                "custom_formats": custom_format_hints(search.missing),
            }
            for search in plan.searches
        ],
        "skipped": [
            {"media": each.media.pk, "title": each.media.title, "reason": each.reason}
            for each in plan.skipped
        ],
        "left_today": plan.left_today,
    }


class SearchMissingView(ReaderLanguageMixin, APIView):
    # Asking the *arr to search is operating the scanner, as "Scan now" is.
    queryset = Media.objects.none()
    action_permissions = {None: ["scanner.change_instance"]}

    @extend_schema(request=SearchMissingSerializer, responses={200: _PLAN, 202: _PLAN, 404: None})
    def post(self, request: Request) -> Response:
        """202 with what a worker asks the *arr for: what this call reserved under the
        daily bound (per item, the episodes whose files lack a target; calls at the same
        time share the bound, each answer counts only its own share; items searched
        within the interval, or past the bound, are skipped, with why); 200 for a
        preview, or when nothing was reserved."""
        given = SearchMissingSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        season, media = given.validated_data.get("season"), given.validated_data["media"]
        if given.validated_data["preview"]:
            plan = preview_search(media, season=season)
        else:
            user = request.user.get_username()
            trigger = MissingSearch.Trigger.API
            plan = queue_search(
                media, season=season, trigger=trigger, user=user, send=tasks.send_missing_search
            )
        if not plan.searches and not plan.skipped:
            raise NotFound(_("no such items"))
        queued = bool(plan.searches) and not given.validated_data["preview"]
        code = status.HTTP_202_ACCEPTED if queued else status.HTTP_200_OK
        return Response(plan_body(plan, queued=queued), status=code)
