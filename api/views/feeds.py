"""``/api/feed-tokens/``: the tokens of the dub news feed (web.feeds). ``POST`` makes one
and answers with the feed's URL, once; ``POST /{id}/revoke/`` closes that feed."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.language import creator_language
from api.language import ReaderLanguageMixin
from api.serializers.feeds import FeedTokenCreatedSerializer, FeedTokenSerializer
from scanner.models import FeedToken
from scanner.models.feeds import feed_path


class FeedTokenViewSet(
    ReaderLanguageMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[FeedToken],
):
    queryset = FeedToken.objects.select_related("instance")
    serializer_class = FeedTokenSerializer
    filterset_fields = ("instance",)
    ordering_fields = ("created_at", "id")
    action_permissions = {"revoke": ["scanner.delete_feedtoken"]}

    @extend_schema(responses={201: FeedTokenCreatedSerializer})
    def create(self, request: Request, *args: object, **kwargs: object) -> Response:
        given = FeedTokenSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        token, plain = FeedToken.issue(
            given.validated_data["name"],
            given.validated_data.get("instance"),
            user=request.user.get_username(),
            language=given.validated_data.get("language") or creator_language(request.user),
        )
        body = FeedTokenSerializer(token).data
        body["url"] = request.build_absolute_uri(feed_path(plain))
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: FeedTokenSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str | None = None) -> Response:
        token = self.get_object()
        token.revoke()
        return Response(FeedTokenSerializer(token).data)
