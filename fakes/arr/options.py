"""The knobs of the fake Sonarr/Radarr: which release it plays and which failures it
stages. Frozen, so a running fake cannot be reconfigured behind a test's back."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

FakeApp = Literal["sonarr", "radarr"]

# Real releases (tags of the Sonarr and Radarr repositories).
SONARR_V3 = "3.0.9.1549"
SONARR_V4 = "4.0.14.2939"
RADARR_V5 = "5.26.2.10099"
RADARR_V6 = "6.0.3.10276"
# Sonarr v5 has no tag yet: its develop builds are numbered 5.0.0.<CI run>
# (.github/workflows/build_v5.yml on the v5-develop branch); this is one such number.
SONARR_V5 = "5.0.0.1"
DEFAULT_VERSIONS: dict[str, str] = {"sonarr": SONARR_V4, "radarr": RADARR_V5}
# The major releases the fake plays: those docs/arr-api.md was read from
# ("Releases read").
PLAYED_MAJORS: dict[str, tuple[int, ...]] = {"sonarr": (3, 4, 5), "radarr": (3, 4, 5, 6)}


@dataclass(frozen=True)
class FakeArrOptions:
    app: FakeApp = "sonarr"
    version: str = ""  # "" plays the app's default release (DEFAULT_VERSIONS)
    api_key: str = "fake-api-key"
    startup_503: int = 0  # the first N /api requests answer 503 "starting up"
    latency_s: float = 0.0  # added to every answer
    per_item_latency_s: float = 0.0  # list endpoints: latency_s + this x len(list)
    # Editor requests: this x the number of ids, after saving (the real server
    # recomputes every edited item's statistics before it answers).
    per_edit_latency_s: float = 0.0
    fail_put_ids: frozenset[int] = frozenset()  # 500 on PUT by id and on any editor PUT with them
    # Items that fail validation: 400 with a validation array on PUT by id, and for
    # the whole of any editor request naming one (nothing saved).
    invalid_ids: frozenset[int] = frozenset()
    # An editor request naming one of these is saved, then its answer is held back
    # until FakeArrState.release_stalls() (FakeArr.stop() calls it) or stall_s passes.
    stall_editor_ids: frozenset[int] = frozenset()
    stall_s: float = 60.0
    # Tag labels outside ^[a-z0-9-]+$ (any case) answer 400. None: as the release
    # does, i.e. Radarr from v6 and Sonarr from v5 (on /api/v3 and /api/v5 alike).
    strict_tag_labels: bool | None = None
    instance_name: str = ""

    def __post_init__(self) -> None:
        if not self.version:
            object.__setattr__(self, "version", DEFAULT_VERSIONS[self.app])
        if self.major_minor[0] not in PLAYED_MAJORS[self.app]:
            played = ", ".join(f"v{major}" for major in PLAYED_MAJORS[self.app])
            raise ValueError(f"the fake {self.app_title} plays {played}, not {self.version!r}")
        if self.strict_tag_labels is None:
            strict = self.version_tuple >= ((6,) if self.app == "radarr" else (5,))
            object.__setattr__(self, "strict_tag_labels", strict)

    @property
    def app_title(self) -> str:
        return "Sonarr" if self.app == "sonarr" else "Radarr"

    @property
    def resource(self) -> str:
        return "series" if self.app == "sonarr" else "movie"

    @property
    def ids_field(self) -> str:
        return "seriesIds" if self.app == "sonarr" else "movieIds"

    @property
    def version_tuple(self) -> tuple[int, ...]:
        return tuple(int(part) for part in re.findall(r"\d+", self.version))

    @property
    def major_minor(self) -> tuple[int, int]:
        major, minor, *_ = [*self.version_tuple, 0, 0]
        return major, minor

    @property
    def legacy_v3(self) -> bool:
        """v3 answers 401 with a JSON body, and Sonarr v3 has no originalLanguage."""
        return self.major_minor[0] < 4

    @property
    def serves_v5(self) -> bool:
        """Sonarr v5 serves ``/api/v5`` beside ``/api/v3``: src/NzbDrone.Host/Bootstrap.cs
        loads both Sonarr.Api.V3 and Sonarr.Api.V5, and nothing turns either off."""
        return self.app == "sonarr" and self.major_minor[0] >= 5

    @property
    def reports_original_language(self) -> bool:
        return self.major_minor >= ((4, 0) if self.app == "sonarr" else (4, 1))
