"""brief's Textual interface (the only package that may import Textual)."""
