"""Write a JSON-LD feed of N postings, for timing the importer: mostly in the five site
languages, with what real feeds carry besides (``FOREIGN_SHARE`` in languages the site does not
offer, skipped as ``unsupported_language``; ``SHORT_SHARE`` of a title and two lines, which
only the slower detector for short text decides, and which may be held as unsure).

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
# Languages real feeds carry that the site does not offer. Written for the bench, no posting's.
FOREIGN = {
    "pl": "Szukamy osoby, która zaprojektuje i będzie rozwijać usługi stojące za naszym "
    "produktem. Będziesz tworzyć interfejsy, dbać o niezawodność systemów i wspierać "
    "zespół w codziennej pracy.",
    "ja": "私たちの製品を支えるサービスを設計し、運用していただけるエンジニアを募集しています。"
    "APIの設計、システムの信頼性の向上、チームメンバーの育成をお任せします。",
    "it": "Cerchiamo una persona che progetti e gestisca i servizi alla base del nostro "
    "prodotto. Disegnerai le interfacce, renderai i sistemi più affidabili e aiuterai i "
    "colleghi a crescere.",
    "nl": "Wij zoeken iemand die de diensten achter ons product ontwerpt en beheert. Je "
    "ontwerpt koppelingen, maakt onze systemen betrouwbaarder en begeleidt je collega's.",
    "cs": "Hledáme kolegu nebo kolegyni, kteří navrhnou a budou provozovat služby našeho "
    "produktu. Budete navrhovat rozhraní, zlepšovat spolehlivost systémů a pomáhat týmu.",
    "sv": "Vi söker en person som utformar och driver tjänsterna bakom vår produkt. Du bygger "
    "gränssnitt, gör systemen mer pålitliga och stöttar dina kollegor.",
}
# A title and two lines, as small boards and agencies post them; and, as often, lines that are
# mostly tool names, whose language no detector can be sure of (held for a moderator).
MUDDLED = [
    ("es", ("Desarrollador Full Stack", "Stack: React, Node.js, TypeScript, AWS.",
            "Remoto LATAM, contrato PJ o freelance.")),
    ("pt-br", ("Dev Backend Sênior", "Stack: Go, Kafka, Kubernetes, Terraform, GCP.",
               "Remoto, PJ, início imediato.")),
]  # fmt: skip
MUDDLED_SHARE = 0.2
SHORT = {
    "en": ("Warehouse Assistant", "Early shifts in our depot near the ring road.",
           "Send us your CV and start next week."),
    "fr": ("Vendeur en boulangerie", "Poste du matin dans notre boutique du centre-ville.",
           "Envoyez votre candidature, nous répondons vite."),
    "de": ("Aushilfe im Lager", "Frühschicht in unserem Lager am Stadtrand.",
           "Schick uns deinen Lebenslauf, Start ist nächste Woche."),
    "es": ("Ayudante de cocina", "Turno de tarde en nuestro restaurante del centro.",
           "Mándanos tu currículum y empieza pronto."),
    "pt-br": ("Auxiliar de estoque", "Turno da manhã no nosso depósito perto do centro.",
              "Mande seu currículo e comece já na próxima semana."),
    "pl": ("Pomocnik magazynowy", "Poranna zmiana w naszym magazynie przy obwodnicy.",
           "Wyślij nam swoje CV i zacznij w przyszłym tygodniu."),
    "it": ("Aiuto cuoco", "Turno serale nel nostro ristorante in centro.",
           "Mandaci il tuo curriculum e inizia subito."),
}  # fmt: skip
FOREIGN_SHARE = 0.08
SHORT_SHARE = 0.10
# Part of the cached feed's name (bench/run.py): a feed written by older rules is not reused.
VERSION = 2
TITLE = "Backend Engineer"
# Recent whatever the day: a posting dated long ago is held for moderation as stale.
POSTED = (datetime.now(UTC) - timedelta(days=5)).date().isoformat()
PLACES = ["Berlin, Germany", "Remote - Latin America", "Paris, France", "EMEA", "Madrid, España"]


def posting(index: int, rng: random.Random) -> dict:
    foreign = rng.random() < FOREIGN_SHARE
    short = rng.random() < SHORT_SHARE
    language = rng.choice(list(FOREIGN if foreign else BODIES))
    if short and not foreign and rng.random() < MUDDLED_SHARE:
        language, (title, first, second) = rng.choice(MUDDLED)
        title, description = f"{title} {index}", f"<p>{first}</p><p>{second}</p>"
    elif short and language in SHORT:
        title, first, second = SHORT[language]
        title, description = f"{title} {index}", f"<p>{first}</p><p>{second}</p>"
    else:
        body = FOREIGN.get(language) or BODIES[language]
        title = f"{TITLE} {index}"
        description = f"<p>{body}</p><ul><li>Req {index}: 3+ years of experience</li></ul>"
    return {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "identifier": f"bench-{index}",
        "url": f"https://jobs.example/bench-{index}",
        "title": title,
        "description": description,
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
