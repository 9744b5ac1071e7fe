"""Links recorded before partner confirmation existed count as confirmed."""

from django.db import migrations
from django.db.models import F


def backfill(apps, schema_editor):
    CooperationLink = apps.get_model("actors", "CooperationLink")
    CooperationLink.objects.filter(confirmed_at__isnull=True).update(confirmed_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [("actors", "0003_partner_confirmation_invitations_archive")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
