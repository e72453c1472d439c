"""Record the files frozen by the submissions made before SubmittedFile existed."""

from django.db import migrations

BATCH = 2000


def fill(apps, schema_editor):
    Submission = apps.get_model("ateliers", "Submission")
    SubmittedFile = apps.get_model("ateliers", "SubmittedFile")
    rows = []
    for pk, seeker_id, snapshot in (
        Submission.objects.order_by("pk").values_list("pk", "seeker_id", "snapshot").iterator(chunk_size=BATCH)
    ):
        names = {item["file"] for item in (snapshot or {}).values() if isinstance(item, dict) and item.get("file")}
        rows += [SubmittedFile(name=name, seeker_id=seeker_id, submission_id=pk) for name in sorted(names)]
        if len(rows) >= BATCH:
            SubmittedFile.objects.bulk_create(rows, ignore_conflicts=True)
            rows = []
    SubmittedFile.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("ateliers", "0002_submittedfile")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
