from __future__ import annotations

from django.contrib.admin.views.decorators import staff_member_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from api import schema  # noqa: F401 - registers the OpenAPI auth extension (web only)
from api.badges import BadgeChangeViewSet
from api.changes import ChangeViewSet
from api.default_tracks import DefaultTrackChangeViewSet
from api.household import PersonViewSet
from api.keep import MediaKeepView, PathKeepView
from api.media_servers import MediaServerViewSet
from api.seerr import SeerrConnectionViewSet, SeerrUserViewSet
from api.seerr_webhook import seerr_webhook
from api.views.auth import TokenView
from api.views.events import EventViewSet
from api.views.feeds import FeedTokenViewSet
from api.views.instances import InstanceViewSet
from api.views.media import MediaViewSet
from api.views.notifiers import NotifierViewSet
from api.views.rescan import RescanPathView
from api.views.review import ReviewDecisionView
from api.views.scans import ScanRunViewSet
from api.views.searches import SearchMissingView
from api.views.stats import StatsView
from api.webhooks import arr_webhook
from api.wish_profiles import MediaProfileView, ProfileChangeViewSet, WishProfilesView

router = DefaultRouter()
router.register("instances", InstanceViewSet, basename="instance")
router.register("media", MediaViewSet, basename="media")
router.register("scans", ScanRunViewSet, basename="scan")
router.register("events", EventViewSet, basename="event")
router.register("notifiers", NotifierViewSet, basename="notifier")
router.register("media-servers", MediaServerViewSet, basename="media-server")
router.register("persons", PersonViewSet, basename="person")
router.register("default-tracks", DefaultTrackChangeViewSet, basename="default-track")
router.register("profile-changes", ProfileChangeViewSet, basename="profile-change")
router.register("badges", BadgeChangeViewSet, basename="badge-change")
router.register("changes", ChangeViewSet, basename="change")
router.register("feed-tokens", FeedTokenViewSet, basename="feed-token")
router.register("seerr-connections", SeerrConnectionViewSet, basename="seerr-connection")
router.register("seerr-users", SeerrUserViewSet, basename="seerr-user")

urlpatterns = [
    # Webhooks: authenticated by the instance's own token, not by a user. With and
    # without the trailing slash: Sonarr/Radarr do not follow a redirect, and treat
    # its 301 as success (the Test button turns green while nothing arrives).
    path("webhooks/seerr/", seerr_webhook, name="webhook-seerr"),
    path("webhooks/seerr", seerr_webhook),
    path("webhooks/", arr_webhook, name="webhook-basic"),
    path("webhooks", arr_webhook),
    path("webhooks/<str:token>/", arr_webhook, name="webhook"),
    path("webhooks/<str:token>", arr_webhook),
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("stats/", StatsView.as_view(), name="api-stats"),
    path("rescan/", RescanPathView.as_view(), name="api-rescan"),
    path("search-missing/", SearchMissingView.as_view(), name="api-search-missing"),
    path("media/<int:pk>/review/", ReviewDecisionView.as_view(), name="api-media-review"),
    path("media/<int:pk>/keep/", MediaKeepView.as_view(), name="api-media-keep"),
    path("keep/", PathKeepView.as_view(), name="api-keep"),
    path("media/<int:pk>/profile/", MediaProfileView.as_view(), name="api-media-profile"),
    path("instances/<int:pk>/wish-profiles/", WishProfilesView.as_view(), name="api-wish-profiles"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # A docs page for people: logged out, they are sent to the admin login first.
    path(
        "docs/",
        staff_member_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path("", include(router.urls)),
]
