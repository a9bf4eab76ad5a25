from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from api.filters import ScanRunFilter
from api.language import ReaderLanguageMixin
from api.serializers.scan_items import STATES, ScanItemCountsSerializer, ScanItemStateSerializer
from api.serializers.scans import Conflict, ScanRunSerializer, ScanStartSerializer
from api.views.base import PerActionMixin
from scanner.actions.scans import RunStateError, ScanAlreadyActive, cancel_scan, resume_scan
from scanner.models import ScanItem, ScanRun
from scanner.reports import item_states


# The POST answers with the new run (ScanStartSerializer.to_representation).
@extend_schema_view(create=extend_schema(responses={201: ScanRunSerializer}))
class ScanRunViewSet(
    ReaderLanguageMixin,
    PerActionMixin[ScanRun],
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[ScanRun],
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

    @extend_schema(
        parameters=[
            OpenApiParameter("state", str, enum=STATES, description=_("Only items in this state."))
        ],
        responses={200: ScanItemStateSerializer(many=True)},
    )
    @action(detail=True, methods=["get"])
    def items(self, request: Request, pk: str | None = None) -> Response:
        """Each item of the run in its state, failed first: scanned, failed with the
        reason, waiting for a retry (until when, the last error), held by a worker, not
        yet claimed. A scanned item's row is removed when the run's tags are written:
        then ``item_counts`` counts it."""
        run = self.get_object()
        rows = item_states.run_items(run)
        wanted = request.query_params.get("state")
        if wanted:
            if wanted not in STATES:
                raise ValidationError({"state": [f"one of {', '.join(STATES)}"]})
            rows = item_states.in_state(rows, run, item_states.ItemState(wanted))
        # The stubs page only the view's own model (ScanRun); DRF pages any queryset.
        page: list[ScanItem] | None = self.paginate_queryset(rows)  # type: ignore[arg-type]
        views = item_states.item_views(run, page if page is not None else rows)
        data = ScanItemStateSerializer(views, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    @extend_schema(responses={200: ScanItemCountsSerializer})
    @action(detail=True, methods=["get"], url_path="item-counts")
    def item_counts(self, request: Request, pk: str | None = None) -> Response:
        """How many of the run's items are in each state."""
        tally = item_states.counts(self.get_object())
        return Response(ScanItemCountsSerializer({str(k): v for k, v in tally.items()}).data)
