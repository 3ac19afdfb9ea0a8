"""Pagination that stays cheap at a million postings.

Counting every match of a list costs as much as reading them all; at a million postings that
is most of a page's time. So a list's total comes from the facet counts when they know it (no
filter, or a single country, workplace, type or seniority), and is otherwise counted up to
COUNT_LIMIT only: "1,000+ open positions", as the big boards say. Pages stop at PAGE_LIMIT
postings (500 pages of 20): nobody reads page 12,000, and OFFSET costs grow with the page.

A search sorted by relevance ranks its newest COUNT_LIMIT matches (`RankedWindow`): one query
reads their ids and ranks, which also counts them, and a second reads the rows of the page.
"""

from collections.abc import Callable, Sequence
from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import QuerySet

from jobs.querysets import LIST_ORDER
from locales.formatting import format_count

COUNT_LIMIT = 1_000
PAGE_LIMIT = 10_000
# From this many postings in, a page reads its ids first (from the list's index alone, rather
# than reading every row it skips) and then its rows by id (README, "Speed-ups").
DEFERRED_FROM = 200


class RankedWindow(Sequence):
    """The newest `size` postings of `matches` (annotated with `rank`), most relevant first.

    Ranking reads each match's whole search vector, and a common word matches most of a
    language; the list's index yields the newest matches in order, so only those are ranked.
    """

    def __init__(
        self,
        matches: QuerySet,
        rows: QuerySet,
        size: int = COUNT_LIMIT,
        order: tuple[str, ...] = LIST_ORDER,
    ) -> None:
        self.matches = matches
        self.rows = rows  # how a page's postings are read (each with its `pk`), given their ids
        self.size = size
        self.order = order  # newest first, as the matches' index yields them

    @cached_property
    def _window(self) -> list[tuple[int, float, object]]:
        newest = self.matches.order_by(*self.order).values_list("pk", "rank", "published_at")[
            : self.size + 1
        ]
        return list(newest)

    @cached_property
    def ids(self) -> list[int]:
        ranked = sorted(
            self._window[: self.size], key=lambda row: (row[1], row[2], row[0]), reverse=True
        )
        return [pk for pk, _rank, _published in ranked]

    @property
    def total(self) -> int:
        """How many match, up to one more than the window: more means "size+"."""
        return len(self._window)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        ids = self.ids[index]
        found = {row.pk: row for row in self.rows.filter(pk__in=ids)}
        return [found[pk] for pk in ids if pk in found]


class ListPaginator(Paginator):
    def __init__(
        self,
        *args,
        known_count: int | None = None,
        listed_rows: Callable[[], QuerySet | None] | None = None,
        **kwargs,
    ):
        """`known_count`: the total, when known already. `listed_rows`: gives the list's
        ListedCountry rows in its order, when they alone say which postings it holds (asked
        only by a deep page)."""
        super().__init__(*args, **kwargs)
        self.known_count = known_count
        self.listed_rows = listed_rows

    @cached_property
    def total(self) -> int:
        """The number of matches, exact up to COUNT_LIMIT (or beyond, when known)."""
        if self.known_count is not None:
            return self.known_count
        if isinstance(self.object_list, RankedWindow):
            return self.object_list.total
        # SELECT count(*) FROM (SELECT id ... LIMIT n): stops reading at the cap; only the
        # ids, as a search's rank is not worth computing for a count.
        return self.object_list.order_by().values("pk")[: COUNT_LIMIT + 1].count()

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if bottom < DEFERRED_FROM or not isinstance(self.object_list, QuerySet):
            return super().page(number)
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.listed_rows() if self.listed_rows is not None else None
        if rows is not None:
            # A country list: the rows' index holds everything needed to skip to the page,
            # where the postings' own would be read one by one.
            ids = list(rows.values_list("posting_id", flat=True)[bottom:top])
        else:
            ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        return self._get_page(list(self.object_list.filter(pk__in=ids)), number, self)

    @property
    def limit(self) -> int:
        """How many matches pages are made of at most."""
        if self.known_count is not None:
            return PAGE_LIMIT
        if isinstance(self.object_list, RankedWindow):
            return self.object_list.size
        return COUNT_LIMIT

    @property
    def capped(self) -> bool:
        return self.known_count is None and self.total > self.limit

    @cached_property
    def count(self) -> int:
        return min(self.total, self.limit)

    @property
    def display_count(self) -> str:
        """The total as the list's heading shows it: "1,000+" when only the cap is known."""
        if self.capped:
            return format_count(self.limit) + "+"
        return format_count(self.total)
