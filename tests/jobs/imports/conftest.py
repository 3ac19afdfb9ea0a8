def pytest_terminal_summary(terminalreporter):
    """The corpus's accuracy per kind of fact (tests/jobs/imports/test_corpus.py), when it ran
    in this process."""
    from tests.jobs.imports.test_corpus import TALLY

    if not TALLY:
        return
    terminalreporter.section("import corpus: facts right per kind")
    right = checked = 0
    for kind, (good, total) in sorted(TALLY.items()):
        terminalreporter.write_line(f"{kind:<12} {good:>4} / {total:<4} {good / total:7.1%}")
        right += good
        checked += total
    terminalreporter.write_line(f"{'all':<12} {right:>4} / {checked:<4} {right / checked:7.1%}")
