"""The operator's door: python manage.py import_jobs, on every fixture and on bad input."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobs.imports.models import ImportRun, PostingSource
from jobs.models import JobPosting, Status
from tests.factories import CompanyFactory
from tests.jobs.imports.helpers import fixture, jsonld_feed

pytestmark = pytest.mark.django_db


def import_jobs(*args, **options) -> str:
    out = StringIO()
    call_command("import_jobs", *[str(arg) for arg in args], stdout=out, **options)
    return out.getvalue()


def summary(output: str) -> dict[str, int]:
    last = output.strip().splitlines()[-1]
    return {key: int(value) for key, value in (pair.split("=") for pair in last.split())}


@pytest.fixture
def acme():
    return CompanyFactory(slug="acme", name="Acme")


@pytest.mark.parametrize(
    ("relative", "created", "skipped", "needs_company"),
    [
        ("jsonld/seed-001.json", 1, 0, False),
        ("jsonld/list.json", 2, 0, False),
        ("jsonld/careers.html", 2, 1, False),
        ("greenhouse/board.json", 3, 0, False),
        ("lever/postings.json", 2, 1, True),
        ("ashby/board.json", 2, 0, True),
        ("workable/widget.json", 2, 0, False),
        ("personio/positions.xml", 2, 0, False),
        ("rss/jobs.rss", 3, 0, False),
        ("rss/jobs.atom", 2, 0, False),
        ("indeed/feed.xml", 3, 1, False),
    ],
)
def test_every_fixture_imports_once_and_a_second_run_changes_nothing(
    acme, relative, created, skipped, needs_company
):
    options = {"company": "acme"} if needs_company else {}

    first = summary(import_jobs(fixture(relative), **options))
    stored = {posting.pk: posting.updated_at for posting in JobPosting.objects.all()}
    second = summary(import_jobs(fixture(relative), **options))

    assert first == {
        "created": created, "updated": 0, "unchanged": 0, "skipped": skipped, "failed": 0
    }  # fmt: skip
    assert second == {
        "created": 0, "updated": 0, "unchanged": created, "skipped": skipped, "failed": 0
    }  # fmt: skip
    assert {p.pk: p.updated_at for p in JobPosting.objects.all()} == stored
    assert JobPosting.objects.filter(status=Status.PENDING).count() >= created - 1


def test_seed_001_is_a_linkedin_posting_remote_across_latin_america():
    import_jobs(fixture("jsonld/seed-001.json"), source_name="LinkedIn", publish=True)

    posting = JobPosting.objects.get()
    assert posting.source_name == "LinkedIn"
    assert posting.source_url == "https://www.linkedin.com/jobs/view/4012345678/"
    assert posting.status == Status.PUBLISHED
    assert posting.language == "en"
    assert posting.workplace == "remote"
    assert posting.region.code == "latin-america"
    assert {"BR", "MX", "AR", "CO"} <= set(posting.countries)
    assert posting.experience_years_min == 7
    assert posting.language_requirements == [{"language": "en", "level": "C1"}]
    assert (posting.salary_min, posting.salary_currency, posting.salary_period) == (
        8000,
        "USD",
        "month",
    )
    assert posting.employment_type == "full_time"
    assert posting.seniority == "senior"
    assert posting.description_format == "markdown"
    assert "<h2>Responsibilities</h2>" in posting.description_html
    assert "7+ years" in posting.description_html


def test_seed_000_plain_text_renders_its_sections():
    import_jobs(fixture("indeed/feed.xml"), source_name="Remote Rails Jobs")

    posting = JobPosting.objects.get(external_id="RRJ-000")
    assert posting.description_format == "text"
    assert "<h2>Requirements</h2>" in posting.description_html
    assert posting.experience_years_min == 9
    assert posting.workplace == "remote"
    assert posting.company.name == "Kanban Labs"


def test_without_publish_new_postings_wait_and_a_language_mismatch_is_flagged():
    import_jobs(fixture("rss/jobs.rss"), publish=True)

    flagged = JobPosting.objects.get(external_id="ET-5523")
    assert flagged.language == "en"  # the text wins: it is listed where its readers are
    assert flagged.needs_review
    assert flagged.status == Status.PENDING
    assert "fr" in flagged.review_reason
    others = JobPosting.objects.exclude(pk=flagged.pk)
    assert {posting.status for posting in others} == {Status.PUBLISHED}
    assert {posting.language for posting in others} == {"fr"}


def test_json_output_has_the_counts_and_every_reason():
    output = import_jobs(fixture("indeed/feed.xml"), json=True)

    result = json.loads(output)
    assert {"created", "updated", "unchanged", "skipped", "failed"} <= result.keys()
    assert result["skips"] == [
        {"item": "#4 (RRJ-103)", "code": "missing_title", "reason": "The posting has no title."}
    ]
    codes = {note["code"] for note in result["notes"]}
    assert {"unknown_country", "salary_unparsed"} <= codes


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["/no/such/feed.json"], "No such file: /no/such/feed.json."),
        ([str(fixture("rss/jobs.rss")), "--format", "csv"], "Unknown format “csv”."),
        (["http://127.0.0.1:9/feed.json"], "127.0.0.1 resolves to a private or local address."),
        (["ftp://example.com/feed.xml"], "No such file: ftp://example.com/feed.xml."),
        ([str(fixture("rss/jobs.rss")), "--company", "no slug!"], "Cannot create the company"),
        ([str(fixture("rss/jobs.rss")), "--company-name", "Acme"], "give both"),
        ([str(fixture("rss/jobs.rss")), "--language", "it"], "does not offer: it"),
    ],
)
def test_operator_errors_are_one_line(args, message):
    with pytest.raises(CommandError) as error:
        call_command("import_jobs", *args, stdout=StringIO())
    assert message in str(error.value)
    assert "\n" not in str(error.value)
    assert not JobPosting.objects.exists()


def test_a_document_that_is_not_a_feed_fails_with_its_reason(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("just some notes")
    with pytest.raises(CommandError, match="could not be recognised"):
        import_jobs(path)
    assert ImportRun.objects.get().status == "failed"


def test_few_queries_per_chunk_whatever_its_size(tmp_path, settings):
    settings.IMPORT_CHUNK_SIZE = 100
    settings.IMPORT_PROGRESS_SECONDS = 3600  # counted apart, below

    def queries(count: int, name: str) -> int:
        path = tmp_path / f"{name}.json"
        path.write_bytes(jsonld_feed(count, start=0, title=f"{name} engineer"))
        with CaptureQueriesContext(connection) as context:
            import_jobs(path, source_name=name)
        return len(context.captured_queries)

    # Pinned: a run costs a fixed set-up (the source's lease taken, renewed after the feed is
    # open and before expiry, and released) plus about eleven statements per chunk of new
    # postings (records seen unchanged marked by hash, the key locks, lookups by key, by
    # duplicate and by external id, ids from the sequence, two COPYs and their savepoints).
    # A company first met is created in one savepoint; the new postings' events are one
    # INSERT per chunk. Two more for the skipped records: are there any of the source's, and
    # forget those the feed no longer has.
    assert (queries(100, "one"), queries(400, "four")) == (39, 73)
    assert PostingSource.objects.count() == 500


@pytest.mark.parametrize(("tick", "renewals"), [(0, 6), (3600, 2)])
def test_a_run_renews_its_lease_and_saves_its_counts_as_time_passes(
    tmp_path, settings, tick, renewals
):
    """Between chunks the run's task renews its lease and writes its counts once
    IMPORT_PROGRESS_SECONDS have passed since it last did (at every chunk when none must
    pass), besides the renewals after the feed is opened and before anything is expired."""
    settings.IMPORT_CHUNK_SIZE = 100
    settings.IMPORT_PROGRESS_SECONDS = tick
    path = tmp_path / "feed.json"
    path.write_bytes(jsonld_feed(400))

    with CaptureQueriesContext(connection) as context:
        import_jobs(path)

    statements = [query["sql"] for query in context.captured_queries]
    assert sum(sql.startswith('UPDATE "jobs_importlease"') for sql in statements) == renewals
    progress = [sql for sql in statements if sql.startswith('UPDATE "jobs_importrun"')]
    assert len(progress) >= renewals - 2 + 1  # and once at the end


def test_a_rerun_of_unchanged_postings_writes_no_posting(tmp_path):
    path = tmp_path / "feed.json"
    path.write_bytes(jsonld_feed(50))
    import_jobs(path)

    with CaptureQueriesContext(connection) as context:
        assert summary(import_jobs(path))["unchanged"] == 50
    writes = [q["sql"] for q in context.captured_queries if "jobs_jobposting" in q["sql"]]
    assert not [sql for sql in writes if sql.startswith(("UPDATE", "INSERT"))]


def test_an_unchanged_record_is_not_normalised_again(tmp_path, monkeypatch):
    path = tmp_path / "feed.json"
    path.write_bytes(jsonld_feed(30))
    import_jobs(path)

    def refuse(*args, **kwargs):
        raise AssertionError("an unchanged record was normalised")

    monkeypatch.setattr("jobs.imports.identity.normalise", refuse)
    assert summary(import_jobs(path))["unchanged"] == 30
    assert PostingSource.objects.filter(last_seen_run=ImportRun.objects.first()).count() == 30


def test_marking_links_seen_writes_no_index_entry(tmp_path):
    """A re-run rewrites every link it sees; with no index on what it writes and room on each
    page, PostgreSQL keeps each new row version on its page (a HOT update, no index entry):
    an index on last_seen_run or a full page would make each of these updates several
    writes. The counters are this transaction's own (the test's)."""
    path = tmp_path / "feed.json"
    path.write_bytes(jsonld_feed(120))
    import_jobs(path)

    def hot_updates() -> tuple[int, int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_stat_get_xact_tuples_updated(oid), "
                "pg_stat_get_xact_tuples_hot_updated(oid) FROM pg_class "
                "WHERE relname = 'jobs_postingsource'"
            )
            return cursor.fetchone()

    updated, hot = hot_updates()
    assert summary(import_jobs(path))["unchanged"] == 120
    assert hot_updates() == (updated + 120, hot + 120)


def test_a_rule_change_makes_records_new_again(tmp_path, monkeypatch):
    path = tmp_path / "feed.json"
    path.write_bytes(jsonld_feed(5))
    import_jobs(path)
    hashes = set(PostingSource.objects.values_list("record_hash", flat=True))

    monkeypatch.setattr("jobs.imports.identity.RULES_VERSION", "bench-test-rules")
    import_jobs(path)

    assert "" not in hashes
    assert hashes.isdisjoint(PostingSource.objects.values_list("record_hash", flat=True))


def test_a_changed_posting_is_updated_in_place(tmp_path):
    path = tmp_path / "feed.json"
    path.write_bytes(jsonld_feed(3))
    import_jobs(path, publish=True)
    before = JobPosting.objects.get(external_id="gen-1")

    path.write_bytes(jsonld_feed(3).replace(b"Platform Engineer 1", b"Platform Lead 1"))
    assert summary(import_jobs(path, publish=True)) == {
        "created": 0, "updated": 1, "unchanged": 2, "skipped": 0, "failed": 0
    }  # fmt: skip

    after = JobPosting.objects.get(external_id="gen-1")
    assert after.pk == before.pk
    assert after.title == "Platform Lead 1"
    assert after.slug == "platform-lead-1"
    assert after.seniority == "lead"
    assert after.status == Status.PUBLISHED
    assert after.published_at == before.published_at


def test_a_posting_the_database_refuses_fails_alone(tmp_path, monkeypatch):
    """Whatever normalise lets through that a column or constraint refuses (here a title
    longer than the column, with normalise's limit raised) fails that item with its reason;
    the chunk's other postings are stored."""
    monkeypatch.setattr("jobs.imports.normalise.MAX_TITLE", 400)
    postings = [json.loads(jsonld_feed(1, start=index))[0] for index in range(5)]
    postings[2]["title"] = "Platform Engineer " + "x" * 250
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(postings))

    result = json.loads(import_jobs(path, json=True))

    assert (result["created"], result["failed"]) == (4, 1)
    [failure] = result["failures"]
    assert failure["item"] == "#3 (gen-2)"
    assert failure["code"] == "invalid_posting"
    assert JobPosting.objects.count() == PostingSource.objects.count() == 4
