"""Taggarr's data: instances, their media, seasons and files, scan runs and history.

A module per area; everything is re-exported here, so ``from scanner.models import X``
reaches any model, choice or constant.
"""

from __future__ import annotations

from scanner.models.artwork import Artwork, ArtworkFetch
from scanner.models.badges import BadgeChange, BadgeLease, PosterOriginal
from scanner.models.changes import ActPlanning
from scanner.models.choices import TAG_CHOICES, NotificationKind
from scanner.models.default_tracks import DefaultTrackChange, DefaultTrackLease
from scanner.models.events import Event
from scanner.models.feeds import FeedNamespace, FeedToken
from scanner.models.household import Person, PersonAccount, PersonItemWant
from scanner.models.instance_options import (
    LABEL_TEMPLATE_FIELDS,
    LABEL_TEMPLATE_FIELDS_BY_KEY,
    SUMMARY_LABEL_FIELDS,
    TAG_LABEL_RE,
    tag_label_validator,
)
from scanner.models.instances import Instance, default_target_languages
from scanner.models.media import Media, MediaFile, Season
from scanner.models.media_servers import MediaServer, ServerItemLink, ServerOriginal
from scanner.models.notifiers import (
    Notifier,
    NotifierThrottle,
    every_notification_kind,
    expected_notification_kinds,
)
from scanner.models.person_counts import PersonCount
from scanner.models.person_tracks import TrackCheck, TrackLease, TrackRun, TrackSetting
from scanner.models.runs import ACTIVE_STATUSES, RunRequest, ScanItem, ScanRequest, ScanRun
from scanner.models.searches import MissingSearch
from scanner.models.seerr import SeerrAsk, SeerrConnection, SeerrDelivery, SeerrUser
from scanner.models.wish_profiles import ItemProfile, ProfileChange, ProfileLease, WishProfile

__all__ = [
    "ACTIVE_STATUSES",
    "LABEL_TEMPLATE_FIELDS",
    "LABEL_TEMPLATE_FIELDS_BY_KEY",
    "SUMMARY_LABEL_FIELDS",
    "TAG_CHOICES",
    "TAG_LABEL_RE",
    "ActPlanning",
    "Artwork",
    "ArtworkFetch",
    "BadgeChange",
    "BadgeLease",
    "DefaultTrackChange",
    "DefaultTrackLease",
    "Event",
    "FeedNamespace",
    "FeedToken",
    "Instance",
    "ItemProfile",
    "Media",
    "MediaFile",
    "MediaServer",
    "MissingSearch",
    "NotificationKind",
    "Notifier",
    "NotifierThrottle",
    "Person",
    "PersonAccount",
    "PersonCount",
    "PersonItemWant",
    "PosterOriginal",
    "ProfileChange",
    "ProfileLease",
    "RunRequest",
    "ScanItem",
    "ScanRequest",
    "ScanRun",
    "Season",
    "SeerrAsk",
    "SeerrConnection",
    "SeerrDelivery",
    "SeerrUser",
    "ServerItemLink",
    "ServerOriginal",
    "TrackCheck",
    "TrackLease",
    "TrackRun",
    "TrackSetting",
    "WishProfile",
    "default_target_languages",
    "every_notification_kind",
    "expected_notification_kinds",
    "tag_label_validator",
]
