"""Logo uploads and JSON shapes (issue 20, finding 10): a decompression bomb, a 30 MB file or
an HTML page named like an image is refused with a clear message, and what is stored is a
re-encoded PNG; the replaced file is deleted. Language requirements of the wrong shape are a
form error, not a 500."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from companies.models import Company
from tests.factories import CompanyFactory, RecruiterFactory, SuperuserFactory
from tests.jobs.test_admin_workflows import posting_form

pytestmark = pytest.mark.django_db


def png(width: int, height: int) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(output, format="PNG", optimize=True)
    return output.getvalue()


def upload(client, company, name: str, content: bytes):
    data = {
        "name": company.name,
        "slug": company.slug,
        "website": "",
        "description": "",
        "country": "",
        "logo": SimpleUploadedFile(name, content),
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    return client.post(reverse("admin:companies_company_change", args=[company.pk]), data)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def company(client):
    company = CompanyFactory(slug="acme")
    client.force_login(SuperuserFactory())
    return company


def test_a_decompression_bomb_is_refused_before_it_is_decoded(client, company, media):
    bomb = png(12_000, 12_000)  # 144 megapixels in a file of some 100 KB
    assert len(bomb) < 2 * 1024 * 1024

    response = upload(client, company, "bomb.png", bomb)

    assert response.status_code == 200
    assert "pixels at most" in response.content.decode()
    company.refresh_from_db()
    assert not company.logo
    assert not list(media.rglob("*.png"))


def test_a_file_too_large_or_not_an_image_is_refused(client, company, media):
    large = upload(client, company, "large.png", png(10, 10) + b"\0" * (3 * 1024 * 1024))
    tiff = upload(client, company, "logo.tiff", _image(40, 40, "TIFF"))
    renamed = upload(client, company, "logo.png", _image(40, 40, "BMP"))
    html = upload(client, company, "page.html", b"<script>alert(1)</script>")
    disguised = upload(client, company, "page.png", b"<script>alert(1)</script>")

    assert "2 MB at most" in large.content.decode()
    for response in (tiff, renamed):
        assert "must be a PNG, JPEG, WebP or GIF image" in response.content.decode()
    for response in (html, disguised):  # Django's own image check refuses these
        assert response.status_code == 200
        assert "errornote" in response.content.decode()
    company.refresh_from_db()
    assert not company.logo


def test_a_logo_is_stored_re_encoded_and_the_old_one_deleted(
    client, company, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert upload(client, company, "First Logo.JPG", _jpeg(1200, 600)).status_code == 302
    company.refresh_from_db()
    first = company.logo.name
    assert first.endswith(".png")
    with Image.open(media / first) as stored:
        assert stored.format == "PNG"
        assert max(stored.size) == 512

    with django_capture_on_commit_callbacks(execute=True):
        assert upload(client, company, "second.png", png(64, 64)).status_code == 302

    company.refresh_from_db()
    assert company.logo.name != first
    assert not (media / first).exists()
    assert (media / company.logo.name).exists()


def _image(width: int, height: int, kind: str) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (width, height), "navy").save(output, format=kind)
    return output.getvalue()


def _jpeg(width: int, height: int) -> bytes:
    return _image(width, height, "JPEG")


def _requirement_rows(*rows: tuple[str, str]) -> dict[str, str]:
    """The admin form's language rows (jobs.form_fields): language, then CEFR level."""
    data = {}
    for index, (language, level) in enumerate(rows):
        data[f"language_requirements_{index}_0"] = language
        data[f"language_requirements_{index}_1"] = level
    return data


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ((("en", "Z9"),), "Choose a language from the list."),
        ((("7", "B2"),), "Choose a language from the list."),
        ((("<b>", ""),), "Choose a language from the list."),
        ((("de", "B2"), ("de", "C1")), "is listed twice."),
    ],
)
def test_language_requirements_of_the_wrong_shape_are_a_form_error(client, rows, message):
    company = CompanyFactory()
    client.force_login(RecruiterFactory(company=company))

    response = client.post(
        reverse("admin:jobs_jobposting_add"),
        {**posting_form(company), **_requirement_rows(*rows)},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not company.postings.exists()


@pytest.mark.parametrize("value", ['{"en": "C1"}', '["en"]', "42", "not json"])
def test_a_hand_made_json_value_is_no_row_and_no_500(client, value):
    company = CompanyFactory()
    client.force_login(RecruiterFactory(company=company))

    response = client.post(
        reverse("admin:jobs_jobposting_add"),
        posting_form(company, language_requirements=value),
    )

    assert response.status_code == 302
    assert company.postings.get().language_requirements == []


def test_language_requirements_of_the_right_shape_are_kept(client):
    company = CompanyFactory()
    client.force_login(RecruiterFactory(company=company))

    response = client.post(
        reverse("admin:jobs_jobposting_add"),
        {**posting_form(company), **_requirement_rows(("de", "b2"), ("pt-br", ""))},
    )

    assert response.status_code == 302
    assert company.postings.get().language_requirements == [
        {"language": "de", "level": "B2"},
        {"language": "pt-br", "level": ""},
    ]
    assert Company.objects.count() == 1
