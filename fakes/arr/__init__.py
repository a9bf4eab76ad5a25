"""A fake Sonarr/Radarr that behaves as docs/arr-api.md says, for tests, benchmarks
and a local demo. Standard library only.

In process::

    with FakeArr(FakeArrOptions(app="sonarr"), items=[build_series(1)]) as fake:
        ...  # fake.url, fake.state.counters()

As a process: ``python -m fakes.arr --help``.
"""

from __future__ import annotations

from fakes.arr.options import RADARR_V5, RADARR_V6, SONARR_V3, SONARR_V4, FakeArrOptions
from fakes.arr.samples import (
    build_episode_file,
    build_movie,
    build_series,
    generate_library,
)
from fakes.arr.server import FakeArr
from fakes.arr.state import FakeArrState, PartialPut
from fakes.arr.webhooks import radarr_download_webhook, sonarr_download_webhook

__all__ = [
    "RADARR_V5",
    "RADARR_V6",
    "SONARR_V3",
    "SONARR_V4",
    "FakeArr",
    "FakeArrOptions",
    "FakeArrState",
    "PartialPut",
    "build_episode_file",
    "build_movie",
    "build_series",
    "generate_library",
    "radarr_download_webhook",
    "sonarr_download_webhook",
]
