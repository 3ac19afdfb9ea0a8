"""The formats real boards aggregate from, sniffed and imported through the command's door:
each fixture's stored facts, and the runs that must fail rather than succeed empty."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError

from companies.models import Company
from companies.names import company_key
from jobs.imports.base import FeedError
from jobs.imports.models import ImportRun, RunStatus
from jobs.imports.sniff import sniff
from jobs.models import JobPosting, Status
from tests.factories import CompanyFactory
from tests.jobs.imports.helpers import fixture
from tests.jobs.imports.test_command import import_jobs, summary

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_fixtures(settings):
    """The fixtures' dates are fixed (late 2026): ten years before they count as stale, so
    that OLD-2013 still is."""
    settings.IMPORT_STALE_AFTER_DAYS = 3650


SNIFFED = [
    ("smartrecruiters/postings.json", "smartrecruiters"),
    ("recruitee/offers.json", "recruitee"),
    ("teamtailor/jobs.json", "teamtailor"),
    ("arbeitnow/jobs.json", "arbeitnow"),
    ("remoteok/api.json", "remoteok"),
    ("remotive/jobs.json", "remotive"),
    ("jobicy/jobs.json", "jobicy"),
    ("himalayas/jobs.json", "himalayas"),
    ("rss/wwr.rss", "rss"),
    ("jsonld/quirks.html", "jsonld"),
    ("jsonld/held.json", "jsonld"),
    # One job on its own, as a detail endpoint answers: still its format, not another's.
    ("ashby/job.json", "ashby"),
    ("lever/posting.json", "lever"),
]


@pytest.mark.parametrize(("relative", "fmt"), SNIFFED)
def test_auto_recognises_each_source_by_what_only_it_has(relative, fmt):
    with fixture(relative).open("rb") as stream:
        assert sniff(stream) == fmt


def test_an_ashby_board_is_not_taken_for_lever():
    # Both have descriptionPlain; only Ashby has jobUrl and isListed.
    board = b'{"apiVersion": "1", "jobs": [{"id": "a", "title": "T", "descriptionPlain": "x", '
    board += b'"jobUrl": "https://jobs.ashbyhq.com/a/a", "isListed": true}]}'
    assert sniff(io.BytesIO(board)) == "ashby"


@pytest.mark.parametrize(
    ("document", "code"),
    [
        (b'{"id": 7, "name": "Engineer", "body": "text"}', "single_object"),
        (b'{"results": [{"name": "Engineer"}]}', "unrecognised_format"),
        (b'[{"name": "Engineer"}]', "unrecognised_format"),
    ],
)
def test_a_document_no_format_claims_is_refused_with_its_reason(document, code):
    with pytest.raises(FeedError) as error:
        sniff(io.BytesIO(document))
    assert error.value.code == code


@pytest.mark.parametrize(
    ("name", "content", "fmt"),
    [
        ("empty-board.json", b'{"apiVersion": "1", "jobs": []}', "ashby"),
        # A Greenhouse board read as Lever: the wrong reader finds nothing.
        ("greenhouse.json", fixture("greenhouse/board.json").read_bytes(), "lever"),
        ("no-postings.html", b"<!DOCTYPE html><html><body><h1>Careers</h1></body></html>", "auto"),
        (
            "empty.rss",
            b'<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>',
            "auto",
        ),
        # Only JSON-LD blocks that cannot be read: no posting either, though items were seen.
        (
            "broken.html",
            b'<html><script type="application/ld+json">{"@type": </script></html>',
            "auto",
        ),
    ],
)
def test_zero_postings_from_a_non_empty_input_is_a_failure(tmp_path, name, content, fmt):
    CompanyFactory(slug="acme")
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError) as error:
        import_jobs(path, company="acme", format=fmt)
    assert "Not one posting" in str(error.value)
    assert ImportRun.objects.get().status == RunStatus.FAILED
    assert ImportRun.objects.get().error_code == "no_postings"


def test_a_single_ashby_job_imports_as_one_posting():
    CompanyFactory(slug="zahlwerk", name="Zahlwerk")
    assert summary(import_jobs(fixture("ashby/job.json"), company="zahlwerk"))["created"] == 1
    posting = JobPosting.objects.get()
    assert posting.external_id == "0b8d3a52-6f7e-4c1d-8a2b-3c4d5e6f7a81"
    assert posting.workplace == "hybrid"


def imported(relative: str, **options) -> dict[str, JobPosting]:
    import_jobs(fixture(relative), publish=True, **options)
    return {posting.external_id: posting for posting in JobPosting.objects.all()}


def test_smartrecruiters_job_ads_places_and_companies():
    postings = imported("smartrecruiters/postings.json")
    madrid, sao_paulo = postings["744000091234501"], postings["744000091234502"]
    assert madrid.title == "Ingeniera/o de Datos Senior"
    assert madrid.company.name == "Logística Meseta S.L."
    assert madrid.language == "es"
    assert madrid.countries == ["ES"]
    assert madrid.workplace == "hybrid"
    assert madrid.employment_type == "full_time"
    assert "<h2>Qué harás</h2>" in madrid.description_html
    assert madrid.apply_url.endswith("?oga=true")
    assert madrid.status == Status.PUBLISHED
    assert sao_paulo.language == "pt-br"
    assert sao_paulo.workplace == "remote"
    assert sao_paulo.countries == ["BR"]
    assert sao_paulo.company == madrid.company


def test_recruitee_structured_salary_and_workplace_flags():
    postings = imported("recruitee/offers.json")
    warsaw = postings.get("1873401")
    berlin = postings["1873402"]
    assert berlin.title == "Werkstudent:in Marketing"
    assert berlin.company.name == "Hotelio sp. z o.o."
    assert berlin.workplace == "remote"
    assert berlin.countries == ["DE"]
    assert berlin.employment_type == "part_time"
    assert berlin.apply_url.endswith("/c/new")
    if warsaw is not None:  # Polish: the site's languages decide whether it is stored
        assert (warsaw.salary_min, warsaw.salary_max) == (Decimal(14000), Decimal(18000))
        assert (warsaw.salary_currency, warsaw.salary_period) == ("PLN", "month")
        assert warsaw.workplace == "hybrid"
        assert warsaw.status != Status.PUBLISHED or warsaw.language in {"en", "fr", "de", "es"}


def test_teamtailor_resolves_included_places_and_salary():
    CompanyFactory(slug="boulangerie-numerique", name="Boulangerie Numérique")
    postings = imported("teamtailor/jobs.json", company="boulangerie-numerique")
    (lyon,) = postings.values()
    assert lyon.external_id == "4410021"
    assert lyon.language == "fr"
    assert lyon.countries == ["FR"]
    assert "Lyon" in lyon.location
    assert lyon.workplace == "hybrid"
    assert (lyon.salary_min, lyon.salary_max, lyon.salary_currency) == (3800, 4500, "EUR")
    assert lyon.salary_period == "month"
    assert lyon.apply_url.endswith("/applications/new")


def test_arbeitnow_jobs_with_their_company_and_remote_flag():
    postings = imported("arbeitnow/jobs.json")
    vue = postings["frontend-entwickler-vue-berlin-231145"]
    platform = postings["platform-engineer-remote-231146"]
    assert vue.company.name == "Stadtwerk Digital GmbH"
    assert vue.language == "de"
    assert vue.workplace != "remote"
    assert platform.language == "en"
    assert platform.workplace == "remote"
    assert platform.company == vue.company


def test_remote_ok_skips_its_legal_notice():
    output = import_jobs(fixture("remoteok/api.json"), publish=True)
    postings = {posting.external_id: posting for posting in JobPosting.objects.all()}
    assert "1101" in postings
    go = postings["1101"]
    assert go.title == "Senior Go Engineer"
    assert go.company.name == "Kumo Systems"
    assert go.workplace == "remote"
    assert (go.salary_min, go.salary_max, go.salary_currency) == (90000, 130000, "USD")
    assert go.salary_period == "year"
    # The notice is no posting: two jobs read, whatever becomes of the Japanese one.
    counts = summary(output)
    assert counts["created"] + counts["skipped"] == 2
    japanese = postings.get("1102")
    assert japanese is None or japanese.salary_min is None


def test_remotive_jobs_are_remote_with_their_region():
    postings = imported("remotive/jobs.json")
    backend, support = postings["2043301"], postings["2043302"]
    assert backend.workplace == "remote"
    assert backend.company.name == "Ledgerly"
    assert backend.employment_type == "full_time"
    assert support.language == "es"
    assert support.workplace == "remote"
    assert support.employment_type == "contract"
    assert support.company.name == "Andino Datos S.A.S."


def test_jobicy_salary_and_level():
    (job,) = imported("jobicy/jobs.json").values()
    assert job.title == "Chef de projet e-commerce"
    assert job.language == "fr"
    assert job.company.name == "Atelier Lumière"
    assert (job.salary_min, job.salary_max, job.salary_currency) == (48000, 56000, "EUR")
    assert job.salary_period == "year"
    assert job.workplace == "remote"
    assert job.seniority == "senior"


def test_himalayas_location_restrictions_are_the_countries():
    postings = imported("himalayas/jobs.json")
    sre = postings["https://himalayas.example/companies/fintastic/jobs/site-reliability-engineer"]
    dados = postings["https://himalayas.example/companies/fintastic/jobs/analista-de-dados"]
    assert set(sre.countries) == {"DE", "PL"}
    assert sre.workplace == "remote"
    assert (sre.salary_min, sre.salary_max, sre.salary_currency) == (85000, 110000, "EUR")
    assert sre.apply_url.endswith("/apply")
    assert dados.language == "pt-br"
    assert dados.countries == ["BR"]
    assert dados.salary_min is None


def test_wwr_style_rss_takes_the_company_from_the_title_and_the_region_as_remote():
    import_jobs(fixture("rss/wwr.rss"), publish=True)
    postings = {posting.source_url: posting for posting in JobPosting.objects.all()}
    analyst = postings[
        "https://remote-board.example/remote-jobs/andino-datos-analista-de-datos-sr"
    ]
    assert analyst.title == "Analista de Datos Sr."
    assert analyst.company.name == "Andino Datos S.A.S."
    assert analyst.workplace == "remote"
    assert analyst.employment_type == "full_time"
    assert analyst.language == "es"
    rust = postings["https://remote-board.example/remote-jobs/northwind-tools-staff-rust-engineer"]
    assert rust.title == "Staff Rust Engineer"
    assert rust.company.name == "Northwind Tools"
    assert rust.workplace == "remote"
    assert rust.employment_type == "contract"


def test_json_ld_as_pages_serve_it():
    output = import_jobs(fixture("jsonld/quirks.html"), publish=True)
    assert summary(output) == {
        "created": 3, "updated": 0, "unchanged": 0, "skipped": 0, "failed": 0
    }  # fmt: skip
    postings = {posting.external_id: posting for posting in JobPosting.objects.all()}
    assert set(postings) == {"VDR-101", "VDR-102", "VDR-103"}
    assert {posting.language for posting in postings.values()} == {"fr"}
    assert postings["VDR-101"].countries == ["FR"]
    assert postings["VDR-102"].employment_type == "temporary"


def test_stale_closed_or_unappliable_postings_wait_for_a_moderator_even_with_publish():
    postings = imported("jsonld/held.json")
    assert postings["LIVE-1"].status == Status.PUBLISHED
    assert not postings["LIVE-1"].needs_review
    for key, words in [
        ("OLD-2013", "April 2, 2013"),
        ("CLOSED-1", "Nov. 30, 2026"),
        ("NOWAY-1", "no way to apply"),
    ]:
        posting = postings[key]
        assert posting.status == Status.PENDING, key
        assert posting.needs_review, key
        assert words in posting.review_reason, key


def test_companies_are_matched_by_their_normalised_name():
    existing = CompanyFactory(slug="andino", name="Andino Datos")
    import_jobs(fixture("remotive/jobs.json"))
    import_jobs(fixture("rss/wwr.rss"))

    # "Andino Datos S.A.S." in both feeds is the company already there, created nowhere.
    support = JobPosting.objects.get(external_id="2043302")
    analyst = JobPosting.objects.get(title="Analista de Datos Sr.")
    assert support.company == existing == analyst.company
    assert Company.objects.filter(name__icontains="andino").count() == 1
    # A company first met in a feed gets the slug of its normalised name.
    assert Company.objects.get(name="Northwind Tools").slug == "northwind-tools"
    assert Company.objects.get(name="Ledgerly").slug == "ledgerly"


def test_company_key_ignores_legal_forms_accents_case_and_punctuation():
    assert company_key("Andino Datos S.A.S.") == company_key("ANDINO DATOS") == "andino datos"
    assert company_key("Ferreterías Jalisco, S.A. de C.V.") == "ferreterias jalisco"
    assert company_key("Hotelio sp. z o.o.") == company_key("Hotelio")
    assert company_key("Stadtwerk Digital GmbH & Co. KG") == "stadtwerk digital"
    assert company_key("株式会社サクラ") == company_key("サクラ")
    assert company_key("AG") == "ag"  # a name that is only a legal form stays itself
