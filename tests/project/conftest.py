"""Shared set-up for the project report tests: the shipped fonts and a build that returns bytes."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest

from perfdesk.domain.model import Report
from perfdesk.report import BuildInfo, FontSet, build_pdf, shipped_fonts
from tests.project.factory import project_report


@pytest.fixture(scope="session")
def fonts() -> FontSet:
    """The shipped fonts only, so that the output does not depend on the machine's fonts."""
    return shipped_fonts()


@pytest.fixture
def build(fonts: FontSet) -> Callable[[Report], tuple[bytes, BuildInfo]]:
    def _build(report: Report) -> tuple[bytes, BuildInfo]:
        out = io.BytesIO()
        info = build_pdf(report, out, fonts=fonts)
        return out.getvalue(), info

    return _build


@pytest.fixture
def report() -> Report:
    return project_report()
