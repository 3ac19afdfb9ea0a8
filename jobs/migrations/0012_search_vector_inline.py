"""Keep each posting's search vector in its row and move the long texts out of it.

PostgreSQL moves a wide row's largest values to its TOAST table, and the search vector (about
1 kB, which compresses poorly) went before the descriptions (which compress to a fifth), so
every full-text test and rank of a row read two or three more pages. With the vector kept in
the row, a search checking a thousand rows reads half the pages (bench/RESULTS.md). Rows
written before this keep their layout until they are next written (or `VACUUM FULL
jobs_jobposting` rewrites them all).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0011_import_leases"),
    ]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE jobs_jobposting ALTER COLUMN search_vector SET STORAGE MAIN",
            "ALTER TABLE jobs_jobposting ALTER COLUMN search_vector SET STORAGE EXTENDED",
        ),
    ]
