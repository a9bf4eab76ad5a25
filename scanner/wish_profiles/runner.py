"""Planning and writing items' quality profiles (first version: filled in next)."""

from __future__ import annotations


def run_item(media_id: int) -> None:
    """Plan (and on "set" write) one item's quality profile in this process."""


def send_item(media_id: int) -> None:
    """The same on a worker: one task."""
