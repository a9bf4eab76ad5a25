"""Model fields of the scanner's own."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from scanner import names

# Django's fields are generic only in django-stubs: subscripting one at run time needs
# django_stubs_ext.monkeypatch(), which the product does not install. The checker sees a
# text field that takes and gives a str (so a model's ``path`` is a str to it).
if TYPE_CHECKING:
    from django.db.models.expressions import Combinable

    _TextField = models.TextField[str | Combinable, str]
else:
    _TextField = models.TextField


class FileNameField(_TextField):
    """A path or file name as the file system gives it, bytes that are not UTF-8
    included: stored escaped (scanner.engine.names), handed out as the original str,
    so it opens the file again and compares equal to a fresh directory listing."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return names.from_storage(value) if isinstance(value, str) else value

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return names.to_storage(value) if isinstance(value, str) else value
