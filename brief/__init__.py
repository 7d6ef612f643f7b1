"""brief: a terminal briefing generator for feeds and local articles."""

__version__ = "0.1.0"
