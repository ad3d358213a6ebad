"""The search indexes behind Vietnamese-aware search (issue 4), as migrations on the archive's
one ``migrations`` object. archive/schema.py imports this module so they always apply.

``articles_search`` is a contentless FTS5 table (it stores the index, not another copy of
the text) with two pairs of columns, all tokenised by ``unicode61 remove_diacritics 2``:

* ``title``/``body``: the text with đ folded to d, so the tokenizer strips every other mark:
  what a query typed without marks is looked up in;
* ``title_exact``/``body_exact``: the text with each Vietnamese mark spelled as digits
  (``Đảng`` → ``d9a3ng``, archive.search.exact_spelling), which the tokenizer cannot strip:
  what a word typed with marks is looked up in.

Both are computed by two deterministic SQL functions, ``muni_folded`` and ``muni_exact``
(m103; before it, ~134 nested builtin ``replace()`` calls, ~1 ms of the crawl's CPU per stored
article), which ``ArchiveDB`` registers on every connection it opens
(``register_index_functions``). A connection that did not register them cannot change
``articles`` or ``sites`` at all: the statement fails as it is prepared ("no such function"),
before anything is written. The views ``articles_search_source`` and ``sites_search_source``
still spell the same texts out in builtin SQL, for readers. ``sites_search`` does the same for
the sites table, so one search box finds portals by ward, city or province too.

``article_search_facts`` keeps, per article, the few columns the search page filters, sorts
and counts matches by (site, author, published), kept in step by triggers.
"""

from __future__ import annotations

import json
import sqlite3

from sqlite_utils import Database

from archive.schema import migrations
from archive.search import exact_spelling, vietnamese_mark_codes

__all__ = ["DeferredArticleIndex", "folded_sql", "register_index_functions", "spelling_views_sql"]

# SQLite 3.40's parser overflows at ~35 nested calls, and the exact spelling takes ~134
# replace() calls. Views are parsed one by one and expanded after parsing, so a chain of
# views, each applying a slice of the replacements, has no depth problem (and the planner
# flattens it back into one expression).
_STAGE_SIZE = 20


def _folded(text: object) -> str | None:
    """What ``folded_sql`` computes (NULL stays NULL, as replace() keeps it). Two replace()
    calls: 4 µs for a 5,000-character body, where str.translate takes 250 µs."""
    return None if text is None else str(text).replace("đ", "d").replace("Đ", "D")


def _exact(text: object) -> str | None:
    """What the views' chain of replace() computes: archive.search.exact_spelling."""
    return None if text is None else exact_spelling(str(text))


def register_index_functions(conn: sqlite3.Connection,
                             deferral: DeferredArticleIndex | None = None) -> None:
    """The functions the search-index triggers call (m103, m104): every connection that writes
    to ``articles`` or ``sites`` needs them. The text functions are deterministic: the same
    text always gives the same index entries, which a contentless index needs to forget a row
    later. With ``deferral``, changed articles are indexed when it is flushed; without, at
    once."""
    conn.create_function("muni_folded", 1, _folded, deterministic=True)
    conn.create_function("muni_exact", 1, _exact, deterministic=True)
    if deferral is None:
        deferral = DeferredArticleIndex()  # never active: every row is indexed at once
    conn.create_function("muni_index_later", 1, deferral.index_later)
    conn.create_function("muni_reindex_later", 1 + len(_ARTICLE_TEXTS), deferral.reindex_later)
    conn.create_function("muni_index_pending", 1, deferral.is_pending)


class DeferredArticleIndex:
    """Indexes the articles a transaction wrote in two statements as it commits, instead of
    row by row.

    FTS5 writes what it holds in memory to a new segment of the index at every savepoint, and
    SQLite opens one for each statement that fires a trigger writing to it: a crawl's articles,
    written one statement each, became one segment each, merged again and again (~0.45 ms of
    the crawl's CPU per new article, ~1 ms per changed one). While ``active``, the triggers
    (m104) leave each written row to ``flush``: a new row is only noted; a row already in the
    index is noted with the texts it is indexed by, the first time it changes. ``flush`` then
    forgets those texts and indexes every noted row as it is by then (or not at all if it is
    gone), in one statement per index.

    This holds whatever happens in between: a rolled-back savepoint leaves a noted row as it
    was, and re-indexing a row by its own texts changes nothing; a rowid freed by a rolled-back
    or deleted row and taken again is indexed once, with the new row's text. ``flush`` runs in
    the writes' own transaction before it commits, so no reader ever sees an article without
    its index entries; a rolled-back transaction takes the rows and the index back together
    (``forget``)."""

    def __init__(self) -> None:
        self.active = False
        self._pending: set[int] = set()
        self._indexed_texts: dict[int, tuple[object, ...]] = {}

    def index_later(self, rowid: object) -> int:
        """A row was inserted: 1 when it is left to ``flush``."""
        if not self.active or not isinstance(rowid, int):
            return 0
        self._pending.add(rowid)
        return 1

    def reindex_later(self, rowid: object, *texts: object) -> int:
        """A row is about to change or go, ``texts`` being its texts now: 1 when it is left
        to ``flush``."""
        if not self.active or not isinstance(rowid, int):
            return 0
        if rowid not in self._pending:  # in the index, by these very texts
            self._pending.add(rowid)
            self._indexed_texts[rowid] = texts
        return 1

    def is_pending(self, rowid: object) -> int:
        return 1 if rowid in self._pending else 0

    def flush(self, conn: sqlite3.Connection) -> None:
        if not self._pending:
            return
        rowids = json.dumps(sorted(self._pending))
        indexed = sorted(self._indexed_texts.items())
        for index, table, key, texts, _watched in _FUNCTION_INDEXES:
            if table != "articles":
                continue
            columns = ", ".join([*texts, *(f"{t}_exact" for t in texts)])
            if indexed:
                places = [_ARTICLE_TEXTS.index(t) for t in texts]
                marks = ", ".join([*("muni_folded(?)" for _ in texts),
                                   *("muni_exact(?)" for _ in texts)])
                conn.executemany(
                    f"INSERT INTO {index} ({index}, rowid, {columns}) "
                    f"VALUES ('delete', ?, {marks})",
                    [(rowid, *(old[i] for i in places), *(old[i] for i in places))
                     for rowid, old in indexed])
            conn.execute(
                f"INSERT INTO {index} (rowid, {columns}) SELECT {_index_values(key, texts, '')} "
                f"FROM {table} WHERE {key} IN (SELECT value FROM json_each(?))", [rowids])
        self.forget()

    def forget(self) -> None:
        """Nothing noted: flushed, or the transaction was rolled back with its rows."""
        self._pending.clear()
        self._indexed_texts.clear()


def folded_sql(expression: str) -> str:
    """SQL for the folded column: đ/Đ → d/D (Unicode gives đ no decomposition to strip)."""
    return f"replace(replace({expression}, 'đ', 'd'), 'Đ', 'D')"


def spelling_views_sql(name: str, source: str, key: str, texts: dict[str, str]) -> list[str]:
    """CREATE VIEW statements ending in view ``name`` with columns ``id``, then each text
    folded (``<text>``), then each text exactly spelled (``<text>_exact``,
    archive.search.exact_spelling), one row per row of table ``source``."""
    codes = list(vietnamese_mark_codes().items())
    stages = [codes[i:i + _STAGE_SIZE] for i in range(0, len(codes), _STAGE_SIZE)]
    statements = []
    previous = None
    for number, stage in enumerate(stages, start=1):
        view = f"_{name}_stage{number}"
        columns = [f"{key} AS id"] if previous is None else ["id"]
        for text, expression in texts.items():
            current = expression if previous is None else f"x_{text}"
            for letter, code in stage:
                current = f"replace({current}, '{letter}', '{code}')"
            columns.append(f"{current} AS x_{text}")
            if previous is None:
                columns.append(f"{folded_sql(expression)} AS f_{text}")
            else:
                columns.append(f"f_{text}")
        statements.append(f"CREATE VIEW {view} AS SELECT {', '.join(columns)} "
                          f"FROM {source if previous is None else previous}")
        previous = view
    final = ", ".join(["id", *(f"f_{t} AS {t}" for t in texts),
                       *(f"x_{t} AS {t}_exact" for t in texts)])
    statements.append(f"CREATE VIEW {name} AS SELECT {final} FROM {previous}")
    return statements


def _site_text(row: str = "") -> str:
    """A site's searchable text; ``row`` ("new." / "old.") qualifies its columns in triggers."""
    parts = " || ' ' || ".join(f"coalesce({row}{c}, '')"
                               for c in ("id", "name", "ward", "city", "province"))
    return f"({parts})"


def _names_its_table(table: str) -> str:
    # Datasette (Database.fts_table) and with it datasette-search-all recognise a table's
    # full-text index by `content="<table>"` in the index's SQL. A contentless index has no
    # content table, so this comment, kept verbatim in sqlite_master, names the table it
    # indexes; FTS5 ignores it.
    return f'/* indexes content="{table}" */'


def _keep_in_step(db: Database, index: str, table: str, source: str, key: str,
                  columns: str, watched: str) -> None:
    """Triggers keeping contentless FTS5 ``index`` in step with ``table`` (rows read from view
    ``source``, whose ``id`` is the table's ``key``), then the index filled. A contentless
    table forgets a row by being told the exact values it indexed, so the old row is read
    (from the views) before it changes; ``watched`` are the columns whose update re-indexes."""
    db.executescript(f"""
        CREATE TRIGGER {index}_ai AFTER INSERT ON {table} BEGIN
          INSERT INTO {index} (rowid, {columns})
          SELECT id, {columns} FROM {source} WHERE id = new.{key};
        END;
        CREATE TRIGGER {index}_bd BEFORE DELETE ON {table} BEGIN
          INSERT INTO {index} ({index}, rowid, {columns})
          SELECT 'delete', id, {columns} FROM {source} WHERE id = old.{key};
        END;
        CREATE TRIGGER {index}_bu BEFORE UPDATE OF {watched} ON {table} BEGIN
          INSERT INTO {index} ({index}, rowid, {columns})
          SELECT 'delete', id, {columns} FROM {source} WHERE id = old.{key};
        END;
        CREATE TRIGGER {index}_au AFTER UPDATE OF {watched} ON {table} BEGIN
          INSERT INTO {index} (rowid, {columns})
          SELECT id, {columns} FROM {source} WHERE id = new.{key};
        END;
    """)
    db.execute(f"INSERT INTO {index} (rowid, {columns}) SELECT id, {columns} FROM {source}")


@migrations()
def m100_vietnamese_search_index(db: Database) -> None:
    for statement in spelling_views_sql("articles_search_source", "articles", "id",
                                        {"title": "title", "body": "body"}):
        db.execute(statement)
    db.execute(
        "CREATE VIRTUAL TABLE articles_search USING fts5("
        "title, body, title_exact, body_exact, content='', "
        f"tokenize = 'unicode61 remove_diacritics 2' {_names_its_table('articles')})"
    )
    _keep_in_step(db, "articles_search", "articles", "articles_search_source", "id",
                  "title, body, title_exact, body_exact", "title, body")

    for statement in spelling_views_sql("sites_search_source", "sites", "rowid",
                                        {"text": _site_text()}):
        db.execute(statement)
    db.execute(
        "CREATE VIRTUAL TABLE sites_search USING fts5(text, text_exact, content='', "
        f"tokenize = 'unicode61 remove_diacritics 2' {_names_its_table('sites')})"
    )
    _keep_in_step(db, "sites_search", "sites", "sites_search_source", "rowid",
                  "text, text_exact", "id, name, ward, city, province")


@migrations()
def m101_article_search_facts(db: Database) -> None:
    # What the search page filters, sorts and counts by, one narrow row per article. Read
    # from `articles` itself, each match costs a page of its own (the body is stored inline),
    # so a search matching 50,000 articles touched 50,000 pages for its facets; here about a
    # hundred rows share a page.
    db.execute("CREATE TABLE article_search_facts ("
               "id INTEGER PRIMARY KEY, site TEXT, author TEXT, published TEXT)")
    db.executescript("""
        CREATE TRIGGER article_search_facts_ai AFTER INSERT ON articles BEGIN
          INSERT INTO article_search_facts (id, site, author, published)
          VALUES (new.id, new.site, new.author, new.published);
        END;
        CREATE TRIGGER article_search_facts_au AFTER UPDATE OF id, site, author, published
        ON articles BEGIN
          DELETE FROM article_search_facts WHERE id = old.id;
          INSERT INTO article_search_facts (id, site, author, published)
          VALUES (new.id, new.site, new.author, new.published);
        END;
        CREATE TRIGGER article_search_facts_ad AFTER DELETE ON articles BEGIN
          DELETE FROM article_search_facts WHERE id = old.id;
        END;
    """)
    db.execute("INSERT INTO article_search_facts (id, site, author, published) "
               "SELECT id, site, author, published FROM articles")


@migrations()
def m102_headline_search_index(db: Database) -> None:
    # The headlines alone, indexed like articles_search (folded and exact columns). bm25 costs
    # time in proportion to how many articles hold each word of the query, so ranking a
    # common word over whole texts takes seconds in a large archive; over headlines, which
    # hold a common word a hundred times less often, it stays cheap (archive/ranking.py).
    db.execute(
        "CREATE VIRTUAL TABLE articles_title_search USING fts5("
        "title, title_exact, content='', tokenize = 'unicode61 remove_diacritics 2')"
    )
    _keep_in_step(db, "articles_title_search", "articles", "articles_search_source", "id",
                  "title, title_exact", "title")


# (index, table, key, {indexed text: its SQL over the row, "{row}" being new. or old.},
#  the columns whose update re-indexes)
_FUNCTION_INDEXES = (
    ("articles_search", "articles", "id", {"title": "{row}title", "body": "{row}body"},
     "title, body"),
    ("articles_title_search", "articles", "id", {"title": "{row}title"}, "title"),
    ("sites_search", "sites", "rowid", {"text": _site_text("{row}")},
     "id, name, ward, city, province"),
)


# Every article text an index holds, in the order muni_reindex_later receives them.
_ARTICLE_TEXTS = ("title", "body")


def _index_values(key: str, texts: dict[str, str], row: str) -> str:
    """The VALUES of one index row: the key, each text folded, each text exactly spelled."""
    sqls = [sql.replace("{row}", row) for sql in texts.values()]
    return ", ".join([f"{row}{key}", *(f"muni_folded({sql})" for sql in sqls),
                      *(f"muni_exact({sql})" for sql in sqls)])


@migrations()
def m103_search_index_triggers_by_function(db: Database) -> None:
    # The same index entries as m100/m102's triggers (the texts through the views' chains of
    # replace()), computed by muni_folded/muni_exact: the chains cost ~1 ms of CPU per stored
    # article, a tenth of what a crawl's own process spends on a page.
    for index, table, key, texts, watched in _FUNCTION_INDEXES:
        columns = ", ".join([*texts, *(f"{t}_exact" for t in texts)])
        new, old = _index_values(key, texts, "new."), _index_values(key, texts, "old.")
        db.executescript(f"""
            DROP TRIGGER {index}_ai;
            DROP TRIGGER {index}_bd;
            DROP TRIGGER {index}_bu;
            DROP TRIGGER {index}_au;
            CREATE TRIGGER {index}_ai AFTER INSERT ON {table} BEGIN
              INSERT INTO {index} (rowid, {columns}) VALUES ({new});
            END;
            CREATE TRIGGER {index}_bd BEFORE DELETE ON {table} BEGIN
              INSERT INTO {index} ({index}, rowid, {columns}) VALUES ('delete', {old});
            END;
            CREATE TRIGGER {index}_bu BEFORE UPDATE OF {watched} ON {table} BEGIN
              INSERT INTO {index} ({index}, rowid, {columns}) VALUES ('delete', {old});
            END;
            CREATE TRIGGER {index}_au AFTER UPDATE OF {watched} ON {table} BEGIN
              INSERT INTO {index} (rowid, {columns}) VALUES ({new});
            END;
        """)


@migrations()
def m104_article_index_deferred_in_batches(db: Database) -> None:
    # The same index entries as m103's triggers, but each trigger first asks whether the row is
    # left to DeferredArticleIndex.flush. A connection that defers nothing answers "no".
    for index, table, key, texts, watched in _FUNCTION_INDEXES:
        if table != "articles":
            continue
        columns = ", ".join([*texts, *(f"{t}_exact" for t in texts)])
        new, old = _index_values(key, texts, "new."), _index_values(key, texts, "old.")
        old_texts = ", ".join(f"old.{t}" for t in _ARTICLE_TEXTS)
        db.executescript(f"""
            DROP TRIGGER {index}_ai;
            DROP TRIGGER {index}_bd;
            DROP TRIGGER {index}_bu;
            DROP TRIGGER {index}_au;
            CREATE TRIGGER {index}_ai AFTER INSERT ON {table}
            WHEN NOT muni_index_later(new.{key}) BEGIN
              INSERT INTO {index} (rowid, {columns}) VALUES ({new});
            END;
            CREATE TRIGGER {index}_bd BEFORE DELETE ON {table}
            WHEN NOT muni_reindex_later(old.{key}, {old_texts}) BEGIN
              INSERT INTO {index} ({index}, rowid, {columns}) VALUES ('delete', {old});
            END;
            CREATE TRIGGER {index}_bu BEFORE UPDATE OF {watched} ON {table}
            WHEN NOT muni_reindex_later(old.{key}, {old_texts}) BEGIN
              INSERT INTO {index} ({index}, rowid, {columns}) VALUES ('delete', {old});
            END;
            CREATE TRIGGER {index}_au AFTER UPDATE OF {watched} ON {table}
            WHEN NOT muni_index_pending(new.{key}) BEGIN
              INSERT INTO {index} (rowid, {columns}) VALUES ({new});
            END;
        """)
