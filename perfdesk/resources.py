"""Where the shipped files are: templates, the sample report, fonts.

They live in the repository's ``resources/`` folder. Run from a checkout (or an editable install)
that folder is used directly; installed from a wheel or frozen by PyInstaller it is the package
``perfdesk_resources`` (see pyproject.toml and packaging/perfdesk.spec).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

_CHECKOUT = Path(__file__).resolve().parent.parent / "resources"


@cache
def _root() -> Traversable:
    if (_CHECKOUT / "templates").is_dir():
        return _CHECKOUT
    return resources.files("perfdesk_resources")


def resource(*parts: str) -> Traversable:
    """A shipped file, e.g. ``resource("sample", "sample_report.json")``."""
    node = _root()
    for part in parts:
        node = node / part
    return node


@cache
def load_json(*parts: str) -> Any:
    """A shipped JSON file, parsed once per process."""
    return json.loads(resource(*parts).read_text(encoding="utf-8"))
