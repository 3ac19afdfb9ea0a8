"""Each format's parser on fixtures written for it: records out, problems reported, no DB."""

import io
import json
import tracemalloc
from decimal import Decimal

import pytest

from jobs.imports.base import FeedError, ItemProblem, Record
from jobs.imports.sniff import PARSERS, parser_for, sniff
from tests.jobs.imports.helpers import fixture, write_feed


def parse(fmt: str, relative: str) -> list[Record | ItemProblem]:
    with fixture(relative).open("rb") as stream:
        return list(PARSERS[fmt]().parse(stream))


def records(items):
    return [item for item in items if isinstance(item, Record)]


@pytest.mark.parametrize(
    ("relative", "fmt"),
    [
        ("jsonld/seed-001.json", "jsonld"),
        ("jsonld/list.json", "jsonld"),
        ("jsonld/careers.html", "jsonld"),
        ("greenhouse/board.json", "greenhouse"),
        ("lever/postings.json", "lever"),
        ("ashby/board.json", "ashby"),
        ("workable/widget.json", "workable"),
        ("personio/positions.xml", "personio"),
        ("rss/jobs.rss", "rss"),
        ("rss/jobs.atom", "rss"),
        ("indeed/feed.xml", "indeed"),
    ],
)
def test_auto_recognises_every_format(relative, fmt):
    with fixture(relative).open("rb") as stream:
        assert sniff(stream) == fmt
        assert stream.tell() == 0


def test_an_unrecognisable_document_is_a_feed_error():
    with pytest.raises(FeedError) as error:
        parser_for("auto", io.BytesIO(b"name,title\nacme,engineer\n"))
    assert error.value.code == "unrecognised_format"


def test_jsonld_single_object_carries_the_seed():
    (record,) = parse("jsonld", "jsonld/seed-001.json")
    assert record.external_id == "li-4012345678"
    assert record.title == "Senior / Principal Backend Engineer (Ruby on Rails)"
    assert record.company_name == "Rails Works"
    assert record.workplace == "remote"
    assert "7\\+ years" in record.description


def test_jsonld_list_reads_structured_salary_places_and_experience():
    spanish, portuguese = parse("jsonld", "jsonld/list.json")
    assert spanish.language == "es"
    assert (spanish.salary_min, spanish.salary_max) == (Decimal(45000), Decimal(55000))
    assert spanish.salary_period == "YEAR"
    assert spanish.countries == ["Unión Europea"]
    assert portuguese.locations == ["São Paulo, SP, BR"]
    assert portuguese.experience == "36 months"


def test_jsonld_in_an_html_page_reads_the_graph_and_reports_a_broken_block():
    items = parse("jsonld", "jsonld/careers.html")
    found = records(items)
    assert [record.external_id for record in found] == ["VOY-88", "VOY-91"]
    assert found[0].language == "fr-FR"
    assert found[1].countries == ["FR"]
    problems = [item for item in items if isinstance(item, ItemProblem)]
    assert [problem.code for problem in problems] == ["malformed_json_ld"]


def test_greenhouse_keeps_escaped_html_metadata_and_pay_ranges():
    sre, data, support = parse("greenhouse", "greenhouse/board.json")
    assert sre.external_id == "4455667"
    assert sre.description.startswith("&lt;p&gt;")
    assert sre.description_format == "html"
    assert sre.salary_min == Decimal(140000)
    assert sre.salary_currency == "EUR"
    assert data.locations == ["Berlin, Germany"]
    assert support.employment_type == ["Alternance"]


def test_lever_composes_the_description_from_its_parts():
    designer, analyst, untitled = parse("lever", "lever/postings.json")
    assert "<h3>What you'll do</h3>" in designer.description
    assert designer.salary_period == "per-month-salary"
    assert designer.workplace == "remote"
    assert analyst.salary_text == "MX$ 45.000 - 55.000 al mes"
    assert analyst.date_posted.year == 2025
    assert untitled.title == ""


def test_ashby_reads_compensation_components_or_the_summary():
    go, success = parse("ashby", "ashby/board.json")
    assert go.salary_currency == "EUR"
    assert go.salary_period == "1 YEAR"
    assert go.locations == ["München", "Remote (DACH)"]
    assert success.remote is True
    assert success.salary_text == "Competitive"


def test_workable_takes_the_company_from_the_account():
    full_stack, intern = parse("workable", "workable/widget.json")
    assert full_stack.company_name == "Boulangerie Numérique"
    assert full_stack.countries == ["FR"]
    assert intern.remote is True


def test_workable_account_api_jobs_keep_their_requirements_benefits_salary_and_remote():
    job = {
        "shortcode": "AB12", "title": "Nurse", "url": "https://apply.workable.example/j/AB12",
        "description": "<p>About the role.</p>", "requirements": "<ul><li>2 years</li></ul>",
        "benefits": "<ul><li>Laptop</li></ul>", "employment_type": "Part-time",
        "location": {"country": "United States", "country_code": "US", "city": "",
                     "telecommuting": True, "workplace_type": "remote"},
        "salary": {"salary_from": 38, "salary_to": 44, "salary_currency": "usd"},
    }  # fmt: skip
    stream = io.BytesIO(json.dumps({"jobs": [job]}).encode())
    [record] = records(PARSERS["workable"]().parse(stream))
    assert record.description == (
        "<p>About the role.</p>\n<ul><li>2 years</li></ul>\n<ul><li>Laptop</li></ul>"
    )
    assert (record.remote, record.workplace, record.countries) == (True, "remote", ["US"])
    assert (record.salary_min, record.salary_max, record.salary_currency) == (
        Decimal(38),
        Decimal(44),
        "usd",
    )


def test_personio_joins_description_sections_and_maps_types():
    data, student = parse("personio", "personio/positions.xml")
    assert "<h3>Deine Aufgaben</h3>" in data.description
    assert data.locations == ["Hamburg", "Berlin"]
    assert data.experience == "5-7"
    assert student.employment_type == ["part_time"]


def test_rss_items_inherit_the_channel_language():
    items = records(parse("rss", "rss/jobs.rss"))
    assert [item.external_id for item in items] == ["ET-5521", "ET-5522", "ET-5523"]
    assert {item.language for item in items} == {"fr"}
    assert items[0].company_name == "Maison Garonne"
    assert items[1].description.startswith("<p>Vous rejoindrez")
    assert items[1].salary_text == "450 € par jour"


def test_atom_entries_take_xml_lang_from_the_entry_or_the_feed():
    spanish, portuguese = parse("rss", "rss/jobs.atom")
    assert spanish.language == "es"
    assert portuguese.language == "pt-BR"
    assert spanish.url == "https://empleo.nubecita.example/ofertas/310"
    assert spanish.company_name == "Nubecita"


def test_indeed_reads_jobs_including_one_without_a_title():
    items = parse("indeed", "indeed/feed.xml")
    assert [item.external_id for item in items] == ["RRJ-000", "RRJ-101", "RRJ-102", "RRJ-103"]
    assert items[0].workplace == "remote"
    assert items[1].salary_text == "R$ 18.000 - R$ 22.000 por mês"
    assert items[3].title == ""


@pytest.mark.parametrize(
    ("fmt", "body", "code"),
    [
        ("greenhouse", b'{"jobs": [{"id": 1, "title": "A"}, {"id": 2, "ti', "malformed_json"),
        ("indeed", b"<source><job><title>A</title></job><job><title>B", "malformed_xml"),
        ("lever", '[{"id": "1", "text": "Café"}]'.encode("latin-1"), "wrong_encoding"),
        # A plain JSON-LD list takes ijson.items' path: the same errors, the same items first.
        (
            "jsonld",
            b'[{"@type": "JobPosting", "title": "A", "identifier": "1"}, {"@type": "Job',
            "malformed_json",
        ),
        (
            "jsonld",
            '[{"@type": "JobPosting", "title": "Café"}]'.encode("latin-1"),
            "wrong_encoding",
        ),
    ],
)
def test_a_broken_document_yields_what_came_before_then_a_feed_error(fmt, body, code):
    seen = []
    with pytest.raises(FeedError) as error:
        seen.extend(PARSERS[fmt]().parse(io.BytesIO(body)))
    assert error.value.code == code
    assert len(seen) == (0 if code == "wrong_encoding" else 1)


def test_an_entity_bomb_is_refused():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">'.encode()
            for n in range(1, 10)
        )
        + b"]><rss><channel><item><title>&lol9;</title></item></channel></rss>"
    )
    with pytest.raises(FeedError) as error:
        list(PARSERS["rss"]().parse(io.BytesIO(bomb)))
    assert error.value.code == "forbidden_xml"


def test_an_item_of_the_wrong_shape_is_a_problem_not_a_crash():
    body = b'{"jobs": [42, {"id": 1}, {"id": 2, "title": "Fine", "content": "x"}]}'
    items = list(PARSERS["greenhouse"]().parse(io.BytesIO(body)))
    assert [type(item).__name__ for item in items] == ["ItemProblem", "ItemProblem", "Record"]


@pytest.mark.parametrize("fmt", ["jsonld"])
def test_memory_stays_flat_as_the_feed_grows(tmp_path, fmt):
    def peak(count: int) -> int:
        path = write_feed(tmp_path / f"feed-{count}.json", count)
        tracemalloc.start()
        with path.open("rb") as stream:
            for _record in PARSERS[fmt]().parse(stream):
                pass
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return peak

    small, large = peak(500), peak(10_000)
    # Twenty times the postings, well under twice the memory.
    assert large < small * 2


def test_xml_memory_stays_flat_as_the_feed_grows(tmp_path):
    def write(count: int):
        path = tmp_path / f"feed-{count}.xml"
        with path.open("w", encoding="utf-8") as out:
            out.write("<source>")
            for index in range(count):
                out.write(
                    f"<job><title>Job {index}</title><referencenumber>{index}</referencenumber>"
                    f"<description><![CDATA[<p>{'Text ' * 50}</p>]]></description></job>"
                )
            out.write("</source>")
        return path

    def peak(count: int) -> int:
        path = write(count)
        tracemalloc.start()
        with path.open("rb") as stream:
            for _record in PARSERS["indeed"]().parse(stream):
                pass
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return peak

    small, large = peak(500), peak(10_000)
    assert large < small * 2


@pytest.mark.parametrize(
    ("location", "page"),
    [
        (
            "https://kranich.jobs.personio.de/xml?language=de",
            "https://kranich.jobs.personio.de/job/2207001?language=de",
        ),
        ("https://Kranich.Jobs.Personio.com/xml", "https://kranich.jobs.personio.com/job/2207001"),
        # not a Personio board: no page is made up
        ("https://kranich.example/xml?language=de", ""),
        ("https://jobs.personio.de.evil.example/xml", ""),
        ("http://kranich.jobs.personio.de/xml", ""),
        ("/srv/feeds/personio_de.xml", ""),
        ("", ""),
    ],
)
def test_personio_positions_link_their_page_on_the_board_the_feed_came_from(location, page):
    # Personio's XML names no page; each position has one on its board, where candidates
    # apply. A saved file has no board: its postings are held for want of a way to apply.
    with fixture("versions/personio_de.xml").open("rb") as stream:
        record = records(parser_for("auto", stream, location).parse(stream))[0]

    assert record.external_id == "2207001"
    assert record.url == page
    assert record.apply_url == page
