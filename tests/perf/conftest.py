"""``make perf``: print every benchmark's rows as one table at the end of the run."""
from tests.perf import report


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    text = report.table()
    if text:
        terminalreporter.write_sep("=", "make perf: all figures")
        terminalreporter.write_line(text)
