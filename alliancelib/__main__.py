"""``python -m alliancelib`` runs the ``alliance`` command."""

import sys

from alliancelib.cli import main

if __name__ == "__main__":
    sys.exit(main())
