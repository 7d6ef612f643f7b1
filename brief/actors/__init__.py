"""Actors in the news: detection, quotes, and per-actor briefs."""
