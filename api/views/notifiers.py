from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api.language import ReaderLanguageMixin
from api.serializers.notifiers import NotifierSerializer, TestQueuedSerializer
from scanner import tasks
from scanner.models import Notifier


class NotifierViewSet(ReaderLanguageMixin, viewsets.ModelViewSet[Notifier]):
    """Notifications through Apprise. ``POST /api/notifiers/{id}/test/`` queues a test
    message for a worker; the result shows as ``last_sent_at`` or ``last_error``."""

    queryset = Notifier.objects.prefetch_related("instances")
    serializer_class = NotifierSerializer
    filterset_fields = ("enabled",)
    search_fields = ("name",)
    ordering_fields = ("name", "id", "created_at")
    action_permissions = {"test": ["scanner.change_notifier"]}  # the admin's action asks so

    @extend_schema(request=None, responses={202: TestQueuedSerializer})
    @action(detail=True, methods=["post"])
    def test(self, request: Request, pk: str | None = None) -> Response:
        notifier = self.get_object()
        tasks.send_notifier_test(notifier.pk)
        body = {"queued": True, "detail": _("a worker sends the test message")}
        return Response(body, status=status.HTTP_202_ACCEPTED)
