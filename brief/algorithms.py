"""The names of brief's summarizers: the one list config, the CLI and the registry share.

It sits at the bottom of the house beside ``errors`` and ``paths`` (it imports nothing), so
config can validate a name without importing ``text/summarize.py``, which imports config.
"""

from __future__ import annotations

# brief's own rankers first, then sumy's algorithms (text/summarize.py runs each of them).
SUMMARY_ALGORITHMS: tuple[str, ...] = (
    "news",
    "lead",
    "lexrank",
    "lsa",
    "luhn",
    "textrank",
    "edmundson",
    "kl",
    "sumbasic",
    "reduction",
)
