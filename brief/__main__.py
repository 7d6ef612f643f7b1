"""Entry point for ``python -m brief``."""

from __future__ import annotations

import sys

from brief.cli import main

if __name__ == "__main__":
    sys.exit(main())
