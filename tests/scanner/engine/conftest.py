"""Shared fixtures of the engine tests: real media made once per session."""

from __future__ import annotations

import pytest

from tests.media import MediaFactory


@pytest.fixture(scope="session")
def media(tmp_path_factory: pytest.TempPathFactory) -> MediaFactory:
    """Template cache shared by every engine test: each layout is made by ffmpeg once."""
    return MediaFactory(tmp_path_factory.mktemp("media-templates"))
