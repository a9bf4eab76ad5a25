"""Clients of the media servers Taggarr writes tags to (Jellyfin, Emby, Plex).

Like ``scanner.arr``, this package knows nothing of Django, Celery or the pipeline:
it speaks HTTP and returns plain values (``base.py``)."""
