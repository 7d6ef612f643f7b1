"""Text analysis: offline sentence splitting, tokenizing and extractive summaries."""
