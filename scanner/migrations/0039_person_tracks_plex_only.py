"""'Set each person's track' is Plex's only (MediaServer.clean refuses it on Jellyfin
and Emby, whose users' own settings pick the track): a Jellyfin or Emby server saved
with it on, where it did nothing, has it turned off, so that saving the server for
another reason (the admin, the API's PATCH) is not refused for an option never chosen
there on purpose. Going back changes nothing (the option did nothing there)."""

from django.db import migrations


def plex_only(apps, schema_editor):
    servers = apps.get_model("scanner", "MediaServer")
    servers.objects.exclude(kind="plex").filter(set_person_tracks=True).update(
        set_person_tracks=False
    )


class Migration(migrations.Migration):
    dependencies = [
        ("scanner", "0038_person_account_pin"),
    ]

    operations = [
        migrations.RunPython(plex_only, migrations.RunPython.noop, elidable=True),
    ]
