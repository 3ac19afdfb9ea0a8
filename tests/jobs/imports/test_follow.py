"""Feeds whose first answer is not the whole feed, fetched from a real local server: pages
named by a link or by an offset, SmartRecruiters postings listed without their ad, and the
parameters an API needs to answer whole postings (jobs.imports.follow)."""

import json
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jobs.imports.follow import complete_url
from jobs.imports.models import ImportRun, RunStatus
from jobs.models import JobPosting, Status

RECENT = (datetime.now(UTC) - timedelta(days=3)).isoformat()
BODY = (
    "<p>Our platform team keeps the services behind the product fast and reliable. You will "
    "design interfaces, review changes and help colleagues grow.</p>"
)


def _listed(index: int, base: str) -> dict:
    """A posting as SmartRecruiters' list gives it: no job ad, only its address (`ref`)."""
    return {
        "id": f"74400000{index}",
        "uuid": f"uuid-{index}",
        "name": f"Site Reliability Engineer {index}",
        "refNumber": f"REF{index}",
        "company": {"identifier": "Kestrel", "name": "Kestrel Systems"},
        "releasedDate": RECENT,
        "location": {"city": "Leeds", "country": "gb", "remote": False},
        "typeOfEmployment": {"label": "Full-time"},
        "experienceLevel": {"label": "Mid-Senior Level"},
        "language": {"code": "en", "label": "English"},
        "ref": f"{base}/v1/companies/kestrel/postings/74400000{index}",
    }


def _detail(index: int, base: str) -> bytes:
    posting = _listed(index, base)
    posting["applyUrl"] = f"https://jobs.example/kestrel/{index}/apply"
    posting["postingUrl"] = f"https://jobs.example/kestrel/{index}"
    posting["jobAd"] = {
        "sections": {
            "jobDescription": {"title": "The role", "text": BODY + f"<p>Opening {index}.</p>"},
            "qualifications": {"title": "You bring", "text": "<p>Linux and on-call duty.</p>"},
        }
    }
    return json.dumps(posting).encode()


def _smartrecruiters(server, *, total=3, gone=()) -> str:
    """Three postings in pages of two, each posting's ad at its own address."""
    base = server.url("")
    path = "/v1/companies/kestrel/postings"
    for offset in range(0, total, 2):
        listed = [_listed(index, base) for index in range(offset, min(offset + 2, total))]
        page = {"offset": offset, "limit": 2, "totalFound": total, "content": listed}
        query = "limit=2" if offset == 0 else f"limit=2&offset={offset}"
        server.routes[f"{path}?{query}"] = json.dumps(page).encode()
    for index in range(total):
        if index not in gone:
            server.routes[f"{path}/74400000{index}"] = _detail(index, base)
    return server.url(f"{path}?limit=2")


def _arbeitnow_page(server, number: int, following: str | None) -> None:
    jobs = [
        {
            "slug": f"backend-developer-{number}-{index}",
            "company_name": "Falkenried Software GmbH",
            "title": f"Backend Developer {number}-{index}",
            "description": BODY,
            "remote": False,
            "url": f"https://jobs.example/falkenried/{number}-{index}",
            "tags": ["Python"],
            "job_types": ["Full-time"],
            "location": "Hamburg",
            "created_at": int(datetime.now(UTC).timestamp()) - 86_400,
        }
        for index in range(2)
    ]
    links = {"first": server.url("/api/job-board-api?page=1"), "next": following}
    document = {"data": jobs, "links": links, "meta": {"current_page": number}}
    server.routes[f"/api/job-board-api?page={number}"] = json.dumps(document).encode()


@pytest.mark.django_db
def test_smartrecruiters_postings_listed_without_their_ad_are_read_from_their_own(
    feed_server,
):
    url = _smartrecruiters(feed_server)

    call_command("import_jobs", url, "--publish", stdout=StringIO())

    postings = JobPosting.objects.order_by("title")
    assert [p.title for p in postings] == [f"Site Reliability Engineer {i}" for i in range(3)]
    for index, posting in enumerate(postings):
        assert f"Opening {index}." in posting.description
        assert "Linux and on-call duty." in posting.description
        assert posting.apply_url == f"https://jobs.example/kestrel/{index}/apply"
        assert posting.status == Status.PUBLISHED


@pytest.mark.django_db
def test_a_posting_closed_between_the_list_and_its_ad_is_left_out_and_the_rest_imported(
    feed_server,
):
    url = _smartrecruiters(feed_server, gone={1})
    out = StringIO()

    call_command("import_jobs", url, "--publish", stdout=out)

    assert sorted(JobPosting.objects.values_list("title", flat=True)) == [
        "Site Reliability Engineer 0",
        "Site Reliability Engineer 2",
    ]
    assert "created=2 updated=0 unchanged=0 skipped=1 failed=0" in out.getvalue()
    run = ImportRun.objects.get()
    assert run.status == RunStatus.SUCCEEDED
    assert [problem["code"] for problem in run.problems] == ["http_status"]


@pytest.mark.django_db
def test_a_dry_run_reads_the_pages_and_ads_a_run_would(feed_server):
    url = _smartrecruiters(feed_server)
    out = StringIO()

    call_command("import_jobs", url, "--dry-run", stdout=out)

    for index in range(3):
        assert f"Site Reliability Engineer {index}" in out.getvalue()
    assert JobPosting.objects.count() == 0


@pytest.mark.django_db
def test_pages_named_by_a_link_are_all_read_and_a_link_back_ends_the_feed(feed_server):
    _arbeitnow_page(feed_server, 1, feed_server.url("/api/job-board-api?page=2"))
    # The last page names the first again: read once, not forever.
    _arbeitnow_page(feed_server, 2, feed_server.url("/api/job-board-api?page=1"))

    call_command(
        "import_jobs", feed_server.url("/api/job-board-api?page=1"), "--publish", stdout=StringIO()
    )

    assert sorted(JobPosting.objects.values_list("title", flat=True)) == [
        "Backend Developer 1-0",
        "Backend Developer 1-1",
        "Backend Developer 2-0",
        "Backend Developer 2-1",
    ]
    assert ImportRun.objects.get().status == RunStatus.SUCCEEDED


@pytest.mark.django_db
def test_a_page_that_fails_keeps_what_was_read_and_expires_nothing(feed_server, settings):
    settings.IMPORT_EXPIRE_AFTER_MISSED_RUNS = 1
    url = _smartrecruiters(feed_server)
    call_command("import_jobs", url, "--publish", stdout=StringIO())
    assert JobPosting.objects.filter(status=Status.PUBLISHED).count() == 3
    # The second page is down on the next run.
    feed_server.routes["/v1/companies/kestrel/postings?limit=2&offset=2"] = (503, {}, b"busy")

    with pytest.raises(CommandError) as error:
        call_command("import_jobs", url, "--publish", stdout=StringIO())

    assert str(error.value) == "The server answered with HTTP status 503."
    assert ImportRun.objects.latest("pk").status == RunStatus.PARTIAL
    assert JobPosting.objects.filter(status=Status.PUBLISHED).count() == 3


@pytest.mark.django_db
def test_a_next_page_on_another_site_is_not_fetched(feed_server):
    _arbeitnow_page(feed_server, 1, "http://jobs.elsewhere.example/api/job-board-api?page=2")

    with pytest.raises(CommandError) as error:
        call_command(
            "import_jobs", feed_server.url("/api/job-board-api?page=1"), stdout=StringIO()
        )

    assert str(error.value) == (
        "The feed names a page on another site, which was not fetched: "
        "http://jobs.elsewhere.example/api/job-board-api?page=2."
    )
    assert JobPosting.objects.count() == 2  # the first page's, kept


@pytest.mark.django_db
def test_the_requests_a_run_may_make_are_bounded(feed_server, settings):
    settings.IMPORT_MAX_REQUESTS = 2
    url = _smartrecruiters(feed_server)

    with pytest.raises(CommandError) as error:
        call_command("import_jobs", url, stdout=StringIO())

    assert "more pages and postings than the 2 requests" in str(error.value)
    assert JobPosting.objects.count() == 2
    assert ImportRun.objects.get().status == RunStatus.PARTIAL


@pytest.mark.django_db
def test_a_feed_read_from_a_file_names_pages_it_does_not_fetch(tmp_path, feed_server):
    _smartrecruiters(feed_server)
    first_page = feed_server.routes["/v1/companies/kestrel/postings?limit=2"]
    path = tmp_path / "postings.json"
    path.write_bytes(first_page)
    feed_server.routes.clear()  # nothing may be fetched

    out = StringIO()
    call_command("import_jobs", str(path), stdout=out)

    # Read as it is: two postings, both without an ad to describe them.
    assert "skipped=2" in out.getvalue()
    assert JobPosting.objects.count() == 0


@pytest.mark.parametrize(
    ("given", "completed"),
    [
        (
            "https://boards-api.greenhouse.io/v1/boards/kestrel/jobs",
            "https://boards-api.greenhouse.io/v1/boards/kestrel/jobs?content=true",
        ),
        # What the address already says stays as it is.
        (
            "https://boards-api.greenhouse.io/v1/boards/kestrel/jobs?content=false",
            "https://boards-api.greenhouse.io/v1/boards/kestrel/jobs?content=false",
        ),
        (
            "https://api.ashbyhq.com/posting-api/job-board/kestrel",
            "https://api.ashbyhq.com/posting-api/job-board/kestrel?includeCompensation=true",
        ),
        (
            "https://apply.workable.com/api/v1/widget/accounts/kestrel?x=1",
            "https://apply.workable.com/api/v1/widget/accounts/kestrel?x=1&details=true",
        ),
        (
            "https://API.SmartRecruiters.com/v1/companies/kestrel/postings",
            "https://API.SmartRecruiters.com/v1/companies/kestrel/postings?limit=100",
        ),
        ("https://jobs.example/feed.json", "https://jobs.example/feed.json"),
        ("https://boards.greenhouse.io/kestrel", "https://boards.greenhouse.io/kestrel"),
    ],
)
def test_an_api_address_is_completed_with_what_whole_postings_need(given, completed):
    assert complete_url(given) == completed
