"""A reason's date in the reader's format, not ISO: the run pages and hold reasons."""

import pytest
from django.utils import translation

from jobs.imports.reasons import reason_text


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("en", "March 1, 2026"),
        ("de", "1. März 2026"),
        ("es", "1 de marzo de 2026"),
        ("fr", "1 mars 2026"),
        ("pt-br", "1 de março de 2026"),
    ],
)
def test_a_hold_reason_s_date_is_in_the_reader_s_format(language, shown):
    with translation.override(language):
        text = reason_text("expired_posting", {"date": "2026-03-01"})

    assert shown in text
    assert "2026-03-01" not in text


def test_a_date_that_is_not_one_is_shown_as_it_came():
    with translation.override("en"):
        assert "soon" in reason_text("expired_posting", {"date": "soon"})
