"""Apply a config change to the user's TOML text in place (tomlkit), keeping comments and order."""

from __future__ import annotations

from typing import Any, TypeGuard

import tomlkit
from tomlkit.items import AoT, Comment, Item, Table, Whitespace

# Items of a list of tables (``[[feeds]]``) are told apart by this key ...
_ITEM_KEY = "url"
# ... or, for these lists, by the key named here.
_ITEM_KEYS = {"briefings": "name", "sections": "name", "folders": "path"}


def _item_key(key: str) -> str:
    return _ITEM_KEYS.get(key, _ITEM_KEY)


def merge_text(
    text: str,
    disk: dict[str, Any],
    old: dict[str, Any],
    new: dict[str, Any],
    item_defaults: dict[str, dict[str, Any]] | None = None,
) -> str:
    """``text`` with the change from ``old`` to ``new`` applied, everything else as written.

    ``disk`` is what ``text`` means (defaults filled in), so a key that is
    missing from the file but already has the wanted value is not added.
    Only keys that differ between ``old`` and ``new`` are touched, so an edit
    the user made to the file after ``old`` was read survives.
    ``item_defaults`` names, per list of tables, the values new items need not
    spell out.
    """
    doc = tomlkit.parse(text)
    _merge(doc, disk, old, new, item_defaults or {})
    return tomlkit.dumps(doc)


def has_changes(result: dict[str, Any], old: dict[str, Any], new: dict[str, Any]) -> bool:
    """Whether each non-list value changed from ``old`` to ``new`` is as wanted in ``result``."""
    for key, wanted in new.items():
        before = old.get(key)
        if before == wanted:
            continue
        got = result.get(key)
        if isinstance(wanted, dict) and isinstance(got, dict):
            if not has_changes(got, before if isinstance(before, dict) else {}, wanted):
                return False
        elif not isinstance(wanted, list) and got != wanted:
            return False
    return True


def _merge(
    table: Any,
    disk: dict[str, Any],
    old: dict[str, Any],
    new: dict[str, Any],
    item_defaults: dict[str, dict[str, Any]],
) -> None:
    """Apply ``old`` → ``new`` to one tomlkit container (document or table)."""
    for key in [k for k in old if k not in new]:
        if key in table:
            del table[key]
    for key, wanted in new.items():
        before = old.get(key)
        if before == wanted:
            continue  # this save did not change it: what the file says stays
        now = disk.get(key)
        if isinstance(wanted, dict) and isinstance(now, dict):
            if key not in table:
                table[key] = tomlkit.table()
            _merge(table[key], now, before if isinstance(before, dict) else {}, wanted, {})
        elif (
            _is_table_list(wanted, _item_key(key))
            and _is_table_list(now, _item_key(key))
            and _is_table_list(before, _item_key(key))
        ):
            _merge_items(table, key, now, before, wanted, item_defaults.get(key, {}))
        elif isinstance(wanted, list) and isinstance(now, list) and isinstance(before, list):
            merged = _merge_scalars(now, before, wanted)
            if merged != now:
                _set(table, key, merged)
        elif now != wanted:
            _set(table, key, wanted)


def _is_table_list(value: Any, item_key: str) -> TypeGuard[list[dict[str, Any]]]:
    """A list whose items are all tables carrying the item key (an empty list counts)."""
    return isinstance(value, list) and all(
        isinstance(item, dict) and item_key in item for item in value
    )


def _merge_scalars(now: list[Any], old: list[Any], new: list[Any]) -> list[Any]:
    """The file's list minus what this save removed, plus what it added."""
    if now == old:
        return list(new)  # nobody else changed it: the new order is meant too
    kept = [item for item in now if item in new or item not in old]
    return kept + [item for item in new if item not in old and item not in kept]


def _merge_items(
    table: Any,
    key: str,
    now: list[dict[str, Any]],
    old: list[dict[str, Any]],
    new: list[dict[str, Any]],
    defaults: dict[str, Any],
) -> None:
    """Remove, change and append items of a list of tables, matched by their item key."""
    item_key = _item_key(key)
    old_by = {item[item_key]: item for item in old}
    new_by = {item[item_key]: item for item in new}
    now_by = {item[item_key]: item for item in now}
    items = table.get(key)
    if items is None:
        items = tomlkit.aot()
        table[key] = items
    for index in reversed(range(len(items))):
        name = _plain(items[index]).get(item_key)
        if name in old_by and name not in new_by:
            if index > 0 and isinstance(items[index], Table):
                _keep_trailing_comments(items[index], items[index - 1])
            del items[index]
        elif name in new_by and old_by.get(name) != new_by[name] and name in now_by:
            _merge(items[index], now_by[name], old_by.get(name, {}), new_by[name], {})
    for name, item in new_by.items():
        if name not in old_by and name not in now_by:
            spelled = {k: v for k, v in item.items() if k == item_key or defaults.get(k) != v}
            if isinstance(items, AoT):
                added = tomlkit.table()
                added.update(spelled)
                added.add(tomlkit.nl())  # a blank line before whatever follows, as written by hand
                items.append(added)
            else:
                inline = tomlkit.inline_table()
                inline.update(spelled)
                items.append(inline)
    if len(items) == 0:
        del table[key]


def _keep_trailing_comments(removed: Table, before: Table) -> None:
    """Move the comments after a removed table's last key to the table before it.

    tomlkit files a comment that introduces the next table (``# wire services
    below``) under the table above it; removing that table must not take it.
    """
    body = removed.value.body
    tail: list[Comment | Whitespace] = []
    for key, item in reversed(body):
        if key is not None or not isinstance(item, Comment | Whitespace):
            break
        tail.insert(0, item)
    if any(isinstance(item, Comment) for item in tail):
        for item in tail:
            before.add(item)


def _plain(value: Any) -> dict[str, Any]:
    """A tomlkit table as a plain dict."""
    plain = value.unwrap() if isinstance(value, Item) else value
    return dict(plain)


def _set(table: Any, key: str, value: Any) -> None:
    """Set ``key`` to ``value``, keeping the comment written after the old value."""
    previous = table.get(key) if key in table else None
    replacement = tomlkit.item(value)
    if isinstance(previous, Item) and not isinstance(previous, Table) and previous.trivia.comment:
        replacement.trivia.comment_ws = previous.trivia.comment_ws
        replacement.trivia.comment = previous.trivia.comment
    table[key] = replacement
