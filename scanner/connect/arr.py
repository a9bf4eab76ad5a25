"""Builds the *arr client of an instance (the only place that decrypts its API key).

Its client sends each request once: the scan step's retry policy waits out an *arr
that restarts (scanner.pipeline.retries).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from scanner.arr import ArrClient, ArrConfig, make_client
from scanner.arr.config import arr_kind
from scanner.errors import ConfigError
from scanner.models import Instance


def arr_client(instance: Instance) -> ArrClient:
    return client_of(arr_config(instance))


def client_of(config: ArrConfig) -> ArrClient:
    return make_client(config)


def arr_config(instance: Instance) -> ArrConfig:
    """The instance's connection settings, API key decrypted. Equal configs make clients
    that are interchangeable (scanner.pipeline.scanning.arr_files keeps them by it)."""
    if not instance.is_arr:
        raise ConfigError(
            _("instance %(name)r is a library folder, it has no *arr") % {"name": instance.name}
        )
    return ArrConfig(
        name=instance.name,
        kind=arr_kind(instance.kind),
        url=instance.url,
        api_key=instance.get_api_key(),
        connect_timeout=instance.connect_timeout,
        read_timeout=instance.read_timeout,
        pool_size=settings.WORKER_CONCURRENCY,
        max_answer_mb=settings.MAX_ANSWER_MB,
        deadline=settings.HTTP_DEADLINE_SECONDS,
        client_version=settings.VERSION,
    )
