"""The shipped sample report: the published 2024 report of 株洲市芦淞区民政局, entered whole.

Its inconsistencies are kept on purpose: they are what the audit shows a new user.
"""

from __future__ import annotations

from perfdesk.domain.model import Report
from perfdesk.exchange import jsonfile
from perfdesk.resources import resource

SAMPLE_FILE = ("sample", "sample_report.json")


def sample_bytes() -> bytes:
    return resource(*SAMPLE_FILE).read_bytes()


def load_sample() -> Report:
    """A fresh copy of the sample report (no database ids)."""
    return jsonfile.loads(sample_bytes())
