"""The scan requests webhooks left waiting, as the admin lists them (issue 59)."""

from __future__ import annotations

import pytest
from django.test import Client

from scanner.models import ScanRequest
from scanner.pipeline.state.webhook_requests import WHOLE_INSTANCE
from tests.factories import InstanceFactory

pytestmark = pytest.mark.django_db


def test_the_request_for_the_whole_instance_says_so(admin_client: Client) -> None:
    instance = InstanceFactory(first_scan_at=None)
    ScanRequest.objects.create(instance=instance, arr_id=WHOLE_INSTANCE, event_type="Download")
    ScanRequest.objects.create(instance=instance, arr_id=4321, event_type="Download")
    page = admin_client.get("/admin/scanner/scanrequest/").content.decode()
    assert "the whole library" in page and "4321" in page
