"""Search that understands (issue 22): technical terms as single words, the company's name in
each posting's search vector, and the words of each language's postings for "did you mean".

`jobboard_terms(text, query)` spells "C++", "C#", "F#", ".NET", "ASP.NET", "Node.js",
"CI/CD", "Objective-C" and the Go language as single words ("cplusplus", "csharp", "dotnet",
"aspnet", "nodejs", "cicd", "objectivec", "golang"), splits "Python/Go", and drops tags and
entities, before PostgreSQL's parser would break them into "c", "net" or a file name. The
vectors apply it with `query` false; what a candidate types with `query` true, where a
lower-case "go" is the language too (in a posting, only a capitalised "Go" that does not open
a sentence is). The replacements end in a space and start without one, so that "-c#"
still excludes "csharp".

Each posting carries its company's name (`search_company`), which triggers keep: a posting's
own write copies it, a company's rename rewrites its postings'. The generated vector then
reads it from the row. Changing the vector's expression rewrites the table once (SET
EXPRESSION), its indexes with it: about a minute per 100,000 postings on the bench machine.
"""

import importlib

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

import jobs.querysets

TERMS = r"""
CREATE FUNCTION jobboard_terms(body text, query boolean DEFAULT false) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (
    WITH
    plain AS (SELECT regexp_replace(regexp_replace(body, '<[^>]*>', E'\n', 'g'),
                                    '&[#[:alnum:]]+;', ' ', 'g') AS t),
    dotted AS (SELECT regexp_replace(regexp_replace(regexp_replace(t,
        '\m(asp|vb|ado)\.net\M', '\1net dotnet ', 'gi'),
        '(^|[^[:alnum:]_.])\.net\M', '\1dotnet ', 'gi'),
        '\m([[:alnum:]]+)\.js\M', '\1js ', 'gi') AS t FROM plain),
    signed AS (SELECT regexp_replace(regexp_replace(regexp_replace(regexp_replace(t,
        '\mc\+\+(?![[:alnum:]_+])', 'cplusplus ', 'gi'),
        '\m([cfj])#(?![[:alnum:]_#])', '\1sharp ', 'gi'),
        '\mci/cd\M', 'cicd ', 'gi'),
        '\mobjective-c\M', 'objectivec ', 'gi') AS t FROM dotted),
    split AS (SELECT regexp_replace(t, '([[:alnum:]])/(?=[[:alnum:]])', '\1 ', 'g') AS t
              FROM signed)
    SELECT CASE WHEN query
        THEN regexp_replace(t, '\mgo\M(?![-''’])', 'golang ', 'gi')
        ELSE regexp_replace(t, '(?<![.!?:\n]\s{0,3})(?<!^\s{0,3})\mGo\M(?![-''’])',
                            'golang ', 'g')
    END FROM split
);
"""

COMPANY_NAME = """
CREATE FUNCTION jobs_posting_company_name() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- A write that names another company, or that carries a stale copy of the name.
    IF TG_OP = 'INSERT' OR NEW.company_id IS DISTINCT FROM OLD.company_id
            OR NEW.search_company IS DISTINCT FROM OLD.search_company THEN
        NEW.search_company := coalesce(
            (SELECT name FROM companies_company WHERE id = NEW.company_id), '');
    END IF;
    RETURN NEW;
END;
$$;
CREATE FUNCTION jobs_company_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE jobs_jobposting SET search_company = NEW.name
    WHERE company_id = NEW.id AND search_company IS DISTINCT FROM NEW.name;
    RETURN NULL;
END;
$$;
"""

# The postings already there, before the triggers exist: their other triggers (facet counts,
# listed countries) have nothing to do for a column they do not read.
FILL_COMPANY = """
ALTER TABLE jobs_jobposting DISABLE TRIGGER USER;
UPDATE jobs_jobposting p SET search_company = c.name
FROM companies_company c WHERE c.id = p.company_id;
ALTER TABLE jobs_jobposting ENABLE TRIGGER USER;
CREATE TRIGGER jobs_posting_company_name BEFORE INSERT OR UPDATE ON jobs_jobposting
FOR EACH ROW EXECUTE FUNCTION jobs_posting_company_name();
CREATE TRIGGER jobs_company_renamed AFTER UPDATE OF name ON companies_company
FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION jobs_company_renamed();
"""

DROP_COMPANY = """
DROP TRIGGER IF EXISTS jobs_company_renamed ON companies_company;
DROP TRIGGER IF EXISTS jobs_posting_company_name ON jobs_jobposting;
DROP FUNCTION IF EXISTS jobs_company_renamed();
DROP FUNCTION IF EXISTS jobs_posting_company_name();
"""

# The facet counts (migration 0006) count the postings open to the whole world once more, as
# "anywhere": the country filter offers them as one option, rather than each of the 250
# countries they carry (jobs.facets).
_facet_counts = importlib.import_module("jobs.migrations.0006_facet_counts")
_WORLDWIDE = "(SELECT id FROM locales_region WHERE code = 'worldwide')"
_ANYWHERE = f"""
        UNION ALL
        SELECT language, 'anywhere', '', sum(sign) FROM open WHERE region_id = {_WORLDWIDE}
        GROUP BY language
    )"""


def _facet_function(columns: str, apply: str) -> str:
    changes = {
        "INSERT": f"SELECT {columns}, 1 AS sign FROM new_rows",
        "DELETE": f"SELECT {columns}, -1 AS sign FROM old_rows",
        "UPDATE": f"SELECT {columns}, 1 AS sign FROM new_rows "
        f"UNION ALL SELECT {columns}, -1 AS sign FROM old_rows",
    }
    return (
        "CREATE OR REPLACE FUNCTION jobs_facetcount_apply() RETURNS trigger LANGUAGE plpgsql "
        "AS $$\nBEGIN\n"
        + "\n".join(
            f"    {'IF' if index == 0 else 'ELSIF'} TG_OP = '{operation}' THEN"
            + apply.format(changes=sql)
            for index, (operation, sql) in enumerate(changes.items())
        )
        + "\n    END IF;\n    RETURN NULL;\nEND;\n$$;"
    )


_seniority = "FROM open GROUP BY language, seniority\n    )"
assert _seniority in _facet_counts._APPLY
FACETS = (
    _facet_function(
        _facet_counts._COLUMNS + ", region_id",
        _facet_counts._APPLY.replace(
            "employment_type, seniority, sign", "employment_type, seniority, region_id, sign"
        ).replace(_seniority, _seniority.removesuffix("\n    )") + _ANYWHERE),
    )
    + f"""
INSERT INTO jobs_facetcount (language, facet, value, count)
SELECT language, 'anywhere', '', count(*) FROM jobs_jobposting
WHERE status = 'published' AND hidden_at IS NULL AND region_id = {_WORLDWIDE}
GROUP BY language;
"""
)
FACETS_BACK = _facet_function(_facet_counts._COLUMNS, _facet_counts._APPLY) + (
    "DELETE FROM jobs_facetcount WHERE facet = 'anywhere';"
)


class AlterGeneratedExpression(migrations.AlterField):
    """A generated column's new expression, set in place (PostgreSQL 17+): one rewrite of the
    table, where Django would drop and add the column, and its five search indexes with it."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._set(app_label, schema_editor, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._set(app_label, schema_editor, to_state)

    def _set(self, app_label, schema_editor, state):
        model = state.apps.get_model(app_label, self.model_name)
        field = model._meta.get_field(self.name)
        sql, params = field.generated_sql(schema_editor.connection)
        sql = sql % tuple(schema_editor.quote_value(param) for param in params)
        table = schema_editor.quote_name(model._meta.db_table)
        column = schema_editor.quote_name(field.column)
        schema_editor.execute(
            f"ALTER TABLE {table} ALTER COLUMN {column} SET EXPRESSION AS ({sql})"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0020_report_queue_event"),
    ]

    operations = [
        migrations.RunSQL(TERMS, "DROP FUNCTION IF EXISTS jobboard_terms(text, boolean);"),
        migrations.AddField(
            model_name="jobposting",
            name="search_company",
            field=models.CharField(blank=True, default="", editable=False, max_length=200),
        ),
        migrations.RunSQL(COMPANY_NAME + FILL_COMPANY, DROP_COMPANY),
        AlterGeneratedExpression(
            model_name="jobposting",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.Case(
                    models.When(
                        language="en",
                        then=django.contrib.postgres.search.CombinedSearchVector(
                            django.contrib.postgres.search.CombinedSearchVector(
                                django.contrib.postgres.search.CombinedSearchVector(
                                    django.contrib.postgres.search.SearchVector(
                                        jobs.querysets.Terms("title"),
                                        config="jobboard_english",
                                        weight="A",
                                    ),
                                    "||",
                                    django.contrib.postgres.search.SearchVector(
                                        jobs.querysets.Terms("search_company"),
                                        config="jobboard_english",
                                        weight="B",
                                    ),
                                    django.contrib.postgres.search.SearchConfig(
                                        "jobboard_english"
                                    ),
                                ),
                                "||",
                                django.contrib.postgres.search.SearchVector(
                                    jobs.querysets.Terms("location"),
                                    config="jobboard_english",
                                    weight="B",
                                ),
                                django.contrib.postgres.search.SearchConfig("jobboard_english"),
                            ),
                            "||",
                            django.contrib.postgres.search.SearchVector(
                                jobs.querysets.Terms("description_html"),
                                config="jobboard_english",
                                weight="C",
                            ),
                            django.contrib.postgres.search.SearchConfig("jobboard_english"),
                        ),
                    ),
                    models.When(
                        language="fr",
                        then=django.contrib.postgres.search.CombinedSearchVector(
                            django.contrib.postgres.search.CombinedSearchVector(
                                django.contrib.postgres.search.CombinedSearchVector(
                                    django.contrib.postgres.search.SearchVector(
                                        jobs.querysets.Terms("title"),
                                        config="jobboard_french",
                                        weight="A",
                                    ),
                                    "||",
                                    django.contrib.postgres.search.SearchVector(
                                        jobs.querysets.Terms("search_company"),
                                        config="jobboard_french",
                                        weight="B",
                                    ),
                                    django.contrib.postgres.search.SearchConfig("jobboard_french"),
                                ),
                                "||",
                                django.contrib.postgres.search.SearchVector(
                                    jobs.querysets.Terms("location"),
                                    config="jobboard_french",
                                    weight="B",
                                ),
                                django.contrib.postgres.search.SearchConfig("jobboard_french"),
                            ),
                            "||",
                            django.contrib.postgres.search.SearchVector(
                                jobs.querysets.Terms("description_html"),
                                config="jobboard_french",
                                weight="C",
                            ),
                            django.contrib.postgres.search.SearchConfig("jobboard_french"),
                        ),
                    ),
                    models.When(
                        language="de",
                        then=django.contrib.postgres.search.CombinedSearchVector(
                            django.contrib.postgres.search.CombinedSearchVector(
                                django.contrib.postgres.search.CombinedSearchVector(
                                    django.contrib.postgres.search.SearchVector(
                                        jobs.querysets.Terms("title"),
                                        config="jobboard_german",
                                        weight="A",
                                    ),
                                    "||",
                                    django.contrib.postgres.search.SearchVector(
                                        jobs.querysets.Terms("search_company"),
                                        config="jobboard_german",
                                        weight="B",
                                    ),
                                    django.contrib.postgres.search.SearchConfig("jobboard_german"),
                                ),
                                "||",
                                django.contrib.postgres.search.SearchVector(
                                    jobs.querysets.Terms("location"),
                                    config="jobboard_german",
                                    weight="B",
                                ),
                                django.contrib.postgres.search.SearchConfig("jobboard_german"),
                            ),
                            "||",
                            django.contrib.postgres.search.SearchVector(
                                jobs.querysets.Terms("description_html"),
                                config="jobboard_german",
                                weight="C",
                            ),
                            django.contrib.postgres.search.SearchConfig("jobboard_german"),
                        ),
                    ),
                    models.When(
                        language="es",
                        then=django.contrib.postgres.search.CombinedSearchVector(
                            django.contrib.postgres.search.CombinedSearchVector(
                                django.contrib.postgres.search.CombinedSearchVector(
                                    django.contrib.postgres.search.SearchVector(
                                        jobs.querysets.Terms("title"),
                                        config="jobboard_spanish",
                                        weight="A",
                                    ),
                                    "||",
                                    django.contrib.postgres.search.SearchVector(
                                        jobs.querysets.Terms("search_company"),
                                        config="jobboard_spanish",
                                        weight="B",
                                    ),
                                    django.contrib.postgres.search.SearchConfig(
                                        "jobboard_spanish"
                                    ),
                                ),
                                "||",
                                django.contrib.postgres.search.SearchVector(
                                    jobs.querysets.Terms("location"),
                                    config="jobboard_spanish",
                                    weight="B",
                                ),
                                django.contrib.postgres.search.SearchConfig("jobboard_spanish"),
                            ),
                            "||",
                            django.contrib.postgres.search.SearchVector(
                                jobs.querysets.Terms("description_html"),
                                config="jobboard_spanish",
                                weight="C",
                            ),
                            django.contrib.postgres.search.SearchConfig("jobboard_spanish"),
                        ),
                    ),
                    models.When(
                        language="pt-br",
                        then=django.contrib.postgres.search.CombinedSearchVector(
                            django.contrib.postgres.search.CombinedSearchVector(
                                django.contrib.postgres.search.CombinedSearchVector(
                                    django.contrib.postgres.search.SearchVector(
                                        jobs.querysets.Terms("title"),
                                        config="jobboard_portuguese",
                                        weight="A",
                                    ),
                                    "||",
                                    django.contrib.postgres.search.SearchVector(
                                        jobs.querysets.Terms("search_company"),
                                        config="jobboard_portuguese",
                                        weight="B",
                                    ),
                                    django.contrib.postgres.search.SearchConfig(
                                        "jobboard_portuguese"
                                    ),
                                ),
                                "||",
                                django.contrib.postgres.search.SearchVector(
                                    jobs.querysets.Terms("location"),
                                    config="jobboard_portuguese",
                                    weight="B",
                                ),
                                django.contrib.postgres.search.SearchConfig("jobboard_portuguese"),
                            ),
                            "||",
                            django.contrib.postgres.search.SearchVector(
                                jobs.querysets.Terms("description_html"),
                                config="jobboard_portuguese",
                                weight="C",
                            ),
                            django.contrib.postgres.search.SearchConfig("jobboard_portuguese"),
                        ),
                    ),
                    output_field=django.contrib.postgres.search.SearchVectorField(),
                ),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.RunSQL(FACETS, FACETS_BACK),
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("language", models.CharField(max_length=5)),
                ("word", models.CharField(max_length=40)),
                ("folded", models.CharField(max_length=40)),
                ("postings", models.IntegerField()),
            ],
            options={
                "verbose_name": "search word",
                "indexes": [
                    django.contrib.postgres.indexes.GinIndex(
                        fields=["folded"], name="search_word_trgm", opclasses=["gin_trgm_ops"]
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("language", "folded"), name="search_word_unique"
                    )
                ],
            },
        ),
    ]
