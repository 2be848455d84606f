"""perfdesk: 部门（单位）整体支出绩效自评报告 — the headless core (never imports Qt).

Importing this package imports nothing else: ``perfdesk --version`` reads :data:`__version__`
from here without loading ``importlib.metadata`` (30 ms). It is the same as pyproject.toml's
``version`` (tests/test_cli_imports.py checks both and the installed metadata).
"""

__version__ = "0.1.0"
