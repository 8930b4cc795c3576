"""Every deployable function, by name. Cloud Functions and the dev server load this file."""

import sys
from pathlib import Path

# Cloud Functions loads this file by path: make the bundle root (functions/ and shared/)
# importable. Nothing else happens at import time: no connection, no secret read.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from functions.health import health

__all__ = [
    "health",
]
