"""Static files with hashed names once collected, so that WhiteNoise serves them
compressed and cached for a year (immutable): a new release has new names.

The Docker image runs collectstatic (Dockerfile); ``make run`` and the tests do not, and
there each file keeps its plain name and comes from its app (WhiteNoise's finders, a
short cache), rather than failing for want of a manifest."""

from __future__ import annotations

from typing import Any

from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedWhenCollected(CompressedManifestStaticFilesStorage):
    manifest_strict = False  # a file not in the manifest: its plain name, not an error

    def hashed_name(self, name: str, content: Any = None, filename: str | None = None) -> str:
        try:
            return super().hashed_name(name, content, filename)
        except ValueError:  # not collected (no file under STATIC_ROOT to hash)
            if content is not None:
                raise
            return name
