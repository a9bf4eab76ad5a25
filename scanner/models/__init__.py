"""Taggarr's data: instances, their media, seasons and files, scan runs and history.

The models live in a module per area; everything is re-exported here, so
``from scanner.models import Instance`` is the way to reach any of them.
"""

from __future__ import annotations

from scanner.models.instances import (
    ACTIVE_STATUSES,
    LABEL_TEMPLATE_FIELDS,
    LABEL_TEMPLATE_FIELDS_BY_KEY,
    SUMMARY_LABEL_FIELDS,
    TAG_CHOICES,
    TAG_LABEL_RE,
    Event,
    Instance,
    Media,
    MediaFile,
    MediaServer,
    NotificationKind,
    Notifier,
    NotifierThrottle,
    ScanItem,
    ScanRequest,
    ScanRun,
    Season,
    default_target_languages,
    every_notification_kind,
    tag_label_validator,
)

__all__ = [
    "ACTIVE_STATUSES",
    "LABEL_TEMPLATE_FIELDS",
    "LABEL_TEMPLATE_FIELDS_BY_KEY",
    "SUMMARY_LABEL_FIELDS",
    "TAG_CHOICES",
    "TAG_LABEL_RE",
    "Event",
    "Instance",
    "Media",
    "MediaFile",
    "MediaServer",
    "NotificationKind",
    "Notifier",
    "NotifierThrottle",
    "ScanItem",
    "ScanRequest",
    "ScanRun",
    "Season",
    "default_target_languages",
    "every_notification_kind",
    "tag_label_validator",
]
