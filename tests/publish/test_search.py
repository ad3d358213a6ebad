"""Vietnamese-aware search (issue 4), asserted on what a journalist gets back from the
published archive's search (/archive/search, a Datasette canned query) and table search."""

from __future__ import annotations

import sqlite3
import unicodedata
from urllib.parse import urlencode

import pytest

from archive.db import ArchiveDB, ArticleRecord
from archive.search import (
    SearchSyntaxError,
    exact_spelling,
    fts_query,
    lenient_fts_query,
    parse_query,
    snippet_html,
)
from tests.publish.conftest import Published


def search(published: Published, query: str, **params: str) -> list[str]:
    """Keys (archive_builder names) of the articles found, in the order shown."""
    data = published.json("/archive/search.json?" + urlencode(
        {"q": query, "_shape": "objects", **params}))
    by_id = {v: k for k, v in published.archive.ids.items()}
    return [by_id[row["id"]] for row in data["rows"]]


def test_without_marks_matches_every_form(published: Published) -> None:
    assert search(published, "dang uy tay son") == ["seed"]
    assert set(search(published, "ma")) == {"ma", "ma-sac", "ma-huyen", "hostile"}  # mã too
    assert {"seed", "dang", "hostile"} <= set(search(published, "dang"))


@pytest.mark.parametrize(("query", "expected"), [
    ("má", {"ma-sac"}),
    ("mà", {"ma-huyen"}),
    ("Má", {"ma-sac"}),
    ("đang", {"dang"}),
    ("Đảng", {"seed", "hostile"}),
    ("Đảng ủy", {"seed", "hostile"}),
])
def test_with_marks_matches_exactly_those_marks(published: Published, query: str,
                                                 expected: set[str]) -> None:
    assert set(search(published, query)) == expected


def test_plain_ma_with_no_mark_is_its_own_word_too(published: Published) -> None:
    # "ma" typed plainly finds the ghost story (ma), but typed with a mark it does not.
    assert "ma" in search(published, "ma")
    assert "ma" not in search(published, "má")


@pytest.mark.parametrize("query", ["hòa giải", "hoà giải",
                                   unicodedata.normalize("NFD", "hoà giải"),
                                   unicodedata.normalize("NFD", "hòa giải")])
def test_tone_placement_and_normalisation_do_not_matter(published: Published,
                                                         query: str) -> None:
    assert search(published, query) == ["hoa-giai"]


def test_words_typed_together_rank_the_phrase_first(published: Published) -> None:
    ranked = search(published, "tổng kết")
    # "scattered" has tổng and kết many times, apart; the phrase articles come before it.
    assert set(ranked[:2]) == {"seed", "hoa-giai"}
    assert ranked[-1] == "scattered"
    assert search(published, "tong ket")[-1] == "scattered"


def test_fts5_syntax_works_as_fts5_users_expect(published: Published) -> None:
    assert "scattered" not in search(published, '"tổng kết"')
    assert set(search(published, '"tong ket"')) == {"seed", "hoa-giai"}
    assert "scattered" in search(published, "tổng*")
    assert set(search(published, "má OR mà")) == {"ma-sac", "ma-huyen"}
    assert "seed" not in search(published, "dang NOT tay")
    assert "dang" in search(published, "dang NOT tay")
    assert search(published, "title:Đảng") == ["seed"]
    assert "seed" in search(published, "NEAR(Đảng tây, 3)")
    assert search(published, "(má OR mà) AND chợ") == ["ma-sac"]


def test_other_languages_fold_too(published: Published) -> None:
    assert search(published, "burgerversammlung") == ["german"]
    assert search(published, "Bürgerversammlung") == ["german"]


@pytest.mark.parametrize(("query", "message"), [
    ('"tây sơn', "quote is never closed"),
    ("(dang uy", "'(' is never closed"),
    ("dang uy)", "')' without a matching '('"),
    ("NOT dang", "NOT needs a word before it"),
    ("dang OR", "OR needs a word on each side"),
    ("NEAR(dang)", "NEAR needs at least two words"),
])
def test_malformed_query_gets_a_helpful_message_not_an_error(
        published: Published, query: str, message: str) -> None:
    with pytest.raises(SearchSyntaxError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_query(query)
    response = published.get("/archive/search", params={"q": query})
    assert response.status_code == 200
    assert message.replace("'", "&#39;") in response.text
    assert "these results match the words of your query" in response.text
    assert published.get("/archive/search.json", params={"q": query}).status_code == 200
    assert published.get("/archive/articles.json",
                         params={"_search": query}).status_code == 200


def test_any_text_at_all_is_a_valid_fts5_expression() -> None:
    """Whatever is typed, the expression sent to SQLite parses: no query can cause a 500."""
    connection = sqlite3.connect(":memory:")
    connection.execute("create virtual table t using fts5(title, body, title_exact, body_exact)")
    samples = ['"', '""', "(", ")", "*", "^", "NEAR(", "NEAR(a", "AND", "OR OR", "a:b",
               "title:", "{title}:x", "-x", "x -", "'", "%", "\\", "…", "đ*", "^^a", "a**",
               "NOT NOT", "(a OR) b", 'a "b c" OR (d NOT "e"', "NEAR(a b, x)",
               "title:(a OR b)", "body:\"Tây Sơn\"*", "😀", "a\x00b", "x" * 300]
    for sample in samples:
        expression = lenient_fts_query(sample)
        connection.execute("select rowid from t where t match ?", [expression]).fetchall()


def test_exact_spelling_in_sql_equals_python(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The index spells marks in SQL (replace chains); queries spell them in Python."""
    text = ("Đảng ủy phường Tây Sơn hoà hòa ẤẦẨẪẬ ấầẩẫậ Ư Ơ ươ Ỳ ỷ ỹ ỵ ý Ă ă Â â Ê ề Ô ộ "
            "Bürger")
    archive = ArchiveDB.open(tmp_path / "archive")
    try:
        archive.upsert_site({"id": "probe"})
        archive.store_article(ArticleRecord(url="http://probe.invalid/1", site="probe",
                                            fetched_url="http://probe.invalid/1",
                                            title="probe", body=text))
        spelled = archive.db.execute("select body_exact from articles_search_source").fetchone()
    finally:
        archive.close()
    assert spelled[0] == exact_spelling(text)
    assert spelled[0].startswith("D9a3ng u3y phu7o72ng Ta6y So7n hoa2 ho2a A61A62A63A64A65")


def test_index_follows_updates_and_deletes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.publish.archive_builder import build_archive

    built = build_archive(tmp_path / "archive")
    archive = ArchiveDB.open(built.db_path)
    try:
        db = archive.db

        def found(query: str) -> list[int]:
            return [r[0] for r in db.execute(
                "select rowid from articles_search where articles_search match ?",
                [fts_query(query)])]

        assert built.ids["ma-sac"] in found("má")
        db.execute("update articles set title = 'Ba tôi đi chợ', body = 'Ba tôi đi chợ.' "
                   "where id = ?", [built.ids["ma-sac"]])
        assert built.ids["ma-sac"] not in found("má")
        assert built.ids["ma-sac"] in found("ba toi")
        # Only the index is under test here, not the rows that refer to the article.
        db.execute("pragma foreign_keys = off")
        db.execute("delete from articles where id = ?", [built.ids["ma-huyen"]])
        assert found("mà") == []
        assert found("ma") and built.ids["ma-huyen"] not in found("ma")
    finally:
        archive.close()


def test_snippets_find_words_in_any_script() -> None:
    # Snippets fold (stored, NFC) text through a table of precomposed Latin letters; what
    # the table does not know (Greek here) must still fold as fold_marks does.
    assert "<mark>Đảng</mark>" in snippet_html("Hội nghị Đảng ủy “phường”…", "dang")
    assert "<mark>Bürger</mark>" in snippet_html("Die Bürger der Stadt", "burger")
    assert "<mark>Μέγα</mark>" in snippet_html("Το Μέγα σχολείο", "μεγα")


@pytest.mark.parametrize("query", [
    "dang uy", "Đảng ủy", "tổng kết", "tong ket", "hoà", "hòa", "hoa", "ma", "má", "tổng*",
    "ủy*", "a a", '"tây sơn"', "tay OR son", "kelvin", "istanbul", "x", "uy ban*"])
def test_snippets_mark_the_same_words_as_token_by_token(query: str) -> None:
    # A query folded to ASCII is found by one regular expression over the original text
    # (_TermFinder); every other word by folding each token (_TokenForms). Both must agree,
    # in NFC and NFD text, with overlapping phrases, mixed case and look-alike letters.
    from archive import search

    text = ("Đảng ủy phường Tây Sơn tổng kết. ĐẢNG ỦY, đảng uỷ; Hoà và hòa, HOÀ bình. "
            "a a a. Ma, má, mà, mạ! Tổng kết tổng-kết tổng_kết. İstanbul KELVİN "
            "\u212aelvin x_y. Ủy ban nhân dân, uỷ bản.")
    for body in (text, unicodedata.normalize("NFD", text)):
        tokens = list(search._WORD.finditer(body))
        parsed = parse_query(query)
        assert parsed is not None
        terms = search._terms(parsed) + search._terms(search.ParsedQuery(
            parsed.text, search.Phrase(tuple(parsed.words)), plain=False))
        finder, forms = search._TermFinder(body, tokens), search._TokenForms(body, tokens)
        for term in terms:
            if not finder.handles(term):
                continue
            reference = [start for start in forms.starts(term) if all(
                forms.matches(start + i, term, i) for i in range(len(term.words)))]
            assert finder.starts(term) == reference, (query, term)
