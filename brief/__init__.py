"""brief: a terminal briefing generator for feeds and local articles."""

from brief import native as _native

__version__ = "0.1.0"

# The compiled analysis (brief/native), used when this environment has a build of these sources.
_native.install()
