"""Eligibility facts on import (issue 23): visa sponsorship, relocation and a remote time-zone
window, read from a feed's fields and from the text in five languages, negations first; and
the pay-transparency linter's flags in the run's report, which never keep a posting out."""

import json
import re
from decimal import Decimal

import pytest
from django.utils import translation

from jobs.imports.normalise import eligibility
from jobs.imports.normalise.eligibility import relocation_support, utc_window, visa_sponsorship
from jobs.imports.reasons import reason_text
from jobs.models import JobPosting
from locales.collation import fold
from tests.jobs.imports.helpers import jsonld_feed
from tests.jobs.imports.test_command import import_jobs


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("No visa sponsorship.", "no"),
        ("We do not sponsor visas.", "no"),
        ("Visa sponsorship is not available.", "no"),
        ("Candidates must be able to work without sponsorship.", "no"),
        ("Sin patrocinio de visa.", "no"),
        ("No ofrecemos patrocinio de visa.", "no"),
        ("Keine Visa-Unterstützung.", "no"),
        ("Visa-Sponsoring ist leider nicht möglich.", "no"),
        ("Nous ne pouvons pas sponsoriser de visa.", "no"),
        ("Não oferecemos patrocínio de visto.", "no"),
        ("Visa sponsorship available.", "yes"),
        ("We sponsor work visas.", "yes"),
        ("Patrocinio de visa para el puesto.", "yes"),
        ("Visa-Unterstützung inklusive.", "yes"),
        ("Parrainage de visa possible.", "yes"),
        ("Patrocínio de visto.", "yes"),
        ("We accept Visa cards.", ""),
        ("", ""),
    ],
)
def test_visa_sponsorship_is_read_with_its_negations(text, expected):
    assert visa_sponsorship("", fold(text)) == expected


@pytest.mark.parametrize(
    ("field", "expected"), [("yes", "yes"), ("true", "yes"), ("no", "no"), ("False", "no")]
)
def test_a_feed_field_says_it_outright(field, expected):
    assert visa_sponsorship(field, fold("Visa sponsorship available.")) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Relocation package included.", "yes"),
        ("No relocation support.", "no"),
        ("Keine Umzugsunterstützung.", "no"),
        ("Umzugskosten werden übernommen.", "yes"),
        ("Sin ayuda de reubicación.", "no"),
        ("Aide à la relocalisation.", "yes"),
        ("Sem auxílio de mudança.", "no"),
    ],
)
def test_relocation_is_read_with_its_negations(text, expected):
    assert relocation_support("", fold(text)) == expected


@pytest.mark.parametrize(
    ("values", "text", "expected"),
    [
        ([], "Work from UTC−3 to UTC+3.", (Decimal(-3), Decimal(3))),
        ([], "Hours: GMT+1 ± 2 hours.", (Decimal(-1), Decimal(3))),
        ([], "Team spread UTC±4.", (Decimal(-4), Decimal(4))),
        ([], "Overlap PST to EST.", (Decimal(-8), Decimal(-5))),
        (["UTC-03:00", "UTC+01:00"], "", (Decimal(-3), Decimal(1))),
        ([], "No hours stated.", (None, None)),
        ([], "UTC-12 to UTC+14, UTC+20", (Decimal(-12), Decimal(14))),
        (["nonsense"], "", (None, None)),
    ],
)
def test_a_time_zone_window(values, text, expected):
    assert utc_window(values, text) == expected


@pytest.mark.django_db
def test_an_import_stores_the_facts_and_flags_the_pay_it_lacks_without_refusing(tmp_path):
    feed = tmp_path / "feed.json"
    feed.write_bytes(
        jsonld_feed(
            1,
            title="Software Engineer",
            jobLocation="Oakland, CA, USA",
            jobLocationType="TELECOMMUTE",
            eligibilityToWorkRequirement="Visa sponsorship is offered.",
            description=(
                "<p>We are looking for an engineer to build and run the services behind our "
                "product. You will design APIs, improve reliability and mentor colleagues. "
                "Relocation package included. Work hours between UTC-8 and UTC-5.</p>"
            ),
        )
    )

    with translation.override("fr"):
        report = json.loads(import_jobs(feed, json=True))

    posting = JobPosting.objects.get()
    assert (posting.visa_sponsorship, posting.relocation_support) == ("yes", "yes")
    assert (posting.remote_utc_min, posting.remote_utc_max) == (Decimal(-8), Decimal(-5))
    assert report["created"] == 1
    flags = [note for note in report["notes"] if note["code"] == "pay_rule"]
    assert flags, report["notes"]
    # Stored as a code and parameters, shown in whoever reads it's language.
    with translation.override("de"):
        assert "Gehaltsspanne" in reason_text(
            "pay_rule", {"rule": "us_pay_range", "states": ["CA"]}
        )


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern's source."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(pattern):
        if char == "\\":
            continue
        depth += char == "("
        depth -= char == ")"
        if char == "|" and depth == 0:
            parts.append(pattern[start:index])
            start = index + 1
    return [*parts, pattern[start:]]


def _holds_a_word(alternative: str, words: tuple[str, ...]) -> bool:
    """Whether every text the alternative matches holds one of `words`: its groups that may
    be left out dropped, the rest holds a word outside any group, or in each branch of one."""
    optional = re.compile(r"\((?:\?:)?[^()]*\)(?:\?|\{0,\d+\})")
    while optional.search(alternative):
        alternative = optional.sub("", alternative)
    groups = re.findall(r"\((?:\?:)?([^()]*)\)", alternative)
    outside = re.sub(r"\((?:\?:)?[^()]*\)", " ", alternative)
    return any(word in outside for word in words) or any(
        all(any(word in branch for word in words) for branch in group.split("|"))
        for group in groups
    )


@pytest.mark.parametrize("fact", [eligibility.VISA, eligibility.RELOCATION])
def test_every_eligibility_pattern_holds_a_word_its_guard_looks_for(fact):
    """A text with none of the guard's words is never searched: each alternative of each
    pattern must need one of them, or a phrase it should read would be missed."""
    for pattern in (fact.refusal, fact.offer):
        alternatives = _alternatives(pattern.pattern)
        missing = [alt for alt in alternatives if not _holds_a_word(alt, fact.words)]
        assert not missing, missing


def test_a_guard_that_misses_a_word_is_caught():
    assert not _holds_a_word(r"(?:cover|pay for) (?:your )?(?:relocation|moving)", ("reloca",))
    assert _holds_a_word(
        r"(?:cover|pay for) (?:your )?(?:relocation|moving)", ("reloca", "moving")
    )
    assert not _holds_a_word(r"no (?:work )?visa", ("work",))
