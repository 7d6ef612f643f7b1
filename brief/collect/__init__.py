"""Collecting articles from sources: local files and feeds."""
