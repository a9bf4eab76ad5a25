from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class TokenRequestSerializer(serializers.Serializer[Any]):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, write_only=True)
    name = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("What will use the token."),
    )


class TokenIssuedSerializer(serializers.Serializer[Any]):
    token = serializers.CharField(help_text=_("Shown once: only its digest is stored."))
    prefix = serializers.CharField()
    name = serializers.CharField()
    created_at = serializers.DateTimeField()
