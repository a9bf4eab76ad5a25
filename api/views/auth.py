from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import ApiToken
from accounts.throttles import LOGIN_THROTTLES, login_failed, login_succeeded
from api.serializers.auth import TokenIssuedSerializer, TokenRequestSerializer

WRONG_CREDENTIALS = "Wrong user name or password, or the user is not a staff user."


class TokenView(APIView):
    """Exchange a staff user's name and password for a new API token (shown once).

    Send it as ``Authorization: Token <key>``. Limited per client address and
    per user name (429 with Retry-After).
    """

    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes = LOGIN_THROTTLES

    @extend_schema(
        request=TokenRequestSerializer,
        responses={201: TokenIssuedSerializer, 400: OpenApiResponse(description=_("Bad login"))},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        form = TokenRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        user = authenticate(
            request,
            username=form.validated_data["username"],
            password=form.validated_data["password"],
        )
        if user is None or not user.is_active or not user.is_staff:
            login_failed(request)  # a non-staff user's right password too: no hint
            raise serializers.ValidationError({"non_field_errors": [WRONG_CREDENTIALS]})
        login_succeeded(request)
        token, key = ApiToken.issue(user, form.validated_data["name"])
        body = {
            "token": key,
            "prefix": token.prefix,
            "name": token.name,
            "created_at": token.created_at,
        }
        return Response(TokenIssuedSerializer(body).data, status=status.HTTP_201_CREATED)
