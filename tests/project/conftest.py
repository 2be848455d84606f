"""Shared set-up for the project report tests: the printout's fixtures and the filled report."""

from __future__ import annotations

import pytest

from perfdesk.domain.model import Report
from tests.project.factory import project_report
from tests.report.conftest import build, fonts  # noqa: F401 - fixtures shared with tests/report


@pytest.fixture
def report() -> Report:
    return project_report()
