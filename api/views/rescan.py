"""``POST /api/rescan/ {"path": ...}``: rescan the items whose folder holds a path, for
tools that change files behind the *arr's back (Bazarr's post-processing, Tdarr).
``path`` comes as JSON or as a form field (``curl --data-urlencode path=...``: the
README's Bazarr command, which needs no JSON quoting of the path), checked alike."""

from __future__ import annotations

from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.language import ReaderLanguageMixin
from scanner.actions.rescan_path import (
    MAX_PATH_FOLDERS,
    MAX_PATH_LENGTH,
    NoItemAtPath,
    rescan_path,
)
from scanner.errors import ConfigError
from scanner.models import Instance


class RescanPathSerializer(serializers.Serializer[Any]):
    path = serializers.CharField(
        max_length=MAX_PATH_LENGTH, trim_whitespace=False,
        help_text=format_lazy(
            _(
                "A file or folder as this host, the *arr or the tool sees it (at most "
                "{length} characters and {folders} folders deep)."
            ),
            length=MAX_PATH_LENGTH,
            folders=MAX_PATH_FOLDERS,
        ),
    )  # fmt: skip


_RESCAN = inline_serializer(
    "Rescan",
    fields={
        "item": serializers.CharField(),
        "instance": serializers.CharField(),
        "scan": serializers.IntegerField(allow_null=True),
    },
    many=True,
)


class RescanPathView(ReaderLanguageMixin, APIView):
    # Starting a scan is operating the scanner, as the admin's "Scan now" is.
    queryset = Instance.objects.none()  # the model the permission check asks about
    action_permissions = {None: ["scanner.change_instance"]}

    @extend_schema(request=RescanPathSerializer, responses={202: _RESCAN, 400: None, 404: None})
    def post(self, request: Request) -> Response:
        """Rescan the items whose folder holds ``path``: 202 with each item and the scan
        that took it (null: its instance's active scan takes it when it ends)."""
        given = RescanPathSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            rescans = rescan_path(given.validated_data["path"])
        except NoItemAtPath as exc:
            raise NotFound(str(exc)) from None
        except ConfigError as exc:
            raise ValidationError({"path": [str(exc)]}) from None
        body: list[dict[str, Any]] = [
            {
                "item": each.media.title,
                "instance": each.media.instance.name,
                "scan": each.run.pk if each.run else None,
            }
            for each in rescans
        ]
        return Response(body, status=status.HTTP_202_ACCEPTED)
