"""Dub news baselines keep each file's audio tracks (version 2), not the target languages
it was judged to have: a decision or a new target is then judged on both sides alike."""

from django.db import migrations, models

BATCH = 500


def to_version_2(apps, schema_editor):
    from scanner.engine.dub_news import from_version_1

    Media = apps.get_model("scanner", "Media")
    old = Media.objects.filter(dub_announced__isnull=False).only("pk", "dub_announced")
    changed = []
    for media in old.iterator(chunk_size=BATCH):
        if media.dub_announced.get("v", 1) == 1:  # later versions are read as they are
            media.dub_announced = from_version_1(media.dub_announced)
            changed.append(media)
        if len(changed) >= BATCH:
            Media.objects.bulk_update(changed, ["dub_announced"])
            changed = []
    Media.objects.bulk_update(changed, ["dub_announced"])


class Migration(migrations.Migration):
    dependencies = [("scanner", "0007_scanitem_lease_token")]

    operations = [
        migrations.AlterField(
            model_name="media",
            name="dub_announced",
            field=models.JSONField(
                blank=True,
                help_text="Per episode, its file and audio tracks as the last real scan told "
                "them (or as Taggarr first saw them): what dub arrivals and losses are told "
                "against.",
                null=True,
            ),
        ),
        migrations.RunPython(to_version_2, migrations.RunPython.noop),
    ]
