import json

import pytest


def _tally():
    from tests.jobs.imports.test_corpus import TALLY

    return TALLY


def pytest_sessionfinish(session):
    # Under xdist each worker ran part of the corpus: it hands its tally to the controller.
    if hasattr(session.config, "workeroutput"):
        session.config.workeroutput["corpus_tally"] = json.dumps(_tally())


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    tally = _tally()
    for kind, (good, total) in json.loads(node.workeroutput.get("corpus_tally", "{}")).items():
        counts = tally.setdefault(kind, [0, 0])
        counts[0] += good
        counts[1] += total


def pytest_terminal_summary(terminalreporter):
    """The corpus's accuracy per kind of fact (tests/jobs/imports/test_corpus.py)."""
    tally = _tally()
    if not tally:
        return
    terminalreporter.section("import corpus: facts right per kind")
    right = checked = 0
    for kind, (good, total) in sorted(tally.items()):
        terminalreporter.write_line(f"{kind:<12} {good:>4} / {total:<4} {good / total:7.1%}")
        right += good
        checked += total
    terminalreporter.write_line(f"{'all':<12} {right:>4} / {checked:<4} {right / checked:7.1%}")
