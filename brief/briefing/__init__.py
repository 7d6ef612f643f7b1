"""The briefing: compose from articles, render as Markdown, write to disk."""
