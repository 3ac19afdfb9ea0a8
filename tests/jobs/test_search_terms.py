"""`jobboard_terms` as migration 0030 guards it gives what migration 0021's version gave, on
every text: the stored search vectors, computed by the old version, stay right without being
computed again. Compared on hand-picked texts and on thousands made of the pieces that the
expressions look for, in both modes (a posting's text, and what a candidate types)."""

import importlib
import random

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

PICKED = [
    None, "", " ", "C++ engineer", "c++11 and C++/CLI", "C# and F#, j#, C##, x#", ".NET 8",
    "ASP.NET Core, vb.net, ADO.NET, x.net, a..net", "Node.js, NODE.JS, vue.JS.", "CI/CD",
    "ci/cdx", "Objective-C", "objective-c/swift", "Python/Go", "Go is our language.",
    "We use Go.", "Let's go!", "go-to person", "Go's runtime", "Google and Good",
    "<p>Go developers</p><p>Senior Go engineer</p>", "Tools: Go, Rust", "<b>C++</b>&amp;C#",
    "&lt;p&gt; &nbsp;Go &#233;", "ÇI/CD İstanbul ſ GO go Go", "Déploiement CI/CD en Go",
    "Entwicklung mit C# – .NET", "Desarrollo Node.js/React", "line\nGo\n  Go", ":  Go",
    "<a href=\"x/y.js\">link</a>", "1/2 time, 24/7, and/or",
]  # fmt: skip

PIECES = [
    "C", "c", "F", "j", "x", "+", "++", "#", ".", "..", "net", "NET", "js", "JS", "/", "ci",
    "cd", "CI", "Go", "go", "GO", "objective-c", "Objective-C", "asp", "vb", "-", "'", "’",
    " ", "  ", "\n", ".", "!", ":", "<p>", "</b>", "<", ">", "&amp;", "&", ";", "é", "Z", "1",
]  # fmt: skip


def _texts() -> list[str | None]:
    rng = random.Random(30)
    made = ["".join(rng.choices(PIECES, k=rng.randint(1, 14))) for _ in range(4000)]
    return PICKED + made


@pytest.fixture
def old_terms() -> None:
    """Migration 0021's function, as a temporary one beside today's."""
    sql = importlib.import_module("jobs.migrations.0021_search").TERMS
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("FUNCTION jobboard_terms(", "FUNCTION pg_temp.terms_0021("))


@pytest.mark.parametrize("query", [False, True])
@pytest.mark.usefixtures("old_terms")
def test_the_guarded_terms_equal_the_first_version_on_every_text(query):
    texts = _texts()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT body, pg_temp.terms_0021(body, %s), jobboard_terms(body, %s) "
            "FROM unnest(%s::text[]) AS body",
            [query, query, texts],
        )
        rows = cursor.fetchall()
    assert len(rows) == len(texts)
    differing = [(body, old, new) for body, old, new in rows if old != new]
    assert differing == []
    # The texts reach every rewrite, so the comparison covers each guarded branch.
    rewritten = " ".join(new for _body, _old, new in rows if new).lower()
    for word in ("cplusplus", "csharp", "dotnet", "nodejs", "cicd", "objectivec", "golang"):
        assert word in rewritten
