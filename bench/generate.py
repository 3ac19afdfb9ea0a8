"""Fill the bench database with BENCH_POSTINGS realistic postings, through COPY.

Run inside Django (bench.run sets DATABASE_URL to the bench database first). Descriptions
are rendered once per variant with jobs.rendering and reused; PostgreSQL computes the
generated search_vector column itself. Secondary indexes are dropped for the load and built
again afterwards, which is several times faster than maintaining them row by row.
"""

import json
import random
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from multiprocessing import get_context

from django.db import connection

from jobs.rendering import render_description

SEED_SOURCE = "bench-seed"
COMPANIES = 20_000

# Most postings are English; the other four languages share the rest.
LANGUAGE_WEIGHTS = {"en": 0.62, "de": 0.12, "fr": 0.11, "es": 0.09, "pt-br": 0.06}
COUNTRIES = [
    "US",
    "GB",
    "DE",
    "FR",
    "ES",
    "PT",
    "BR",
    "NL",
    "BE",
    "CH",
    "AT",
    "IE",
    "IT",
    "PL",
    "SE",
    "DK",
    "NO",
    "FI",
    "CZ",
    "RO",
    "HU",
    "GR",
    "CA",
    "MX",
    "AR",
    "CL",
    "CO",
    "PE",
    "UY",
    "IN",
    "SG",
    "AU",
    "NZ",
    "JP",
    "KR",
    "ZA",
    "NG",
    "KE",
    "EG",
    "MA",
    "TR",
    "IL",
    "AE",
    "SA",
    "UA",
    "EE",
    "LV",
    "LT",
    "SK",
    "SI",
    "HR",
    "BG",
    "RS",
    "LU",
    "MT",
    "CY",
    "IS",
    "PH",
    "VN",
    "ID",
    "MY",
    "TH",
]
# Where each language's postings mostly are.
HOME_COUNTRIES = {
    "en": ["US", "GB", "IE", "CA", "AU", "IN", "SG", "NL", "DE", "NZ"],
    "de": ["DE", "AT", "CH", "LU"],
    "fr": ["FR", "BE", "CH", "CA", "LU", "MA"],
    "es": ["ES", "MX", "AR", "CO", "CL", "PE", "UY"],
    "pt-br": ["BR", "PT"],
}
# "worldwide" postings carry all 250 countries (issue 22: the country list's "Anywhere").
REGION_CODES = [
    "worldwide", "eu", "europe", "emea", "latin-america", "north-america", "apac", "dach"
]  # fmt: skip
STATUS_WEIGHTS = {
    "published": 0.78,
    "expired": 0.08,
    "archived": 0.05,
    "pending": 0.04,
    "draft": 0.02,
    "rejected": 0.03,
}
CURRENCIES = {"en": "USD", "de": "EUR", "fr": "EUR", "es": "EUR", "pt-br": "BRL"}
ROLES = {
    "en": ["Backend Engineer", "Data Scientist", "Product Manager", "Frontend Developer",
           "DevOps Engineer", "Sales Representative", "Nurse", "Accountant", "UX Designer",
           "Customer Success Manager", "Python Developer", "Mechanical Engineer"],
    "de": ["Softwareentwickler", "Datenanalyst", "Produktmanagerin", "Buchhalter",
           "Pflegefachkraft", "Vertriebsmitarbeiter", "Systemadministrator", "Elektriker"],
    "fr": ["Développeur backend", "Chef de projet", "Comptable", "Infirmier",
           "Ingénieur données", "Commercial terrain", "Designer UX", "Technicien réseau"],
    "es": ["Desarrollador backend", "Analista de datos", "Contable", "Enfermera",
           "Jefe de proyecto", "Comercial", "Diseñador UX", "Ingeniero de sistemas"],
    "pt-br": ["Desenvolvedor backend", "Analista de dados", "Contador", "Enfermeiro",
              "Gerente de projetos", "Vendedor", "Designer UX", "Engenheiro de software"],
}  # fmt: skip
LEVELS = ["", "Junior ", "Senior ", "Lead "]
PARAGRAPHS = {
    "en": "We are looking for a colleague to design, build and run the services behind our "
    "product. You will work with product managers and designers, review code, improve "
    "reliability and mentor others. We value clear writing, kindness and curiosity.",
    "de": "Wir suchen eine Kollegin oder einen Kollegen, die unsere Dienste entwerfen, bauen "
    "und betreiben. Du arbeitest eng mit Produkt und Design, prüfst Code, verbesserst die "
    "Zuverlässigkeit und unterstützt dein Team mit Erfahrung und Geduld.",
    "fr": "Nous recherchons une personne pour concevoir, construire et faire évoluer les "
    "services de notre produit. Vous travaillerez avec l'équipe produit et design, relirez "
    "du code, améliorerez la fiabilité et accompagnerez vos collègues.",
    "es": "Buscamos una persona para diseñar, construir y mantener los servicios de nuestro "
    "producto. Trabajarás con producto y diseño, revisarás código, mejorarás la fiabilidad "
    "de los sistemas y acompañarás al equipo en su crecimiento.",
    "pt-br": "Procuramos uma pessoa para projetar, construir e manter os serviços do nosso "
    "produto. Você vai trabalhar com produto e design, revisar código, melhorar a "
    "confiabilidade dos sistemas e apoiar o time no dia a dia.",
}
BULLETS = {
    "en": ["3+ years of professional experience", "Python, SQL and HTTP", "Good written English",
           "Experience with cloud platforms", "Remote-friendly hours", "Health insurance"],
    "de": ["Mehrjährige Berufserfahrung", "Sehr gute Deutschkenntnisse", "Teamfähigkeit",
           "Erfahrung mit Cloud-Plattformen", "Flexible Arbeitszeiten", "30 Tage Urlaub"],
    "fr": ["Trois ans d'expérience au minimum", "Maîtrise du français", "Esprit d'équipe",
           "Connaissance des outils cloud", "Télétravail possible", "Mutuelle d'entreprise"],
    "es": ["Tres años de experiencia", "Español nativo", "Trabajo en equipo",
           "Experiencia con la nube", "Horario flexible", "Seguro médico"],
    "pt-br": ["Três anos de experiência", "Português fluente", "Trabalho em equipe",
              "Experiência com nuvem", "Horário flexível", "Plano de saúde"],
}  # fmt: skip
# Visa sponsorship and relocation support, by the posting's number (the random sequence, and
# so every other column, stays as it was before these columns): mostly not stated.
PROVISIONS = ["yes", "no", "", "", "", "", "", "", "", ""]
VARIANTS_PER_LANGUAGE = 6
# The columns each generated posting sets; every other column of the table takes its field's
# default (`_other_columns`), so a field added later never breaks the load.
COLUMNS = (
    "title",
    "slug",
    "company_id",
    "description",
    "description_format",
    "description_html",
    "language",
    "countries",
    "location",
    "region_id",
    "workplace",
    "employment_type",
    "seniority",
    "experience_years_min",
    "language_requirements",
    "salary_min",
    "salary_max",
    "salary_currency",
    "salary_period",
    "apply_url",
    "apply_email",
    "source_name",
    "source_url",
    "external_id",
    "duplicate_key",
    "needs_review",
    "review_reason",
    "status",
    "published_at",
    "expires_at",
    "submitted_at",
    "hidden_at",
    "created_at",
    "updated_at",
    "visa_sponsorship",
    "relocation_support",
)
WORKERS = 3


def _descriptions(rng: random.Random) -> dict[str, list[tuple[str, str]]]:
    """A few Markdown descriptions per language, 800 to 6,000 characters, rendered once."""
    result = {}
    for language in LANGUAGE_WEIGHTS:
        variants = []
        for variant in range(VARIANTS_PER_LANGUAGE):
            paragraphs = 1 + variant * 3
            parts = []
            for index in range(paragraphs):
                if index % 3 == 1:
                    parts.append("## " + ROLES[language][index % len(ROLES[language])])
                parts.append(PARAGRAPHS[language])
                if index % 2 == 0:
                    bullets = rng.sample(BULLETS[language], 4)
                    parts.append("\n".join(f"- {bullet}" for bullet in bullets))
            text = "\n\n".join(parts)
            variants.append((text, render_description(text, "markdown")))
        result[language] = variants
    return result


def _slug(text: str) -> str:
    from django.utils.text import slugify

    return slugify(text)[:220] or "job"


def existing(count: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM jobs_jobposting WHERE source_name = %s", [SEED_SOURCE]
        )
        (found,) = cursor.fetchone()
    return found == count


def _secondary_indexes(cursor) -> list[tuple[str, str]]:
    cursor.execute(
        """SELECT i.indexname, i.indexdef FROM pg_indexes i
           WHERE i.tablename IN ('jobs_jobposting', 'jobs_listedcountry')
             AND i.indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid IN
                 ('jobs_jobposting'::regclass, 'jobs_listedcountry'::regclass))"""
    )
    return cursor.fetchall()


def generate(count: int, url: str, seed: int = 7) -> dict:
    rng = random.Random(seed)
    started = time.perf_counter()
    now = datetime.now(UTC)
    descriptions = _descriptions(rng)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, code, countries FROM locales_region")
        regions = {code: (pk, countries) for pk, code, countries in cursor.fetchall()}
        cursor.execute(
            "TRUNCATE jobs_jobposting, jobs_facetcount, jobs_listedcountry, companies_company, "
            "jobs_importrun, "
            "jobs_postingsource "
            "RESTART IDENTITY CASCADE"
        )
        indexes = _secondary_indexes(cursor)
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        try:
            copied = _load(cursor.cursor, count, url, seed, rng, descriptions, regions, now)
        finally:
            # Even when the load failed: a second run would find no index to drop, and so
            # build none, and time every page against a table without them.
            loaded = time.perf_counter()
            cursor.execute("SET maintenance_work_mem = '1GB'")
            for _name, definition in indexes:
                cursor.execute(definition)
        # As autovacuum would in time: statistics, and the visibility map index-only scans use.
        cursor.execute("VACUUM (ANALYZE) jobs_jobposting")
        cursor.execute("VACUUM (ANALYZE) companies_company")
        cursor.execute("ANALYZE jobs_facetcount")
        cursor.execute("VACUUM (ANALYZE) jobs_listedcountry")
        indexed = time.perf_counter()
    return {
        "postings": count,
        "companies": COMPANIES,
        "copy_seconds": round(loaded - copied, 1),
        "index_seconds": round(indexed - loaded, 1),
        "total_seconds": round(indexed - started, 1),
    }


def _other_columns() -> dict:
    """The columns of `jobs_jobposting` that COLUMNS leaves out, with their fields' defaults
    as COPY takes them (JSON as text); generated columns and the key are PostgreSQL's."""
    from django.db.models import GeneratedField, JSONField

    from jobs.models import JobPosting

    rest = {}
    for field in JobPosting._meta.concrete_fields:
        if field.primary_key or isinstance(field, GeneratedField) or field.column in COLUMNS:
            continue
        value = field.get_default()
        rest[field.column] = json.dumps(value) if isinstance(field, JSONField) else value
    return rest


def _load(raw, count, url, seed, rng, descriptions, regions, now) -> float:
    """COPY the companies, then the postings in a few processes; returns when the companies
    were done (perf_counter)."""
    with raw.copy(
        "COPY companies_company (name, slug, website, logo, description, country, verified,"
        " created_at, updated_at) FROM STDIN"
    ) as copy:
        for index in range(1, COMPANIES + 1):
            name = f"Company {index}"
            copy.write_row(
                (name, f"company-{index}", f"https://company-{index}.example", "",
                 "", rng.choice(COUNTRIES), index % 3 == 0, now, now)
            )  # fmt: skip
    copied = time.perf_counter()
    # A few processes, each with its own server backend: computing the search vectors
    # is most of the load's cost, and one backend uses one core.
    parts = min(WORKERS, max(1, count // 10_000))
    bounds = [count * part // parts for part in range(parts + 1)]
    with ProcessPoolExecutor(parts, mp_context=get_context("spawn")) as pool:
        jobs = [
            pool.submit(_copy_postings, url, bounds[part], bounds[part + 1], seed + part,
                        descriptions, regions, now, _other_columns())
            for part in range(parts)
        ]  # fmt: skip
        for job in jobs:
            job.result()
    return copied


def _copy_postings(url, start, stop, seed, descriptions, regions, now, rest) -> None:
    from bench.db import connect

    rng = random.Random(seed)
    languages = list(LANGUAGE_WEIGHTS)
    language_weights = list(LANGUAGE_WEIGHTS.values())
    statuses = list(STATUS_WEIGHTS)
    status_weights = list(STATUS_WEIGHTS.values())
    with connect(url) as connection:
        columns = ", ".join((*COLUMNS, *rest))
        with (
            connection.cursor() as raw,
            raw.copy(f"COPY jobs_jobposting ({columns}) FROM STDIN") as copy,
        ):
            for index in range(start, stop):
                language = rng.choices(languages, language_weights)[0]
                status = rng.choices(statuses, status_weights)[0]
                role = rng.choice(LEVELS) + rng.choice(ROLES[language])
                title = f"{role} ({index % 997})" if index % 5 == 0 else role
                description, html = rng.choice(descriptions[language])
                region_id = None
                roll = rng.random()
                workplace = "remote" if roll < 0.25 else ("hybrid" if roll < 0.55 else "onsite")
                if workplace == "remote" and rng.random() < 0.5:
                    code = rng.choice(REGION_CODES)
                    region_id, countries = regions[code]
                    location = f"Remote ({code})"
                else:
                    home = HOME_COUNTRIES[language]
                    first = rng.choice(home) if rng.random() < 0.8 else rng.choice(COUNTRIES)
                    countries = [first]
                    if rng.random() < 0.1:
                        countries = sorted({first, rng.choice(COUNTRIES)})
                    location = f"City {index % 300}, {first}"
                # Published postings spread over the last 60 days; the rest older.
                age = timedelta(seconds=rng.randint(0, 59 * 86400))
                published = expires = submitted = None
                if status in ("published", "expired", "archived"):
                    published = now - age
                    if status != "published":
                        published -= timedelta(days=60)
                    expires = published + timedelta(days=60)
                elif status == "pending":
                    submitted = now - age
                salary = rng.random() < 0.6
                low = rng.randrange(25_000, 120_000, 1000) if salary else None
                high = low + rng.randrange(0, 40_000, 1000) if salary else None
                copy.write_row(
                    (
                        title, _slug(title), rng.randint(1, COMPANIES), description, "markdown",
                        html, language, countries, location, region_id, workplace,
                        rng.choice(["full_time"] * 6 + ["part_time", "contract", "temporary",
                                                        "internship"]),
                        rng.choice(["", "junior", "mid", "senior", "lead"]),
                        rng.choice([None, 1, 2, 3, 5, 8]), "[]",
                        low, high, CURRENCIES[language] if salary else "",
                        "year" if salary else "",
                        f"https://company.example/apply/{index}", "", SEED_SOURCE, "",
                        f"seed-{index}", "", False, "", status, published, expires, submitted,
                        now if index % 500 == 0 and status == "published" else None,
                        now - age, now - age, PROVISIONS[index % 10], PROVISIONS[index % 7],
                        *rest.values(),
                    )
                )  # fmt: skip
