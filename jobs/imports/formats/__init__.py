"""The parse stage: one module per feed format, each a ``Parser`` (``jobs.imports.base``)
turning a binary stream into ``Record``s and ``ItemProblem``s, with no database and no
network. ``PARSERS`` names them all; ``jobs.imports.sniff`` chooses one for a document."""

from jobs.imports.base import Parser
from jobs.imports.formats.arbeitnow import ArbeitnowParser
from jobs.imports.formats.ashby import AshbyParser
from jobs.imports.formats.greenhouse import GreenhouseParser
from jobs.imports.formats.himalayas import HimalayasParser
from jobs.imports.formats.indeed import IndeedParser
from jobs.imports.formats.jobicy import JobicyParser
from jobs.imports.formats.jsonld import JsonLdParser
from jobs.imports.formats.lever import LeverParser
from jobs.imports.formats.personio import PersonioParser
from jobs.imports.formats.recruitee import RecruiteeParser
from jobs.imports.formats.remoteok import RemoteOkParser
from jobs.imports.formats.remotive import RemotiveParser
from jobs.imports.formats.rss import FeedParser
from jobs.imports.formats.smartrecruiters import SmartRecruitersParser
from jobs.imports.formats.teamtailor import TeamtailorParser
from jobs.imports.formats.workable import WorkableParser

PARSERS: dict[str, type[Parser]] = {
    parser.format: parser
    for parser in (
        JsonLdParser,
        GreenhouseParser,
        LeverParser,
        AshbyParser,
        WorkableParser,
        PersonioParser,
        FeedParser,
        IndeedParser,
        SmartRecruitersParser,
        RecruiteeParser,
        TeamtailorParser,
        ArbeitnowParser,
        RemoteOkParser,
        RemotiveParser,
        JobicyParser,
        HimalayasParser,
    )
}
