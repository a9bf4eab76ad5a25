from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api.filters import ScanRunFilter
from api.serializers.scans import Conflict, ScanRunSerializer, ScanStartSerializer
from api.views.base import PerActionMixin
from scanner.actions.scans import RunStateError, ScanAlreadyActive, cancel_scan, resume_scan
from scanner.models import ScanRun


# The POST answers with the new run (ScanStartSerializer.to_representation).
@extend_schema_view(create=extend_schema(responses={201: ScanRunSerializer}))
class ScanRunViewSet(
    PerActionMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Scan runs with progress. ``POST`` starts a scan (409 while one is active)."""

    queryset = ScanRun.objects.select_related("instance")
    serializer_class = ScanRunSerializer
    action_serializers = {"create": ScanStartSerializer}
    filterset_class = ScanRunFilter
    ordering_fields = ("created_at", "finished_at", "id")
    ordering = ("-created_at", "-id")
    # Starting, cancelling and resuming are operating the scanner, as the admin's
    # "Scan now" is: for those who may change instances.
    action_permissions = {
        action: ["scanner.change_instance"] for action in ("create", "cancel", "resume")
    }

    @extend_schema(request=None, responses={200: ScanRunSerializer, 409: None})
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """Stop a queued, running or interrupted scan; nothing more is applied."""
        try:
            run = cancel_scan(self.get_object())
        except RunStateError as exc:
            raise Conflict(str(exc)) from None
        return Response(ScanRunSerializer(run, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses={200: ScanRunSerializer, 409: None})
    @action(detail=True, methods=["post"])
    def resume(self, request: Request, pk: str | None = None) -> Response:
        """Finish an interrupted scan: items already done stay done."""
        try:
            run = resume_scan(self.get_object())
        except (RunStateError, ScanAlreadyActive) as exc:
            raise Conflict(str(exc)) from None
        return Response(ScanRunSerializer(run, context=self.get_serializer_context()).data)
