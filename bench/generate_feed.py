"""Write a JSON-LD feed of N postings in the five languages, for timing the importer.

.venv/bin/python bench/generate_feed.py 10000 /tmp/feed.json
DJANGO_DEBUG=1 .venv/bin/python manage.py import_jobs /tmp/feed.json --source-name bench
"""

import json
import random
import sys
from datetime import UTC, datetime, timedelta

BODIES = {
    "en": "We are looking for an engineer to build and run the services behind our product. "
    "You will design APIs, improve reliability and mentor colleagues.",
    "fr": "Nous recherchons une personne pour concevoir et faire évoluer les services de "
    "notre produit. Vous améliorerez la fiabilité et accompagnerez l'équipe.",
    "de": "Wir suchen eine Person, die die Dienste hinter unserem Produkt entwickelt und "
    "betreibt. Du gestaltest Schnittstellen und unterstützt dein Team.",
    "es": "Buscamos una persona para diseñar y mantener los servicios de nuestro producto. "
    "Mejorarás la fiabilidad de los sistemas y acompañarás al equipo.",
    "pt-br": "Procuramos uma pessoa para desenvolver e manter os serviços do nosso produto. "
    "Você vai melhorar a confiabilidade dos sistemas e apoiar o time.",
}
TITLE = "Backend Engineer"
# Recent whatever the day: a posting dated long ago is held for moderation as stale.
POSTED = (datetime.now(UTC) - timedelta(days=5)).date().isoformat()
PLACES = ["Berlin, Germany", "Remote - Latin America", "Paris, France", "EMEA", "Madrid, España"]


def posting(index: int, rng: random.Random) -> dict:
    language = rng.choice(list(BODIES))
    return {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "identifier": f"bench-{index}",
        "url": f"https://jobs.example/bench-{index}",
        "title": f"{TITLE} {index}",
        "description": f"<p>{BODIES[language]}</p><ul><li>Req {index}: 3+ years of "
        f"experience</li></ul>",
        "inLanguage": language,
        "datePosted": POSTED,
        "employmentType": "FULL_TIME",
        "hiringOrganization": {"@type": "Organization", "name": f"Company {index % 50}"},
        "jobLocation": rng.choice(PLACES),
        "baseSalary": {
            "@type": "MonetaryAmount",
            "currency": "EUR",
            "value": {"minValue": 50000 + index % 1000, "maxValue": 70000, "unitText": "YEAR"},
        },
    }


def write(count: int, path: str, seed: int = 1) -> None:
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as out:
        out.write("[")
        for index in range(count):
            out.write(("," if index else "") + json.dumps(posting(index, rng), ensure_ascii=False))
        out.write("]")


if __name__ == "__main__":
    if len(sys.argv) > 3:
        TITLE = sys.argv[3]
    write(int(sys.argv[1]), sys.argv[2])
