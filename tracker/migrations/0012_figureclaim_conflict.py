import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_conflicts(apps, schema_editor):
    Event = apps.get_model("tracker", "Event")
    FigureClaim = apps.get_model("tracker", "FigureClaim")
    conflict = Event.objects.filter(pk=OuterRef("event_id")).values("conflict_id")[:1]
    FigureClaim.objects.using(schema_editor.connection.alias).update(conflict=Subquery(conflict))


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0011_event_search_document"),
    ]

    operations = [
        migrations.AddField(
            model_name="figureclaim",
            name="conflict",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="tracker.conflict",
            ),
        ),
        migrations.RunPython(copy_conflicts, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="figureclaim",
            name="conflict",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="tracker.conflict",
            ),
        ),
        migrations.AddIndex(
            model_name="figureclaim",
            index=models.Index(
                models.F("conflict"),
                models.OrderBy(models.F("as_of"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                name="claim_conflict_latest_idx",
            ),
        ),
    ]
