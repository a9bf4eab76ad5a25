"""A fake Sonarr/Radarr that behaves as docs/arr-api.md says, for development,
the tests and the benchmark. Standard library only.

It plays Sonarr v3 to v5 and Radarr v3 to v6 (``FakeArrOptions.version``, ``--version``;
another major is a ValueError), by default the releases ``SONARR_V4`` (4.0.14.2939) and
``RADARR_V5`` (5.26.2.10099). What differs by release:

- v3 (either app) answers a refused key with 401 ``{"error": "Unauthorized"}``, v4 and
  later with an empty 401;
- ``originalLanguage`` is served from Sonarr v4.0 and Radarr v4.1, with the ids of that
  release's language table (languages.py: Sonarr v4's; Radarr's grew from v5.9.1 to
  v6.0.3), English for a language the release does not know; in webhooks too;
- tag labels outside ``^[a-z0-9-]+$`` answer 400 from Radarr v6 and Sonarr v5
  (``strict_tag_labels``);
- Sonarr v5 (``SONARR_V5``, a develop build: v5 has no release yet) serves ``/api/v5``
  beside ``/api/v3`` for the series, their editor (200, where v3 answers 202), tags,
  episode files, episodes, commands, quality profiles and the status; its episode files
  carry per-stream media info on ``/api/v5`` and ``und`` for an untagged stream on
  ``/api/v3`` (streams.py).

Commands (``POST /api/v3/command``) are queued and answered as the real controller does,
the search commands ``EpisodeSearch`` and ``MoviesSearch`` included (commands.py); Sonarr's
episodes (``GET /api/v3/episode``) are made from its episode files unless set (episodes.py).
The history (``GET /api/v3/history``, paged and filtered, and ``POST
/api/v3/history/failed/{id}``) is what ``state.history`` holds (history.py); the queue
(``GET /api/v3/queue``, paged and filtered as each release does) what ``state.queue``
holds (queue.py: records added, moved on, leaving while a client pages, a 500).
Every item lists a poster and a fanart in ``images`` and ``GET /api/v3/mediacover/{id}/
{file}`` serves them, tiny real JPEGs; ``state.covers`` sets, changes or removes one
(covers.py). Quality profiles and custom formats (``GET /api/v3/qualityprofile``,
``/api/v3/customformat``, Language conditions with the release's ids) are set with
``state.set_profiles`` and ``state.set_custom_formats`` (profiles.py); Sonarr v3 has
no custom formats (404). The editor changes an item's ``qualityProfileId`` and refuses
an unknown profile (400). Each item's candidate releases (``state.set_releases``, real
names in release_names.py) are served by ``GET /api/v3/release`` scored with the item's
current profile as CustomFormatCalculationService does (scoring.py, release_parser.py,
releases.py); a search command grabs the best one (``state.grabs``). TRaSH-like formats
and profiles for tests: format_samples.py.

Not played: Sonarr v3's language names in ``audioLanguages`` (the fake serves what its
items hold; the samples give the v4 form), Sonarr v4 taking an empty tag label (the
fake answers 400 on every release), Auto Tagging, the tag housekeeping job, the rest
of ``/api/v5``.

In process::

    with FakeArr(FakeArrOptions(app="sonarr"), items=[build_series(1)]) as fake:
        ...  # fake.url, fake.state.counters()

As a process: ``python -m fakes.arr --help``.
"""

from __future__ import annotations

from fakes.arr.options import (
    RADARR_V5,
    RADARR_V6,
    SONARR_V3,
    SONARR_V4,
    SONARR_V5,
    FakeArrOptions,
)
from fakes.arr.samples import (
    build_episode_file,
    build_movie,
    build_series,
    generate_library,
)
from fakes.arr.server import FakeArr
from fakes.arr.state import FakeArrState, PartialPut
from fakes.arr.webhooks import (
    radarr_download_webhook,
    sonarr_download_webhook,
    sonarr_file_delete_webhook,
)

__all__ = [
    "RADARR_V5",
    "RADARR_V6",
    "SONARR_V3",
    "SONARR_V4",
    "SONARR_V5",
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
    "sonarr_file_delete_webhook",
]
