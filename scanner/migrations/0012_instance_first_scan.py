"""A new instance waits for a person's first scan. Instances that exist already were
set up under the old rule (scheduled at once): they count as started, and one that
was never scheduled is due now, as it was before."""

from django.db import migrations, models
from django.db.models import F
from django.utils import timezone


def existing_instances_have_started(apps, schema_editor):
    Instance = apps.get_model("scanner", "Instance")
    Instance.objects.filter(first_scan_at__isnull=True).update(first_scan_at=F("created_at"))
    Instance.objects.filter(next_scan_at__isnull=True, scan_interval_minutes__gt=0).update(
        next_scan_at=timezone.now()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("scanner", "0011_webhook_file_changes"),
    ]

    operations = [
        migrations.AddField(
            model_name="instance",
            name="first_scan_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="When a person started its first scan. Until then nothing runs on "
                "its own: no scheduled scan, no webhook scan.",
                null=True,
            ),
        ),
        migrations.RunPython(existing_instances_have_started, migrations.RunPython.noop),
    ]
