"""Similar postings on a posting's page: ranked by what makes a job similar (jobs.similarity)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jobs.similarity import query_words, title_words
from tests.factories import PublishedPostingFactory

pytestmark = pytest.mark.django_db


def test_a_mixed_set_is_ranked_title_first_then_the_facts(client):
    now = timezone.now()
    facts = {"language": "de", "countries": ["DE"], "workplace": "remote"}
    viewed = PublishedPostingFactory(
        title="Senior DevOps Engineer (m/w/d)", seniority="senior", **facts
    )

    def posting(title, days_ago, **changes):
        values = {**facts, "seniority": "senior", "employment_type": "full_time", **changes}
        return PublishedPostingFactory(
            title=title, published_at=now - timedelta(days=days_ago), **values
        )

    same_job = posting("DevOps Engineer (w/m/d)", 6)
    same_job_elsewhere = posting(
        "DevOps Engineer",
        5,
        seniority="junior",
        employment_type="contract",
        countries=["US"],
        workplace="onsite",
    )
    other_engineer = posting("Site Reliability Engineer", 4)
    other_engineer_junior = posting("Backend Engineer", 2, seniority="junior")
    # Shares only what every title may say: never offered.
    posting("Senior Financial Controller (m/w/d)", 1)
    posting("Senior Buchhalter (m/w/d)", 1)

    similar = client.get(viewed.get_absolute_url()).context["similar"]

    assert [row.pk for row in similar] == [
        same_job.pk,  # the title's telling words and every fact
        other_engineer.pk,  # one telling word, seniority, type, country, workplace
        same_job_elsewhere.pk,  # both telling words, no fact
        other_engineer_junior.pk,  # one telling word, type, country, workplace
    ]


def test_a_title_s_telling_words_leave_out_seniority_and_gender_markers():
    telling, generic = title_words("Senior DevOps-Engineer (m/w/d) 2")

    assert telling == {"devops", "engine"}
    assert generic == {"senior", "m", "w", "d"}
    assert query_words("Développeur confirmé H/F") == ["Développeur"]
    assert query_words("Senior (m/w/d)") == ["Senior", "m", "w", "d"]
