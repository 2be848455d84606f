"""Console entry of the frozen bundle: ``perfdesk-cli`` is exactly the ``perfdesk`` command.

Used for ``pdf``, ``audit``, ``backup`` and the other subcommands from a terminal or a script;
errors are already one Chinese line on stderr (see ``perfdesk.cli``).
"""

import sys

from perfdesk.cli import main

if __name__ == "__main__":
    sys.exit(main())
