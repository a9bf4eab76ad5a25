from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAdminUser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.language import ReaderLanguageMixin
from api.serializers.stats import StatsQuerySerializer, StatsSerializer
from scanner.reports import stats


class StatsView(ReaderLanguageMixin, APIView):
    """Tags per instance (applied and planned) and the durations of recent scans."""

    # Every staff user, as the admin's dashboard that shows the same numbers.
    permission_classes = (IsAdminUser,)

    @extend_schema(parameters=[StatsQuerySerializer], responses=StatsSerializer)
    def get(self, request: Request) -> Response:
        query = StatsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        distribution, coverage = stats.library_counts()  # one pass over the items
        body = {
            "tags": distribution,
            "totals": stats.totals(distribution),
            "languages": coverage,
            "scans": stats.scan_history(
                days=query.validated_data["days"], limit=query.validated_data["limit"]
            ),
        }
        return Response(StatsSerializer(body).data)
