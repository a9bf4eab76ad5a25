"""Builds the *arr client of an instance (the only place that decrypts its API key)."""

from __future__ import annotations

from django.conf import settings

from scanner.arr import ArrClient, ArrConfig, make_client
from scanner.errors import ConfigError
from scanner.models import Instance


def arr_client(instance: Instance) -> ArrClient:
    if not instance.is_arr:
        raise ConfigError(f"instance {instance.name!r} is a library folder, it has no *arr")
    config = ArrConfig(
        name=instance.name,
        kind=instance.kind,  # type: ignore[arg-type]
        url=instance.url,
        api_key=instance.get_api_key(),
        connect_timeout=instance.connect_timeout,
        read_timeout=instance.read_timeout,
        pool_size=settings.WORKER_CONCURRENCY,
        client_version=settings.VERSION,
    )
    return make_client(config)
