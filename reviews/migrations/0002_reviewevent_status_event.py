"""ReviewEvent becomes a cms.status_events.StatusEvent: from_status and to_status are added
(existing rows keep every value; their statuses are read back from each review's history),
kind and note take StatusEvent's lengths (30 and 500: only longer, nothing is cut)."""

from django.db import migrations, models

WRITTEN = {"written", "edited"}  # a new or edited review waits for moderation
MODERATED = {"pending", "approved", "hidden"}  # moderation events are named for the new status


def fill_statuses(apps, schema_editor):
    ReviewEvent = apps.get_model("reviews", "ReviewEvent")
    changed = []
    status, review_id = "", None
    for event in ReviewEvent.objects.order_by("review_id", "created_at", "pk").iterator():
        if event.review_id != review_id:
            status, review_id = "", event.review_id
        event.from_status = status
        if event.kind in WRITTEN:
            status = "pending"
        elif event.kind in MODERATED:
            status = event.kind
        event.to_status = status
        changed.append(event)
    ReviewEvent.objects.bulk_update(changed, ["from_status", "to_status"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="reviewevent",
            name="from_status",
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.AddField(
            model_name="reviewevent",
            name="to_status",
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.AlterField(
            model_name="reviewevent",
            name="kind",
            field=models.CharField(max_length=30),
        ),
        migrations.AlterField(
            model_name="reviewevent",
            name="note",
            field=models.CharField(blank=True, max_length=500),
        ),
        migrations.RunPython(fill_statuses, migrations.RunPython.noop, elidable=True),
    ]
