"""Time ``normalise`` alone on the bench feed's postings, and the process's peak memory.

The import's share of a new posting's time that language detection and the other facts take,
measured apart from the database: run it before and after a change to the rules.

    DJANGO_DEBUG=1 .venv/bin/python bench/normalise_speed.py [COUNT]

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


def main(count: int) -> dict:
    batch = records(count)
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
    print(json.dumps(main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)))
