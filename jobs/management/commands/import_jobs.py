"""python manage.py import_jobs SOURCE [--format F] [--company SLUG [--company-name NAME]]
[--language L] [--source-name NAME] [--publish] [--dry-run [--explain]] [--json]

The operator's door onto the same run service the Celery task uses; with ``--dry-run``, onto
the preview (``jobs.imports.preview``), which stores nothing.
"""

import json
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from companies.models import Company
from companies.services import company_get_or_create
from jobs.imports.base import FeedError
from jobs.imports.fetch import NetworkError, check_url, is_url
from jobs.imports.models import ImportRun, ProblemKind, RunStatus
from jobs.imports.normalise import language_code
from jobs.imports.preview import import_preview
from jobs.imports.reasons import reason_text
from jobs.imports.services import import_run_create, import_run_execute, import_run_fail
from jobs.imports.sniff import FORMATS

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Import job postings from a feed file or an http(s) URL."

    def add_arguments(self, parser):
        parser.add_argument("source", help="A file path or an http(s) URL.")
        parser.add_argument(
            "--format", default="auto", help=f"One of {', '.join(FORMATS)} (default auto)."
        )
        parser.add_argument(
            "--company",
            help="Slug of the company of every posting; created when no company has it.",
        )
        parser.add_argument(
            "--company-name", default="", help="Name of the company created (default: its slug)."
        )
        parser.add_argument(
            "--language", help="Language when neither the feed nor the text tells it."
        )
        parser.add_argument(
            "--source-name",
            help="Where the postings come from, shown as their origin and used to recognise "
            "them on the next run (default: the URL's host or the file's name).",
        )
        parser.add_argument(
            "--publish", action="store_true", help="Publish new postings without moderation."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Store nothing; print the facts each posting would get.",
        )
        parser.add_argument(
            "--explain", action="store_true", help="With --dry-run, say why each fact was chosen."
        )
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args, **options):
        fmt = options["format"]
        if options["company_name"] and not options["company"]:
            raise CommandError("--company-name names the company of --company SLUG: give both.")
        if options["explain"] and not options["dry_run"]:
            raise CommandError("--explain goes with --dry-run.")
        if fmt not in FORMATS:
            raise CommandError(reason_text("unknown_format", {"format": fmt}))
        language = ""
        if options["language"]:
            language = language_code(options["language"]) or ""
            if not language:
                raise CommandError(
                    reason_text("unsupported_language", {"language": options["language"]})
                )
        location = options["source"]
        if is_url(location):
            try:
                check_url(location)
            except FeedError as error:
                raise CommandError(reason_text(error.code, error.params)) from None
            default_name = (urlsplit(location).hostname or "").removeprefix("www.")
        else:
            path = Path(location)
            if not path.is_file():
                raise CommandError(reason_text("missing_file", {"path": location}))
            location = str(path.resolve())
            default_name = path.stem
        # Last, once every other input is known good: a refused command creates nothing.
        company = None
        if options["company"] and options["dry_run"]:
            # The run would create it if missing; the preview names it and stores nothing.
            company = Company.objects.filter(slug=options["company"]).first() or Company(
                slug=options["company"], name=options["company_name"] or options["company"]
            )
        elif options["company"]:
            try:
                company, created = company_get_or_create(
                    slug=options["company"], name=options["company_name"]
                )
            except ValidationError as error:
                raise CommandError(
                    f"Cannot create the company {options['company']!r}: "
                    + " ".join(error.messages)
                ) from None
            if created and not options["json"]:
                self.stdout.write(f"Created the company {company.name} ({company.slug}).")
        run_options = {
            "location": location,
            "source_name": options["source_name"] or default_name,
            "fmt": fmt,
            "company": company,
            "language": language,
            "publish": options["publish"],
        }
        if options["dry_run"]:
            self.preview(**run_options, explain=options["explain"], as_json=options["json"])
            return
        run = import_run_create(**run_options)
        progress = self.draw if self.stdout.isatty() and not options["json"] else None
        try:
            run = import_run_execute(run_id=run.pk, progress=progress)
        except NetworkError as error:
            run = import_run_fail(run_id=run.pk, code=error.code, params=error.params)
        if progress:
            self.stdout.write("")
        self.report(run, as_json=options["json"])
        if run.status in {RunStatus.FAILED, RunStatus.PARTIAL, RunStatus.SKIPPED}:
            raise CommandError(run.error)

    def draw(self, run: ImportRun) -> None:
        share = run.bytes_read / run.bytes_total if run.bytes_total else 0
        filled = round(BAR_WIDTH * share)
        self.stdout.write(
            f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {share:4.0%}  {run.processed} items",
            ending="",
        )
        self.stdout.flush()

    def report(self, run: ImportRun, *, as_json: bool) -> None:
        counts = run.counts()
        if not as_json:
            self.stdout.write(" ".join(f"{name}={value}" for name, value in counts.items()))
            return

        def listed(*kinds: str) -> list[dict]:
            return [
                {
                    "item": problem["item"],
                    "code": problem["code"],
                    "reason": reason_text(problem["code"], problem["params"]),
                }
                for problem in run.problems
                if problem["kind"] in kinds
            ]

        summary = {
            **counts,
            "merged": run.merged,
            "expired": run.expired,
            "status": run.status,
            "run": run.pk,
            "error": run.error,
            "skips": listed(ProblemKind.SKIPPED),
            "failures": listed(ProblemKind.FAILED),
            "notes": listed(ProblemKind.CLEANED, ProblemKind.FLAGGED),
        }
        self.stdout.write(json.dumps(summary, ensure_ascii=False))

    def preview(self, *, explain: bool, as_json: bool, **run) -> None:
        """The dry run: one block per posting as it comes, then the summary line."""
        counts = dict.fromkeys(("created", "updated", "unchanged", "skipped", "failed"), 0)
        counts["merged"] = 0
        postings: list[dict] = []
        try:
            for preview in import_preview(**run):
                counts[preview.outcome] += 1
                if as_json:
                    postings.append(preview_json(preview, explain=explain))
                else:
                    self.stdout.write(preview_text(preview, explain=explain))
        except FeedError as error:  # NetworkError included: nothing to retry in a preview
            raise CommandError(reason_text(error.code, error.params)) from None
        summary = {name: counts[name] for name in ("created", "updated", "unchanged",
                                                   "skipped", "failed")}  # fmt: skip
        if not as_json:
            self.stdout.write("Dry run: nothing was stored.")
            self.stdout.write(" ".join(f"{name}={value}" for name, value in summary.items()))
            return
        problems = [
            {**problem, "item": posting["item"]}
            for posting in postings
            for problem in posting["problems"]
        ]
        self.stdout.write(
            json.dumps(
                {
                    **summary,
                    "merged": counts["merged"],
                    "expired": 0,
                    "status": "dry_run",
                    "run": None,
                    "error": "",
                    "skips": [p for p in problems if p["kind"] == ProblemKind.SKIPPED],
                    "failures": [p for p in problems if p["kind"] == ProblemKind.FAILED],
                    "notes": [
                        p
                        for p in problems
                        if p["kind"] in {ProblemKind.CLEANED, ProblemKind.FLAGGED}
                    ],
                    "postings": postings,
                },
                ensure_ascii=False,
                default=str,
            )
        )


def _shown(value) -> str:
    if value in ("", None, []):
        return "—"
    return ",".join(value) if isinstance(value, list) else str(value)


def preview_text(preview, *, explain: bool) -> str:
    head = f"{preview.label} {preview.outcome}"
    if preview.status:
        head += f", {preview.status}"
    if preview.title:
        head += f": {preview.title}"
    if preview.company:
        head += f" — {preview.company}"
    lines = [head]
    if preview.facts and not explain:
        lines.append("    " + " ".join(f"{e.fact}={_shown(e.value)}" for e in preview.facts))
    for explained in preview.facts if explain else []:
        lines.append(f"    {explained.fact}: {_shown(explained.value)} ({explained.why})")
    for kind, code, params in preview.problems:
        lines.append(f"    {kind}: {code}: {reason_text(code, params)}")
    return "\n".join(lines)


def preview_json(preview, *, explain: bool) -> dict:
    entry = {
        "item": preview.label,
        "outcome": preview.outcome,
        "status": preview.status,
        "title": preview.title,
        "company": preview.company,
        "facts": {explained.fact: explained.value for explained in preview.facts},
        "problems": [
            {"kind": kind, "code": code, "reason": reason_text(code, params)}
            for kind, code, params in preview.problems
        ],
    }
    if explain:
        entry["why"] = {explained.fact: explained.why for explained in preview.facts}
    return entry
