"""Word classes and token patterns the detector reads cues by (lists in data/cue_words.json)."""

from __future__ import annotations

import json
import re
from importlib import resources


def _load() -> dict[str, frozenset[str]]:
    """Every word class of ``data/cue_words.json``, as sets."""
    path = resources.files("brief.actors").joinpath("data", "cue_words.json")
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {
        key: frozenset(value["words"].split("|" if "|" in value["words"] else None))
        for key, value in raw.items()
        if key != "_about"
    }


_CLASSES = _load()

_OPENING_QUOTES = frozenset("“‘«„\"'")
_PARTICLES = _CLASSES["particles"]
_DETERMINERS = _CLASSES["determiners"]
_BACKING_SUFFIXES = _CLASSES["backing_suffixes"]
_LOWER_PREFIXES = _CLASSES["lower_prefixes"]
_MODIFIERS = _CLASSES["modifiers"]
_TITLE_MODIFIERS = _CLASSES["title_modifiers"]
_ADDRESS_FORMS = _CLASSES["address_forms"]
_NAME_SUFFIXES = _CLASSES["name_suffixes"]
_SPEECH_AFTER = _CLASSES["speech_after"]
_LISTENING = _CLASSES["listening"]
_GROUPS = _CLASSES["groups"]
_OF_HEADS = _CLASSES["of_heads"]
_PRODUCT_WORDS = _CLASSES["product_words"]
_TECHNOLOGIES = _CLASSES["technologies"]
_HISTORY_CUES = _CLASSES["history_cues"]
_INITIALS_RE = re.compile(r"(?:[A-Z]\.)+")
_INITIAL_RE = re.compile(r"[A-Z]\.")
_NUMERAL_RE = re.compile(r"[IVX]+|\d+")  # "World War II", "Formula 1"
_AGE_RE = re.compile(r"\d{1,3}")
_AGE_PREFIX_RE = re.compile(r"^(?:\d+\s*-\s*)?[\w-]*year-old\s+")
_NUMBER_MODIFIER_RE = re.compile(r"\d+(?:-year-old)?|[\w-]+-(?:year-old|time|based)")
_ACRONYM_RE = re.compile(r"[A-Z][A-Z0-9&]{2,6}")
