"""The index the instant-indexing collector reads changed postings from (jobs.indexing).

Built concurrently: on a board of a million postings a plain CREATE INDEX would hold writes to
the postings (recruiters, imports, the expiry sweep) for as long as it takes. A concurrent
build cannot run inside a transaction, hence `atomic = False`. A build that fails midway (a
deadlock, a cancelled deploy) leaves an invalid index of that name and the migration unapplied:
`DROP INDEX CONCURRENTLY posting_updated_idx;` before migrating again.
"""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("jobs", "0020_report_queue_event"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="jobposting",
            index=models.Index(fields=["updated_at", "id"], name="posting_updated_idx"),
        ),
    ]
