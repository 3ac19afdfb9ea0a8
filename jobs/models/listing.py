"""Read models PostgreSQL keeps for the candidate lists: listed countries, facet counts."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQueryField
from django.db import models
from django.db.models import F, Q

from jobs.models.posting import JobPosting
from jobs.querysets import ListedCountryQuerySet
from locales.languages import SEARCH_CONFIGS


class ListedCountry(models.Model):
    """A published posting under one of the countries it is listed in (a regional posting
    under each country of its region), with the columns the list filters and orders by.

    The candidate list's country filter walks these rows newest first in one index and
    stops at the page it needs (`JobPostingQuerySet.listed_in_country`): a common word
    ("engineer") matches most postings, and intersecting its full-text match with a country's
    postings cost PostgreSQL far more at a million postings than this walk of a
    few thousand index entries. PostgreSQL keeps the rows itself, through statement triggers on
    jobs_jobposting (migration 0013), so bulk imports and COPY keep them too.
    """

    pk = models.CompositePrimaryKey("posting", "country")
    posting = models.ForeignKey(
        JobPosting,
        on_delete=models.DO_NOTHING,  # the triggers remove the rows of a deleted posting
        db_constraint=False,
        db_index=False,  # the primary key's index starts with it
        related_name="listed_countries",
    )
    country = models.CharField(max_length=2)
    language = models.CharField(max_length=5)
    published_at = models.DateTimeField()
    workplace = models.CharField(max_length=10)
    employment_type = models.CharField(max_length=12)
    seniority = models.CharField(max_length=10, blank=True)
    # Whether it is open, as the posting says: a deep page reads its ids from the rows alone.
    expires_at = models.DateTimeField(null=True)
    hidden_at = models.DateTimeField(null=True)

    objects = ListedCountryQuerySet.as_manager()

    class Meta:
        verbose_name = "listed country"
        indexes = [
            models.Index(
                "language",
                "country",
                F("published_at").desc(),
                F("posting").desc(),
                name="listed_country_list_idx",
                include=["workplace", "employment_type", "seniority", "expires_at", "hidden_at"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.posting_id} in {self.country}"


class FacetCount(models.Model):
    """How many published, unhidden postings of a language carry each filter value: what the
    list's facets read instead of counting a million rows (README, "Speed-ups").

    PostgreSQL keeps the counts itself, through statement triggers on jobs_jobposting (see
    migration 0006), so bulk imports and COPY update them too. Expiry is not a write: the
    selectors subtract the published postings already past their expiry date.
    """

    language = models.CharField(max_length=5)
    # "total", "country", "workplace", "employment_type" or "seniority".
    facet = models.CharField(max_length=20)
    value = models.CharField(max_length=20, blank=True)
    count = models.IntegerField(default=0)

    class Meta:
        verbose_name = "facet count"
        constraints = [
            models.UniqueConstraint(
                fields=["language", "facet", "value"], name="facet_count_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.language} {self.facet}={self.value}: {self.count}"


class SearchWord(models.Model):
    """A word of the published postings of a language, as they write it, for "did you mean":
    a search that finds nothing looks here for the nearest word by trigrams (pg_trgm). A
    periodic task rebuilds the words (`jobs.spelling.search_words_refresh`)."""

    language = models.CharField(max_length=5)
    word = models.CharField(max_length=40)
    # Lower case and unaccented: what "devloppeur" is compared with ("developpeur").
    folded = models.CharField(max_length=40)
    # In how many postings it appears: the commoner of two equally near words wins.
    postings = models.IntegerField()

    class Meta:
        verbose_name = "search word"
        constraints = [
            models.UniqueConstraint(fields=["language", "folded"], name="search_word_unique"),
        ]
        indexes = [
            # One per language: a single index answered every language's near words and
            # PostgreSQL ANDed them with all the language's words, ten times the buffers
            # with hundreds of thousands of words (bench/RESULTS.md).
            *[
                GinIndex(
                    fields=["folded"],
                    opclasses=["gin_trgm_ops"],
                    name=f"search_word_trgm_{code.replace('-', '_')}",
                    condition=Q(language=code),
                )
                for code in SEARCH_CONFIGS
            ],
            # The words an unfinished word begins (jobs.spelling.completions): a range of
            # this index, compared byte by byte whatever the database's collation, read
            # alone with the columns it includes.
            models.Index(
                fields=["language", "folded"],
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
                include=["postings", "word"],
                name="search_word_prefix",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.language} {self.word}"


class SearchKey(models.Model):
    """A search common enough in a language that counting its matches row by row is slow:
    one word as the list searches it (its stem as a prefix, `'engin':*` for "engineer"),
    whose facet counts PostgreSQL keeps in SearchCount. Chosen from the language's words
    (`jobs.search_counts.search_keys_refresh`); read only once `ready`, when its counts are
    filled."""

    language = models.CharField(max_length=5)
    # The query as PostgreSQL prints it: what a candidate's search is compared with.
    key = models.CharField(max_length=100)
    query = SearchQueryField()
    ready = models.BooleanField(default=False)

    class Meta:
        verbose_name = "search key"
        constraints = [
            models.UniqueConstraint(fields=["language", "key"], name="search_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.language} {self.key}"


class SearchCount(models.Model):
    """How many published, unhidden postings of a language match a SearchKey in each facet
    cell: a country (each of a posting's countries once; "*" for the postings open to the
    whole world, "" for every posting once, whatever its countries), a workplace, a type and
    a seniority. The facet counts that follow a common-word search sum these cells rather
    than test a hundred thousand postings' vectors (`jobs.facet_search`).

    Statement triggers on jobs_jobposting keep them, as they keep FacetCount (migration
    0027); expiry is not a write, so the reader subtracts the matches already past their
    expiry date, as the language's facets do."""

    language = models.CharField(max_length=5)
    key = models.CharField(max_length=100)
    country = models.CharField(max_length=2, blank=True)
    workplace = models.CharField(max_length=10)
    employment_type = models.CharField(max_length=12)
    seniority = models.CharField(max_length=10, blank=True)
    count = models.IntegerField(default=0)

    class Meta:
        verbose_name = "search count"
        constraints = [
            models.UniqueConstraint(
                fields=["language", "key", "country", "workplace", "employment_type", "seniority"],
                name="search_count_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.language} {self.key} {self.country}: {self.count}"


# --- Moderation -----------------------------------------------------------------------------
