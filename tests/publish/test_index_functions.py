"""The search-index triggers of m103 (muni_folded/muni_exact, registered by ArchiveDB) index
exactly what the builtin replace() chains of m100/m102 indexed, and a connection without the
functions cannot write half a row."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from archive.db import ArchiveDB, ArticleRecord
from archive.schema import migrations
from archive.schema_search import register_index_functions

TEXTS = [
    ("Đảng ủy phường Tây Sơn", "Hội nghị tổng kết công tác xây dựng Đảng năm 2023. Hoà hòa "
     "ẤẦẨẪẬ ấầẩẫậ Ư Ơ ươ Ỳ ỷ ỹ ỵ ý Ă ă Â â Ê ề Ô ộ Bürger đường Đông."),
    ("UBND phường ra quân vệ sinh môi trường", "Sáng 12/3, các tổ dân phố ra quân."),
    (None, "Bài không có tiêu đề, chỉ có nội dung: thuý, thúy, khoẻ, khỏe."),
]
SITE = {"id": "probe", "name": "Phường Đông Thành", "ward": "Phường Đông Thành",
        "city": "Thành phố Huế", "province": None}


def _record(number: int, title: str | None, body: str) -> ArticleRecord:
    url = f"http://probe.invalid/{number}"
    return ArticleRecord(url=url, site="probe", fetched_url=url, title=title, body=body)


def _write_and_change(archive: ArchiveDB) -> None:
    archive.upsert_site(dict(SITE))
    for number, (title, body) in enumerate(TEXTS, start=1):
        archive.store_article(_record(number, title, body))
    # An update re-indexes (the old entries are forgotten by their exact values), a delete
    # forgets: both go through the triggers' 'delete' rows.
    archive.store_article(_record(2, "Đảng bộ phường đổi tiêu đề", TEXTS[1][1]))
    archive.db.execute("update sites set name = 'Phường Đồng Xuân' where id = 'probe'")
    archive.db.execute("pragma foreign_keys = off")
    archive.db.execute("delete from articles where url = 'http://probe.invalid/3'")


def _index_contents(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every (term, row, column, offset) of each search index: equal contents, equal results."""
    conn = sqlite3.connect(path)
    try:
        contents = {}
        for index in ("articles_search", "articles_title_search", "sites_search"):
            conn.execute(f"create virtual table temp.v_{index} using "
                         f"fts5vocab(main, {index}, instance)")
            contents[index] = conn.execute(
                f"select term, doc, col, offset from temp.v_{index} "
                "order by term, doc, col, offset").fetchall()
            # FTS5's averages record (row 1): rows and tokens per column, which bm25 ranks by;
            # an article indexed twice shows there.
            contents[f"{index} averages"] = conn.execute(
                f"select block from {index}_data where id = 1").fetchall()
        return contents
    finally:
        conn.close()


def test_functions_index_what_the_replace_chains_indexed(tmp_path: Path) -> None:
    # The same writes into an archive whose triggers are still m100/m102's (the replace()
    # chains: written through a connection that neither registers the functions nor
    # migrates further), and into a current one.
    before = tmp_path / "before.db"
    conn = sqlite3.connect(before, isolation_level=None)
    migrations.apply(Database(conn), stop_before="m103_search_index_triggers_by_function")
    old = ArchiveDB(Database(conn), before)
    try:
        _write_and_change(old)
    finally:
        old.close()
    current = ArchiveDB.open(tmp_path / "current.db")
    try:
        _write_and_change(current)
    finally:
        current.close()
    expected, found = _index_contents(before), _index_contents(tmp_path / "current.db")
    assert found == expected
    assert ("d9a3ng", ) in {(term,) for term, *_ in found["articles_search"]}


def test_rows_indexed_by_the_replace_chains_are_forgotten_exactly(tmp_path: Path) -> None:
    """Rows written before m103 are updated and deleted by the new triggers: the 'delete'
    values must be the very ones the old triggers indexed, or FTS5 keeps stale entries."""
    path = tmp_path / "archive.db"
    conn = sqlite3.connect(path, isolation_level=None)
    db = Database(conn)
    migrations.apply(db, stop_before="m103_search_index_triggers_by_function")
    db["sites"].insert(dict(SITE))
    for number, (title, body) in enumerate(TEXTS, start=1):
        db["articles"].insert({"url": f"http://probe.invalid/{number}", "site": "probe",
                               "title": title, "body": body})
    conn.close()
    archive = ArchiveDB.open(path)
    try:
        archive.db.execute("pragma foreign_keys = off")
        archive.db.execute("delete from articles")
        archive.db.execute("delete from sites")
    finally:
        archive.close()
    contents = _index_contents(path)
    assert {k: v for k, v in contents.items() if "averages" not in k} == {
        "articles_search": [], "articles_title_search": [], "sites_search": []}


@pytest.mark.parametrize("statement", [
    "insert into articles (url, site, title, body) values ('http://probe.invalid/9', 'probe', "
    "'Tiêu đề', 'Nội dung')",
    "update articles set title = 'Khác' where id = 1",
    "delete from articles where id = 1",
    "insert into sites (id, name) values ('other', 'Phường Khác')",
])
def test_a_writer_without_the_functions_fails_before_writing(tmp_path: Path,
                                                             statement: str) -> None:
    archive = ArchiveDB.open(tmp_path / "archive")
    try:
        archive.upsert_site(dict(SITE))
        archive.store_article(_record(1, *TEXTS[0]))
    finally:
        archive.close()
    before = _index_contents(archive.path)
    conn = sqlite3.connect(archive.path)
    try:
        conn.execute("pragma foreign_keys = off")
        with pytest.raises(sqlite3.OperationalError, match="no such function: muni_"):
            conn.execute(statement)
        conn.commit()
        rows = conn.execute("select id, title from articles").fetchall()
        sites = conn.execute("select id from sites").fetchall()
    finally:
        conn.close()
    assert rows == [(1, TEXTS[0][0])]
    assert sites == [("probe",)]
    assert _index_contents(archive.path) == before


def test_exact_spelling_spells_every_character_as_the_mapping_says() -> None:
    """exact_spelling translates through a list (fast) what vietnamese_mark_codes maps: every
    marked letter spelled with digits, every other character, past the list's end too (CJK,
    emoji, characters outside the BMP), left as it is."""
    import random

    from archive.search import exact_spelling, vietnamese_mark_codes

    codes = vietnamese_mark_codes()
    rng = random.Random(6)
    alphabet = [*codes, "a", "Z", " ", "\n", "ü", "“", "…", "中", "😀", "\U00010400", "\u2fff",
                "\u3000", "\x00"]
    for _ in range(300):
        text = "".join(rng.choice(alphabet) if rng.random() < 0.7 else chr(rng.randint(0, 0x10FFFF))
                       for _ in range(rng.randint(0, 60)))
        text = text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
        assert exact_spelling(text) == "".join(codes.get(c, c) for c in text)
    assert exact_spelling("Đảng ủy phường Hoà") == "D9a3ng u3y phu7o72ng Hoa2"


def _delete_article(archive: ArchiveDB, article_id: int) -> None:
    with archive.transaction():
        for table in ("article_urls", "article_versions"):
            archive.db.execute(f"delete from {table} where article_id = ?", [article_id])
        archive.db.execute("delete from articles where id = ?", [article_id])


def _write_in_batches(archive: ArchiveDB, *, batched: bool) -> None:
    """Every way a write can meet an article the index does not hold as it is: an update and a
    delete of a row inserted earlier in the same transaction, a write that fails half-way (its
    rowid then taken by the next insert), rows indexed earlier changed, deleted, changed and
    rolled back, and a deleted row's rowid taken by a new article in the same transaction."""
    archive.upsert_site(dict(SITE))
    if batched:
        archive.start_batching(max_writes=1000, max_seconds=3600)
    for number, (title, body) in enumerate(TEXTS, start=1):
        archive.store_article(_record(number, title, body))
    archive.store_article(_record(2, "Đảng bộ phường đổi tiêu đề", TEXTS[1][1]))
    with pytest.raises(RuntimeError), archive.transaction():
        archive.store_article(_record(4, "Bài hỏng giữa chừng", "Không được lưu."))
        raise RuntimeError("a bug half-way through a write")
    archive.store_article(_record(5, "Bài năm", "Rowid của bài hỏng, nội dung khác."))
    _delete_article(archive, 3)
    archive.commit_batch()
    # In the index by now: changed, deleted, changed and undone in the next batch.
    archive.store_article(_record(1, "Tiêu đề mới của bài một", TEXTS[0][1]))
    archive.store_article(_record(1, "Tiêu đề mới của bài một", "Nội dung cũng đổi."))
    _delete_article(archive, 2)
    with pytest.raises(RuntimeError), archive.transaction():
        archive.store_article(_record(5, "Đổi rồi bỏ", "Bị hoàn tác."))
        raise RuntimeError("undone: the index entries of bài năm stay as they were")
    _delete_article(archive, 4)  # bài năm: rowids 2 and 4 are free, the next insert takes 2
    archive.store_article(_record(6, "Bài sáu", "Thêm vào lô sau."))
    if batched:
        archive.stop_batching()


def _immediate(path: Path) -> ArchiveDB:
    """An archive whose connection indexes every write at once (m103's way): its functions
    come from a DeferredArticleIndex that is never active."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys=ON")
    register_index_functions(conn)
    migrations.apply(Database(conn))
    return ArchiveDB(Database(conn), path)


@pytest.mark.parametrize("batched", [False, True], ids=["one transaction a write", "batches"])
def test_deferred_indexing_indexes_exactly_as_row_by_row(tmp_path: Path, batched: bool) -> None:
    reference, deferred = _immediate(tmp_path / "reference.db"), ArchiveDB.open(tmp_path / "d")
    try:
        _write_in_batches(reference, batched=batched)
        _write_in_batches(deferred, batched=batched)
    finally:
        reference.close()
        deferred.close()
    expected = _index_contents(tmp_path / "reference.db")
    assert _index_contents(deferred.path) == expected
    docs = {doc for _, doc, *_ in expected["articles_search"]}
    assert docs == {1, 2}, "bài 1 changed; bài sáu took rowid 2; 3 and 4 deleted"
    conn = sqlite3.connect(deferred.path)
    try:
        found = {query: conn.execute(
            "select rowid from articles_search where articles_search match ?", [query]
        ).fetchall() for query in ("title:(bai sau)", "noi dung cung doi", "hoan tac",
                                   "tay son")}
    finally:
        conn.close()
    assert found == {"title:(bai sau)": [(2,)], "noi dung cung doi": [(1,)], "hoan tac": [],
                     "tay son": []}


def test_a_batch_is_searchable_the_moment_it_is_committed(tmp_path: Path) -> None:
    archive = ArchiveDB.open(tmp_path / "archive")
    reader = sqlite3.connect(archive.path)
    try:
        archive.upsert_site(dict(SITE))
        archive.start_batching(max_writes=2, max_seconds=3600)
        archive.store_article(_record(1, *TEXTS[0]))
        match = "select rowid from articles_search where articles_search match 'tay son'"
        assert reader.execute(match).fetchall() == []
        archive.store_article(_record(2, *TEXTS[1]))  # the second write commits the batch
        assert reader.execute(match).fetchall() == [(1,)]
        assert reader.execute("select count(*) from articles").fetchone() == (2,)
    finally:
        reader.close()
        archive.close()


@pytest.mark.parametrize("batched", [False, True], ids=["one transaction", "a batch"])
def test_a_transaction_adds_its_articles_to_the_index_as_one_segment(tmp_path: Path,
                                                                   batched: bool) -> None:
    """What the deferral is for: FTS5 made one segment per article (then merged them over and
    over), one per statement that wrote to it through a trigger."""
    archive = ArchiveDB.open(tmp_path / "archive")
    try:
        archive.upsert_site(dict(SITE))
        for index in ("articles_search", "articles_title_search"):  # count, don't merge
            archive.db.execute(f"INSERT INTO {index} ({index}, rank) VALUES ('automerge', 0)")
        records = [_record(n, f"Bài {n}", f"Nội dung bài số {n}.") for n in range(1, 21)]
        if batched:
            archive.start_batching(max_writes=1000, max_seconds=3600)
            for record in records:
                archive.store_article(record)
            archive.stop_batching()
        else:
            archive.store_articles(records)
        segments = {index: archive.db.execute(
            f"SELECT count(DISTINCT segid) FROM {index}_idx").fetchone()[0]
            for index in ("articles_search", "articles_title_search")}
    finally:
        archive.close()
    assert segments == {"articles_search": 1, "articles_title_search": 1}
