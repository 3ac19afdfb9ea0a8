"""Time ``normalise`` alone on the bench feed's postings, and the process's peak memory.

The import's share of a new posting's time that language detection and the other facts take,
measured apart from the database: run it before and after a change to the rules.

    DJANGO_DEBUG=1 .venv/bin/python bench/normalise_speed.py [COUNT]
    DJANGO_DEBUG=1 .venv/bin/python bench/normalise_speed.py FEED.json [COUNT]

With a feed (bench/generate_feed.py writes the one ``make bench`` imports), its first COUNT
postings as the importer's parser reads them: how much the feed's mix of languages and short
texts costs the import, where the database's share does not depend on it.

It prints one JSON object: postings per second of CPU time and microseconds of CPU per posting
(median of five rounds; CPU time, so that other processes on the machine weigh less), and the
peak RSS in MB (the detectors' models included).
"""

import json
import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from bench.generate_feed import BODIES, PLACES  # noqa: E402
from jobs.imports.base import Record  # noqa: E402
from jobs.imports.normalise import Defaults, Skip, normalise  # noqa: E402

# Two languages the site does not offer, as a real feed mixes in: these must be told apart
# (and skipped) at the same speed.
OTHERS = {
    "pl": "Szukamy osoby, która będzie rozwijać i utrzymywać usługi naszego produktu. "
    "Zadbasz o niezawodność systemów i wesprzesz zespół.",
    "ja": "私たちは製品を支えるサービスを設計し運用するエンジニアを募集しています。"
    "信頼性の向上とチームの支援をお願いします。",
}


def records(count: int) -> list[Record]:
    rng = random.Random(1)
    bodies = {**BODIES, **OTHERS}
    languages = [*BODIES] * 9 + [*OTHERS]  # about one posting in twenty-three is foreign
    out = []
    for index in range(count):
        language = rng.choice(languages)
        body = bodies[language]
        if index % 40 == 0:
            # A few thin texts, as feeds have: these go to the slower detector for short text.
            body = body.split(". ")[0][:60]
        out.append(
            Record(
                external_id=f"bench-{index}",
                url=f"https://jobs.example/bench-{index}",
                title=f"Backend Engineer {index}",
                description=f"<p>{body}</p><ul><li>Req {index}: 3+ years of "
                "experience</li></ul><p>Salary: €50,000 to €70,000 per year.</p>",
                company_name=f"Company {index % 50}",
                language=language,
                locations=[rng.choice(PLACES)],
                employment_type=["FULL_TIME"],
            )
        )
    return out


def feed_records(path: str, count: int) -> list[Record]:
    from itertools import islice

    from jobs.imports.sniff import parser_for

    with open(path, "rb") as stream:
        parsed = parser_for("auto", stream).parse(stream)
        return [entry for entry in islice(parsed, count) if isinstance(entry, Record)]


def main(count: int, feed: str = "") -> dict:
    batch = feed_records(feed, count) if feed else records(count)
    count = len(batch)
    defaults = Defaults(source_name="bench")
    rounds = []
    skipped = 0
    for _round in range(5):
        skipped = 0
        started = time.process_time()
        for record in batch:
            try:
                normalise(record, defaults)
            except Skip:
                skipped += 1
        rounds.append(time.process_time() - started)
    seconds = statistics.median(rounds)
    return {
        "postings": count,
        "skipped": skipped,
        "postings_per_second": round(count / seconds),
        "microseconds_per_posting": round(seconds / count * 1e6, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


if __name__ == "__main__":
    arguments = sys.argv[1:]
    feed = arguments.pop(0) if arguments and arguments[0].endswith(".json") else ""
    print(json.dumps(main(int(arguments[0]) if arguments else 2000, feed)))
