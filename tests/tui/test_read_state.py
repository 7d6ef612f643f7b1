"""Read state as a newsboat user expects it: kept in the store, marked on opening, n/p/A/C/N/u."""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from brief.config import Config, SourcesConfig
from brief.store import SCHEMA_VERSION, open_store
from brief.tui.app import BriefApp
from brief.tui.state import next_source_with_unread, next_unread, skipped_note
from brief.tui.widgets.article_list import ArticleList
from brief.tui.widgets.reader import Reader
from tests.tui.conftest import WIRE, screen_text, settle

AT = datetime(2026, 11, 28, 8, 0, tzinfo=UTC)


@pytest.fixture
def two_sources(config: Config, tmp_path: Path) -> BriefApp:
    """An app over two local folders: the Coastal Wire pair and the rail story."""
    folders = []
    for name, files in (
        ("coast", ("flood-warning.md", "harbour-strike.md")),
        ("rail", ("rail-budget.md",)),
    ):
        folder = tmp_path / name
        folder.mkdir()
        for file in files:
            shutil.copy(WIRE / file, folder / file)
        folders.append(str(folder))
    return BriefApp(config=dataclasses.replace(config, sources=SourcesConfig(local=tuple(folders))))


def test_next_unread_skips_read_ids_and_stops_at_the_ends() -> None:
    ids = ["a", "b", "c", "d"]
    assert next_unread(ids, 0, {"b"}) == 2
    assert next_unread(ids, 3, set()) is None
    assert next_unread(ids, 3, {"c"}, step=-1) == 1
    assert next_unread(ids, -1, set()) == 0  # from "before the first"


def test_next_source_with_unread_wraps_and_skips_empty_sources() -> None:
    order = ["s1", "s2", "s3"]
    unread = Counter({"s1": 2, "s3": 1})
    assert next_source_with_unread(order, "s1", unread) == "s3"
    assert next_source_with_unread(order, "s3", unread) == "s1"  # round the end
    assert next_source_with_unread(order, "s1", unread, step=-1) == "s3"
    assert next_source_with_unread(order, "s1", Counter({"s1": 1})) is None


def test_skipped_note_says_why_in_one_line() -> None:
    assert skipped_note([]) == ""
    assert skipped_note([("Wire", "gone")]) == " · Wire not fetched (gone)"
    note = skipped_note([("A", "fetched less than 15 min ago")] * 2 + [("B", "gone")])
    assert note == " · 3 feeds not fetched (fetched less than 15 min ago; 1 other reason)"


def test_the_store_keeps_read_marks_in_a_table(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    with open_store(path) as store:
        assert store.schema_version() == SCHEMA_VERSION
        store.set_read(["x", "y"], True, at=AT)
        store.set_read(["y"], False, at=AT)
    with open_store(path) as store:
        assert store.read_among(["x", "y", "z"]) == {"x"}
        many = [f"id{i}" for i in range(1200)]  # more than one query's worth of parameters
        store.set_read(many, True, at=AT)
        assert store.read_among(many) == set(many)


@pytest.mark.asyncio
async def test_moving_the_cursor_leaves_articles_unread_and_enter_marks_one(
    app: BriefApp, config: Config
) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        articles = app.screen.query_one(ArticleList)
        assert articles.row_count == 3
        await pilot.press("j", "j", "k", "shift+tab", "j", "k", "tab")  # list and sources
        await settle(pilot)
        assert app.desk.read == set()
        assert screen_text(app).count("●") == 3
        await pilot.press("enter")
        opened = articles.highlighted_id
        assert isinstance(app.focused, Reader)
        assert app.desk.read == {opened}
    with open_store(config.store_path()) as store:  # saved on the way out
        assert store.read_among(articles.article_ids) == {opened}


@pytest.mark.asyncio
async def test_read_state_survives_a_restart_and_read_json_is_imported_once(
    config: Config,
) -> None:
    first = BriefApp(config=config)
    async with first.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        ids = first.screen.query_one(ArticleList).article_ids
    old = config.store_path().with_name("read.json")
    old.write_text(json.dumps([ids[2], "gone-long-ago"]), encoding="utf-8")
    second = BriefApp(config=config)
    async with second.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert second.desk.read == {ids[2]}
        await pilot.press("enter")
        await settle(pilot)
    assert not old.exists() and old.with_name("read.json.imported").exists()
    old.with_name("read.json.imported").unlink()
    third = BriefApp(config=config)
    async with third.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert third.desk.read == {ids[0], ids[2]}


@pytest.mark.asyncio
async def test_n_and_p_jump_between_unread_articles_across_sources(two_sources: BriefApp) -> None:
    app = two_sources
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        articles = app.screen.query_one(ArticleList)
        ids = articles.article_ids
        await pilot.press("N", "n")  # the first read; n skips nothing unread after it
        assert articles.highlighted_id == ids[1]
        await pilot.press("N", "n")
        assert articles.highlighted_id == ids[2]
        await pilot.press("p")  # back over the read one? no: there is none unread before
        assert articles.highlighted_id == ids[2]
        assert "No more unread" in app.status
        # Within one source: at its end n goes on to the next source with unread news.
        await pilot.press("k", "k", "N", "N")  # all unread again
        await pilot.press("shift+tab", "j", "tab")  # the first source only
        first_source = app.desk.article(articles.article_ids[0]).source_id  # type: ignore[union-attr]
        assert all(app.desk.article(i).source_id == first_source for i in articles.article_ids)  # type: ignore[union-attr]
        for _ in range(articles.row_count):
            await pilot.press("n")
        assert app.desk.article(articles.highlighted_id).source_id != first_source  # type: ignore[arg-type,union-attr]


@pytest.mark.asyncio
async def test_a_marks_the_source_c_marks_everything_and_u_undoes(two_sources: BriefApp) -> None:
    app = two_sources
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        articles = app.screen.query_one(ArticleList)
        source = app.desk.article(articles.highlighted_id).source_id  # type: ignore[arg-type,union-attr]
        same = {a.id for a in app.desk.articles if a.source_id == source}
        await pilot.press("A")
        assert app.desk.read == same and "U undoes" in app.status
        await pilot.press("C")
        assert app.desk.read == set(articles.article_ids)
        assert "●" not in screen_text(app)
        await pilot.press("U")  # undoes the last mark (C): the first source stays read
        assert app.desk.read == same
        await pilot.press("U")
        assert "Nothing to undo" in app.status


@pytest.mark.asyncio
async def test_u_shows_only_unread_articles(app: BriefApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        articles = app.screen.query_one(ArticleList)
        first = articles.highlighted_id
        await pilot.press("N", "u")
        assert articles.row_count == 2 and first not in articles.article_ids
        await pilot.press("u")
        assert articles.row_count == 3


@pytest.mark.asyncio
async def test_keys_from_the_config_rebind_actions(config: Config) -> None:
    from brief.config import KeysConfig

    keys = KeysConfig(toggle_read="m", next_unread="J")
    app = BriefApp(config=dataclasses.replace(config, keys=keys))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        articles = app.screen.query_one(ArticleList)
        first = articles.highlighted_id
        await pilot.press("N")  # the old key does nothing now
        assert app.desk.read == set()
        await pilot.press("m", "J")
        assert app.desk.read == {first}
        assert articles.highlighted_id == articles.article_ids[1]
