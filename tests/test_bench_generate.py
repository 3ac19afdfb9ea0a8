"""The bench's generator writes rows the current schema takes, which the lists then show: a
column added by one change and by another once merged broke `make bench` with nothing failing.
"""

from urllib.parse import quote

import pytest
from django.db import connection

from bench.generate import SEED_SOURCE, existing, generate
from jobs import facets
from jobs.models import JobPosting
from jobs.selectors import job_list

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_generator_fills_the_current_schema():
    settings = connection.settings_dict
    # The host may be the embedded server's socket folder: percent-encoded, as bench.db reads.
    host = quote(settings["HOST"] or "", safe="")
    url = f"postgres://{settings['USER']}@{host}:{settings['PORT']}/{settings['NAME']}"

    report = generate(60, url)

    assert report["postings"] == 60
    assert existing(60)
    generated = JobPosting.objects.filter(source_name=SEED_SOURCE)
    assert generated.count() == 60
    # Provisions and language requirements land in their own columns.
    assert set(generated.values_list("visa_sponsorship", flat=True)) <= {"yes", "no", ""}
    published_en = generated.open().in_language("en").count()
    assert published_en > 0
    facets.facets_invalidate()
    assert facets.facets(language="en").total == published_en
    assert job_list(language="en").count() == published_en
