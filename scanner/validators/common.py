"""A ValidationError with its parameters, as every validator raises it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # a message, or one translated when shown


def invalid(template: StrOrPromise, **params: Any) -> ValidationError:
    """User input goes into ``params``, never into the message itself: callers such as
    django-filter %-format every message, and a '%' typed by a user must not break that."""
    return ValidationError(template, params=params)
