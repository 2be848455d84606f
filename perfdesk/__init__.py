"""perfdesk: 部门（单位）整体支出绩效自评报告 — the headless core (never imports Qt)."""

from importlib import metadata

try:
    __version__ = metadata.version("perfdesk")
except metadata.PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.0.0+source"
