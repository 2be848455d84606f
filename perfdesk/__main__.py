"""``python -m perfdesk``: the same as the ``perfdesk`` command."""

from perfdesk.cli import main

raise SystemExit(main())
