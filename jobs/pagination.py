"""Pagination that stays cheap at a million postings.

Counting every match of a list costs as much as reading them all; at a million postings that
is most of a page's time. So a list's total comes from the facet counts when they know it (no
filter, or a single country, workplace, type or seniority), and is otherwise counted up to
MAX_RESULTS only: "10,000+ open positions". Pages stop at MAX_RESULTS too (500 pages of 20):
nobody reads page 12,000, and OFFSET costs grow with the page number.
"""

from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import QuerySet

from locales.formatting import format_count

MAX_RESULTS = 10_000


class ListPaginator(Paginator):
    def __init__(
        self,
        *args,
        known_count: int | None = None,
        matches: QuerySet | None = None,
        limit: int | None = None,
        **kwargs,
    ):
        """`known_count`: the total when known already; `matches`: what to count when the
        pages show only part of it (a search ranks its newest `limit` matches)."""
        super().__init__(*args, **kwargs)
        self.known_count = known_count
        self.matches = matches
        self.limit = min(limit or MAX_RESULTS, MAX_RESULTS)

    @cached_property
    def total(self) -> int:
        """The number of matches, exact up to MAX_RESULTS (or beyond, when known)."""
        if self.known_count is not None:
            return self.known_count
        # SELECT count(*) FROM (SELECT ... LIMIT n): stops reading at the cap.
        matches = self.matches if self.matches is not None else self.object_list
        # Only the ids: a search's rank is not worth computing for a count.
        return matches.order_by().values("pk")[: MAX_RESULTS + 1].count()

    @property
    def capped(self) -> bool:
        return self.known_count is None and self.total > MAX_RESULTS

    @cached_property
    def count(self) -> int:
        """What pages are made of: no more than MAX_RESULTS postings (or the ranked ones)."""
        return min(self.total, self.limit)

    @property
    def display_count(self) -> str:
        """The total as the list's heading shows it: "10,000+" when only the cap is known."""
        if self.capped:
            return format_count(MAX_RESULTS) + "+"
        return format_count(self.total)
