"""Vietnamese-aware search queries: what a journalist types → an SQLite FTS5 expression.

A query is read with FTS5's own syntax (``"phrases"``, ``prefix*``, ``AND``/``OR``/``NOT``,
parentheses, ``NEAR(a b, 5)``, ``title:``/``body:``), then every word is matched the way
Vietnamese readers expect:

* a word typed without marks matches every marked form (``dang`` finds ``Đảng``, ``đang``);
* a word typed with marks matches exactly those marks (``má`` finds neither ``ma`` nor ``mà``),
  whatever its Unicode normalisation or tone placement (``hoà`` = ``hòa``).

Two kinds of column serve this (see archive/schema_search.py): the *folded* columns, indexed
from ``index_text()`` with ``remove_diacritics 2``, and the *exact* columns, indexed from the
text with each Vietnamese mark spelled as digits (``Đảng`` → ``d9a3ng``, VNI-style) so the
tokenizer cannot strip them. Marked words are looked up in the exact columns, unmarked ones in
the folded columns, both in one MATCH so bm25 ranks the whole query.

A malformed query raises :class:`SearchSyntaxError` whose message says how to fix it;
:func:`lenient_fts_query` never raises (for places that cannot show a message).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from itertools import product

from archive.errors import MuniError
from archive.text import fold_marks, nfc, normalize_tone_placement

__all__ = [
    "EXACT_COLUMNS",
    "FOLDED_COLUMNS",
    "ParsedQuery",
    "SearchSyntaxError",
    "as_plain_words",
    "exact_spelling",
    "fts_query",
    "lenient_fts_query",
    "parse_query",
    "phrase_query",
    "snippet_html",
    "snippet_text",
    "vietnamese_mark_codes",
]

FOLDED_COLUMNS = ("title", "body")
EXACT_COLUMNS = ("title_exact", "body_exact")
_COLUMN_NAMES = {"title": 0, "body": 1}


class SearchSyntaxError(MuniError):
    """A search query FTS5 would reject; the message says how to write it instead."""


# -- spelling marks as digits -------------------------------------------------------------------

# VNI, the input method Vietnamese typists know: circumflex 6, horn 7, breve 8, đ 9;
# tones sắc 1, huyền 2, hỏi 3, ngã 4, nặng 5. Digits keep the syllable one token.
_MODIFIER_DIGITS = {"\u0302": "6", "\u031b": "7", "\u0306": "8"}
_TONE_DIGITS = {"\u0301": "1", "\u0300": "2", "\u0309": "3", "\u0303": "4", "\u0323": "5"}
_VOWELS = "aăâeêioôơuưy"


def _letter_code(letter: str) -> str:
    if letter in "đĐ":
        return "d9" if letter == "đ" else "D9"
    decomposed = unicodedata.normalize("NFD", letter)
    base, marks = decomposed[0], decomposed[1:]
    modifiers = "".join(_MODIFIER_DIGITS[m] for m in marks if m in _MODIFIER_DIGITS)
    tones = "".join(_TONE_DIGITS[m] for m in marks if m in _TONE_DIGITS)
    return base + modifiers + tones


def vietnamese_mark_codes() -> dict[str, str]:
    """Every precomposed Vietnamese letter that carries a mark → its digit spelling."""
    codes: dict[str, str] = {}
    for vowel in _VOWELS:
        for tone in ["", *_TONE_DIGITS]:
            letter = unicodedata.normalize("NFC", vowel + tone)
            for cased in (letter, letter.upper()):
                if len(cased) == 1 and not cased.isascii():
                    codes[cased] = _letter_code(cased)
    codes["đ"] = "d9"
    codes["Đ"] = "D9"
    return codes


_CODES = vietnamese_mark_codes()
# str.translate looks every character up in its table, and a dict answers a character it does
# not hold by raising KeyError (created and cleared inside translate: ~0.1 µs a character,
# half the cost of spelling an article). A list answers every character below its length: each
# maps to itself but the marked letters (all below U+1F00). The list runs to U+2FFF, past the
# punctuation portals use (“ ” – …); characters past it are looked up by raising IndexError,
# which translate takes for "unchanged", as before.
_CODE_TABLE = [chr(point) for point in range(0x3000)]
for _letter, _code in _CODES.items():
    _CODE_TABLE[ord(_letter)] = _code


def exact_spelling(text: str) -> str:
    """The text as the exact columns index it (callers pass NFC text)."""
    return text.translate(_CODE_TABLE)


# -- words ---------------------------------------------------------------------------------------

# unicode61 splits on everything that is not a letter or a digit (the underscore included).
_WORD = re.compile(r"[^\W_]+")


def _has_marks(word: str) -> bool:
    return fold_marks(word) != word


def _tone_variants(word: str) -> list[str]:
    """``hoà`` and ``hòa`` are one word written two ways: return every placement to look for."""
    canonical = normalize_tone_placement(word)
    variants = [canonical]
    decomposed = unicodedata.normalize("NFD", canonical)
    tones = [c for c in decomposed if c in _TONE_DIGITS]
    if len(tones) == 1:
        bare = unicodedata.normalize("NFC", decomposed.replace(tones[0], ""))
        match = re.search(r"(?<![qQ])([oO][aAeE]|[uU][yY])$", bare)
        if match:
            # New style puts the tone on the second vowel of the cluster (hoà, thuý).
            position = match.start(1) + 1
            variants.append(nfc(bare[: position + 1] + tones[0] + bare[position + 1 :]))
    return list(dict.fromkeys(variants))


# -- parsing -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]  # NFC, as typed
    prefix: bool = False  # last word is a prefix (``tổng*``)
    initial: bool = False  # ``^word``: must start the column


@dataclass(frozen=True)
class Near:
    phrases: tuple[Phrase, ...]
    distance: int | None


@dataclass(frozen=True)
class Column:
    columns: tuple[str, ...]  # "title" / "body"
    child: Node


@dataclass(frozen=True)
class Bool:
    operator: str  # AND | OR | NOT
    children: tuple[Node, ...]


Node = Phrase | Near | Column | Bool

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<quote>"(?:[^"]|"")*"?)         # a phrase; a closing quote may be missing
      | (?P<open>\()
      | (?P<close>\))
      | (?P<near>NEAR\()
      | (?P<column>\{[^}]*\}\s*:|(?:title|body)\s*:)
      | (?P<word>[^\s()"]+)
    )""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    tree: Node
    plain: bool  # only words, no operators or quotes: eligible for phrase-first ranking

    @property
    def words(self) -> list[str]:
        return [w for p in _phrases(self.tree) for w in p.words]

    @property
    def has_marks(self) -> bool:
        return any(_has_marks(w) for w in self.words)


def _phrases(node: Node) -> list[Phrase]:
    if isinstance(node, Phrase):
        return [node]
    if isinstance(node, Near):
        return list(node.phrases)
    if isinstance(node, Column):
        return _phrases(node.child)
    return [p for child in node.children for p in _phrases(child)]


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens: list[tuple[str, str]] = []
        position = 0
        stripped = text.rstrip()
        while position < len(stripped):
            match = _TOKEN.match(stripped, position)
            if not match or match.end() == position:  # pragma: no cover - the regex eats all
                raise SearchSyntaxError(f"Cannot read the query near {stripped[position:]!r}.")
            kind = match.lastgroup or "word"
            self.tokens.append((kind, match.group(kind)))
            position = match.end()
        self.index = 0
        self.plain = True

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def parse(self) -> Node | None:
        if not self.tokens:
            return None
        node = self.parse_or()
        if self.peek() is not None:
            kind, value = self.peek()  # type: ignore[misc]
            if kind == "close":
                raise SearchSyntaxError(
                    "There is a ')' without a matching '('. Remove it, or add the '('.")
            raise SearchSyntaxError(f"Unexpected {value!r} in the query.")
        return node

    def parse_or(self) -> Node:
        children = [self.parse_not()]
        while self._operator("OR"):
            self.take()
            children.append(self.parse_not(after="OR"))
        return children[0] if len(children) == 1 else Bool("OR", tuple(children))

    def parse_not(self, after: str | None = None) -> Node:
        node = self.parse_and(after)
        while self._operator("NOT"):
            self.take()
            node = Bool("NOT", (node, self.parse_and(after="NOT")))
        return node

    def parse_and(self, after: str | None = None) -> Node:
        children: list[Node] = []
        while True:
            token = self.peek()
            if token is None or token[0] == "close" or self._operator("OR") or (
                    self._operator("NOT") and children):
                break
            if self._operator("AND"):
                if not children:
                    raise SearchSyntaxError(
                        "AND needs a word on each side, e.g. `dang AND uy`.")
                self.take()
                self.plain = False
                children.append(self.parse_primary(after="AND"))
                continue
            children.append(self.parse_primary(after))
        if not children:
            if after is None and self._operator("NOT"):
                raise SearchSyntaxError(
                    "NOT needs a word before it, as in `tay son NOT quan`: FTS5 has no "
                    "leading NOT.")
            if after is None:
                raise SearchSyntaxError("Empty parentheses: put words inside them.")
            raise SearchSyntaxError(
                f"{after} needs a word on each side, e.g. `dang {after} uy`.")
        return children[0] if len(children) == 1 else Bool("AND", tuple(children))

    def _operator(self, name: str) -> bool:
        token = self.peek()
        return token is not None and token == ("word", name)

    def parse_primary(self, after: str | None = None) -> Node:
        token = self.peek()
        if token is None or token[0] == "close":
            if after and after.endswith(":"):
                raise SearchSyntaxError(
                    f"Put the words right after `{after}`, e.g. `{after}tây sơn`.")
            if after:
                raise SearchSyntaxError(
                    f"{after} needs a word on each side, e.g. `dang {after} uy`.")
            raise SearchSyntaxError("Empty parentheses: put words inside them.")
        kind, value = self.take()
        if kind == "open":
            self.plain = False
            node = self.parse_or()
            if self.peek() is None or self.peek()[0] != "close":  # type: ignore[index]
                raise SearchSyntaxError("A '(' is never closed: add a ')'.")
            self.take()
            return node
        if kind == "near":
            self.plain = False
            return self.parse_near()
        if kind == "column":
            self.plain = False
            columns = tuple(c for c in re.split(r"[\s{}:]+", value) if c)
            unknown = [c for c in columns if c not in _COLUMN_NAMES]
            if unknown:
                raise SearchSyntaxError(
                    f"Unknown column {unknown[0]!r}: you can search `title:` or `body:`.")
            return Column(columns, self.parse_primary(after=value.strip()))
        return self.phrase(kind, value)

    def phrase(self, kind: str, value: str) -> Node:
        if kind == "quote":
            self.plain = False
            if len(value) < 2 or not value.endswith('"'):
                raise SearchSyntaxError(
                    'A quote is never closed: add the closing " (quotes mark a phrase).')
            inner, prefix = value[1:-1].replace('""', '"'), False
            rest = self.peek()
            if rest == ("word", "*"):
                self.take()
                prefix = True
            return self._words(inner, prefix=prefix, initial=False, original=value)
        initial = value.startswith("^")
        prefix = value.endswith("*")
        if initial or prefix:
            self.plain = False
        if value == "NOT":
            raise SearchSyntaxError(
                "NOT needs a word before it, as in `tay son NOT quan`: FTS5 has no leading NOT.")
        if value in {"AND", "OR"}:
            raise SearchSyntaxError(f"{value} needs a word on each side, e.g. `dang {value} uy`.")
        return self._words(value.strip("^*"), prefix=prefix, initial=initial, original=value)

    def _words(self, text: str, *, prefix: bool, initial: bool, original: str) -> Node:
        words = tuple(_WORD.findall(nfc(text)))
        if not words:
            # Punctuation alone ("-", "…") cannot match anything in an index of words.
            raise _Skip(original)
        return Phrase(words, prefix=prefix, initial=initial)

    def parse_near(self) -> Node:
        phrases: list[Phrase] = []
        distance: int | None = None
        while True:
            token = self.peek()
            if token is None:
                raise SearchSyntaxError("NEAR( is never closed: write `NEAR(tay son, 5)`.")
            kind, value = self.take()
            if kind == "close":
                break
            if kind == "word" and value.startswith(","):
                number = value.lstrip(",").strip()
                if not number and self.peek() and self.peek()[0] == "word":  # type: ignore[index]
                    number = self.take()[1]
                if not number.isdigit():
                    raise SearchSyntaxError(
                        "NEAR takes a distance in words after a comma: `NEAR(tay son, 5)`.")
                distance = int(number)
                continue
            if kind == "word" and "," in value.strip(","):
                # "son,5": a word and the distance with no space between them.
                head, _, tail = value.partition(",")
                self.tokens[self.index - 1: self.index] = [("word", head + ","), ("word", tail)]
                self.index -= 1
                continue
            if kind not in {"word", "quote"}:
                raise SearchSyntaxError("NEAR( holds only words and phrases: `NEAR(a b, 5)`.")
            trailing_comma = kind == "word" and value.endswith(",") and len(value) > 1
            try:
                node = self.phrase(kind, value.rstrip(",") if trailing_comma else value)
            except _Skip:
                continue
            assert isinstance(node, Phrase)
            phrases.append(node)
            if trailing_comma:
                number = self.take()[1] if self.peek() else ""
                if not number.isdigit():
                    raise SearchSyntaxError(
                        "NEAR takes a distance in words after a comma: `NEAR(tay son, 5)`.")
                distance = int(number)
        if len(phrases) < 2:
            raise SearchSyntaxError("NEAR needs at least two words: `NEAR(tay son, 5)`.")
        return Near(tuple(phrases), distance)


class _Skip(Exception):
    """A token made only of punctuation: dropped from the query."""


def _drop_punctuation(parser: _Parser) -> None:
    """Drop words made only of punctuation ("-", "…"): an index of words cannot match them.
    Kept: the ``*`` after a phrase and the ``, 5`` distance inside NEAR( )."""
    kept: list[tuple[str, str]] = []
    in_near = False
    for kind, value in parser.tokens:
        in_near = kind == "near" or (in_near and kind != "close")
        if kind == "word" and not _WORD.search(value):
            after_phrase = value == "*" and kept and kept[-1][0] == "quote"
            if not (after_phrase or (in_near and value.startswith(","))):
                continue
        kept.append((kind, value))
    parser.tokens = kept


def parse_query(text: str) -> ParsedQuery | None:
    """Parse a query; ``None`` when it holds no words at all."""
    text = nfc(text or "")
    if text.count('"') % 2:
        raise SearchSyntaxError(
            'A quote is never closed: add the closing " (quotes mark a phrase).')
    parser = _Parser(text)
    _drop_punctuation(parser)
    try:
        tree = parser.parse()
    except _Skip:  # pragma: no cover - punctuation is dropped before parsing
        tree = None
    if tree is None:
        return None
    return ParsedQuery(text=text, tree=tree, plain=parser.plain)


# -- rendering FTS5 ------------------------------------------------------------------------------


def _quote(words: list[str], prefix: bool, initial: bool) -> str:
    return ("^" if initial else "") + '"' + " ".join(words) + '"' + ("*" if prefix else "")


def _in_columns(expression: str, exact: bool, restrict: tuple[str, ...] | None) -> str:
    """Restrict to title:/body: when the user asked. Otherwise no column filter is needed:
    folded words never look like digit spellings, and a plain word found in an exact column
    is an unmarked occurrence the folded column holds too. That keeps the expression valid
    for every index built the same way (articles_search, sites_search)."""
    if not restrict:
        return expression
    names = EXACT_COLUMNS if exact else FOLDED_COLUMNS
    return "{" + " ".join(names[_COLUMN_NAMES[c]] for c in restrict) + "} : " + expression


def _folded(word: str) -> str:
    return fold_marks(word).lower()


def _any_of(alternatives: list[str]) -> str:
    return alternatives[0] if len(alternatives) == 1 else "(" + " OR ".join(alternatives) + ")"


def _exact_forms(word: str) -> list[str]:
    return [exact_spelling(v).lower() for v in _tone_variants(word)]


def _render_phrase(phrase: Phrase, restrict: tuple[str, ...] | None, combined: bool) -> str:
    folded = _in_columns(_quote([_folded(w) for w in phrase.words], phrase.prefix,
                                phrase.initial), False, restrict)
    marked = [w for w in phrase.words if _has_marks(w)]
    if not combined or not marked:
        return folded
    if len(marked) == len([w for w in phrase.words if not w.isdigit()]):
        # Every word carries its marks: the phrase itself is looked up in the exact columns,
        # once per tone placement of its words (hoà / hòa).
        spellings = [_exact_forms(w) if _has_marks(w) else [w.lower()] for w in phrase.words]
        return _in_columns(_any_of([_quote(list(c), phrase.prefix, phrase.initial)
                                    for c in product(*spellings)]), True, restrict)
    # Some words typed with marks, some without: the phrase in the folded columns, and each
    # marked word in the exact columns.
    exact_words = []
    for index, word in enumerate(phrase.words):
        if _has_marks(word):
            last = index == len(phrase.words) - 1
            exact_words.append(_in_columns(_any_of(
                [_quote([form], phrase.prefix and last, False) for form in _exact_forms(word)]),
                True, restrict))
    return "(" + " AND ".join([folded, *exact_words]) + ")"


def _render(node: Node, restrict: tuple[str, ...] | None, combined: bool) -> str:
    if isinstance(node, Phrase):
        return _render_phrase(node, restrict, combined)
    if isinstance(node, Column):
        return _render(node.child, node.columns, combined)
    if isinstance(node, Near):
        inner = " ".join(_quote([_folded(w) for w in p.words], p.prefix, False)
                         for p in node.phrases)
        distance = f", {node.distance}" if node.distance is not None else ""
        near = _in_columns(f"NEAR({inner}{distance})", False, restrict)
        marked = [Phrase((w,)) for p in node.phrases for w in p.words if _has_marks(w)]
        if not combined or not marked:
            return near
        # NEAR works on the folded words; the marks typed are then required as well.
        exact = [_render_phrase(p, restrict, combined) for p in marked]
        return "(" + " AND ".join([near, *exact]) + ")"
    rendered = [_render(child, restrict, combined) for child in node.children]
    return "(" + f" {node.operator} ".join(rendered) + ")"


@lru_cache(maxsize=512)
def _cached_parse(text: str) -> ParsedQuery | None:
    return parse_query(text)


def fts_query(query: str | ParsedQuery | None, *, combined: bool = True) -> str | None:
    """The FTS5 MATCH expression for a query, or ``None`` when it holds no words.

    ``combined=True`` targets the search index with folded and exact columns;
    ``combined=False`` a plain folded index (title, body) such as ``articles_fts``.
    Raises SearchSyntaxError on a malformed query.
    """
    parsed = _cached_parse(query) if isinstance(query, str) else query
    if parsed is None:
        return None
    return _render(parsed.tree, None, combined)


def phrase_query(query: str | ParsedQuery, *, combined: bool = True) -> str | None:
    """For a plain query of several words, the same words as one phrase (ranked first)."""
    parsed = _cached_parse(query) if isinstance(query, str) else query
    if parsed is None or not parsed.plain or len(parsed.words) < 2:
        return None
    return _render(Phrase(tuple(parsed.words)), None, combined)


def as_plain_words(query: str) -> ParsedQuery | None:
    """Every word of the query, operators and quotes read as ordinary words."""
    words = _WORD.findall(nfc(query or ""))
    if not words:
        return None
    phrases = tuple(Phrase((w,)) for w in words)
    tree: Node = phrases[0] if len(phrases) == 1 else Bool("AND", phrases)
    return ParsedQuery(text=" ".join(words), tree=tree, plain=True)


def lenient_fts_query(query: str, *, combined: bool = True) -> str:
    """Like fts_query but never raises: a malformed query is searched as its plain words."""
    try:
        rendered = fts_query(query, combined=combined)
    except SearchSyntaxError:
        rendered = fts_query(as_plain_words(query), combined=combined)
    # An empty phrase is valid FTS5 and matches nothing, which is what an empty query finds.
    return rendered or '""'


# -- snippets ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Term:
    words: tuple[str, ...]  # compared forms: exact (tone-normalised) or folded
    folded: tuple[str, ...]  # every word folded: the cheap first filter
    exact: tuple[bool, ...]
    prefix: bool


def _terms(parsed: ParsedQuery) -> list[_Term]:
    terms = []
    for phrase in _phrases(parsed.tree):
        exact = tuple(_has_marks(w) for w in phrase.words)
        forms = tuple(normalize_tone_placement(w).lower() if e else _folded(w)
                      for w, e in zip(phrase.words, exact, strict=True))
        terms.append(_Term(forms, tuple(_folded(w) for w in phrase.words), exact,
                           phrase.prefix))
    return terms


# Latin letters with marks (Vietnamese and the rest of Latin Extended), one code point each.
_LATIN_WITH_MARKS = (range(0xC0, 0x250), range(0x1E00, 0x1F00))


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    """Each precomposed Latin letter → fold_marks of it, for str.translate."""
    table = {}
    for block in _LATIN_WITH_MARKS:
        for code in block:
            folded = fold_marks(chr(code))
            if len(folded) == 1 and folded != chr(code):
                table[code] = folded
    return table


def _fold_letters(text: str) -> str:
    """fold_marks(text), letter for letter. A snippet folds the whole article; fold_marks
    decomposes it and filters it character by character in Python (2-3 ms for 3 KB, most of
    the time of a page of results), translate does it in C. Any character the table leaves
    that fold_marks would change (a combining mark, a letter of another script) sends the
    text through fold_marks itself."""
    folded = text.translate(_fold_table())
    if any(not c.isascii() and fold_marks(c) != c for c in set(folded)):
        return fold_marks(text)
    return folded


class _TokenForms:
    """Every token's folded form (from one fold of the whole text), and exact forms on
    demand, only for tokens whose folded form already matches."""

    def __init__(self, text: str, tokens: list[re.Match[str]]):
        self.tokens = tokens
        folded_text = _fold_letters(text)
        if len(folded_text) == len(text):  # true for Vietnamese: one letter, one letter
            self.folded = [folded_text[m.start():m.end()].lower() for m in tokens]
        else:
            self.folded = [_folded(m.group()) for m in tokens]
        self._exact: dict[int, str] = {}
        self.positions: dict[str, list[int]] = {}
        for index, form in enumerate(self.folded):
            self.positions.setdefault(form, []).append(index)

    def starts(self, term: _Term) -> list[int]:
        """Token indexes where the term's first word may start (by folded form)."""
        if term.prefix and len(term.words) == 1:
            return sorted(i for form, where in self.positions.items()
                          if form.startswith(term.folded[0]) for i in where)
        return self.positions.get(term.folded[0], [])

    def matches(self, index: int, term: _Term, position: int) -> bool:
        if index >= len(self.tokens):
            return False
        prefix = term.prefix and position == len(term.words) - 1
        folded = self.folded[index]
        wanted = term.folded[position]
        if not (folded.startswith(wanted) if prefix else folded == wanted):
            return False
        if not term.exact[position]:
            return True
        form = self._exact.get(index)
        if form is None:
            form = normalize_tone_placement(self.tokens[index].group()).lower()
            self._exact[index] = form
        word = term.words[position]
        return form.startswith(word) if prefix else form == word


class _TermFinder:
    """Finds a term's matches by a regular expression over the original text, each folded
    letter of the query standing for every letter that folds to it (``a`` for ``aàáảãạăâ…``
    in either case). Run in C, it spares folding the whole text and comparing each of its ~500
    tokens in Python (~0.5 ms for a 3 KB article, ten milliseconds for a page of results)."""

    def __init__(self, text: str, tokens: list[re.Match[str]]):
        self.text = text
        self.tokens = tokens

    @staticmethod
    def handles(term: _Term) -> bool:
        """Whether every folded word is plain ASCII letters and digits (a query typed in any
        Latin script); other words go through _TokenForms."""
        return all(word.isascii() and word.isalnum() for word in term.folded)

    def starts(self, term: _Term) -> list[int]:
        """Index of the first token of every match of the term, in text order."""
        last = len(term.folded) - 1
        found = []
        for match in _term_pattern(term.folded, term.prefix).finditer(self.text):
            if any(term.exact):
                end = match.end("rest") if last else match.end()
                words = _WORD.findall(self.text, match.start(), end)
                if not all(self._exact(words[i], term, i, i == last) for i in range(last + 1)
                           if term.exact[i]):
                    continue
            found.append(bisect_left(self.tokens, match.start(), key=re.Match.start))
        return found

    @staticmethod
    def _exact(word: str, term: _Term, position: int, last: bool) -> bool:
        form = normalize_tone_placement(word).lower()
        wanted = term.words[position]
        return form.startswith(wanted) if term.prefix and last else form == wanted


_TOKEN_CHAR = r"[^\W_]"


@lru_cache(maxsize=1)
def _letter_classes() -> dict[str, str]:
    """Each ASCII letter and digit → a regex class of every character that folds to it
    (fold_marks, then lower case, as _TokenForms compares). Past U+3000 nothing folds to
    ASCII."""
    members: dict[str, list[str]] = {c: [] for c in "abcdefghijklmnopqrstuvwxyz0123456789"}
    for code in range(0x3000):
        folded = fold_marks(chr(code)).lower()
        if folded in members:
            members[folded].append(chr(code))
    return {letter: "[" + re.escape("".join(chars)) + "]" for letter, chars in members.items()}


@lru_cache(maxsize=256)
def _term_pattern(words: tuple[str, ...], prefix: bool) -> re.Pattern[str]:
    """Consecutive tokens that fold to ``words`` (the last one only starting so when
    ``prefix``). The match itself is the first word: a phrase can overlap itself ("a a" in
    "a a a"), so the rest is a lookahead (group ``rest``) and the next search starts after the
    first word."""
    classes = _letter_classes()

    def letters(word: str) -> str:
        return "".join(classes[letter] for letter in word)

    rest = "".join(r"[\W_]+" + letters(word) for word in words[1:])
    end = f"{_TOKEN_CHAR}*" if prefix else f"(?!{_TOKEN_CHAR})"
    # The first letter's class leads, so the engine scans for it in C before trying anything
    # else (3x faster than a leading lookbehind); the lookbehind after it checks that the
    # character before that letter does not continue a token.
    return re.compile(f"{classes[words[0][0]]}(?<!{_TOKEN_CHAR}.){letters(words[0][1:])}"
                      + (f"(?=(?P<rest>{rest}{end}))" if len(words) > 1 else end))


def snippet_text(text: str | None, query: str, *, words_around: int = 18) -> str:
    """The same window as snippet_html, as plain text (for feeds, CSV, JSON)."""
    return _snippet(text, query, words_around=words_around, html=False)


def snippet_html(text: str | None, query: str, *, words_around: int = 18) -> str:
    """A window of the original text around the best match, HTML-escaped, matches in <mark>.

    Built from the stored text itself, so it shows the article's own marks (the folded index
    cannot); whatever the text contains, only our <mark> tags are markup.
    """
    return _snippet(text, query, words_around=words_around, html=True)


def _snippet(text: str | None, query: str, *, words_around: int, html: bool) -> str:
    def esc(value: str) -> str:
        return escape(value) if html else value

    text = text or ""
    try:
        parsed = parse_query(query)
    except SearchSyntaxError:
        parsed = as_plain_words(query)
    tokens = list(_WORD.finditer(text))
    if not tokens:
        return esc(text[: words_around * 8])
    hits: list[tuple[int, int, int]] = []  # (first token, last token, term) of each match
    terms = _terms(parsed) if parsed is not None else []
    phrase_number = -1
    if parsed is not None and parsed.plain and len(parsed.words) > 1:
        # Words typed together are best shown where they stand together.
        phrase_number = len(terms)
        terms += _terms(ParsedQuery(parsed.text, Phrase(tuple(parsed.words)), plain=False))
    if terms:
        finder = _TermFinder(text, tokens)
        forms: _TokenForms | None = None  # made only for a term the finder cannot handle
        for number, term in enumerate(terms):
            size = len(term.words)
            if finder.handles(term):
                hits.extend((start, start + size - 1, number) for start in finder.starts(term))
                continue
            forms = forms or _TokenForms(text, tokens)
            for start in forms.starts(term):
                if all(forms.matches(start + i, term, i) for i in range(size)):
                    hits.append((start, start + size - 1, number))
    span = words_around * 2
    if hits:
        # The window showing the most different query words wins, then the most matches,
        # then the earliest: "Đảng ủy phường Tây Sơn" beats a run of "Thành ủy".
        best_start, best_score = 0, (-1, -1, -1)
        for first, _, _ in hits:
            begin = max(0, first - words_around // 3)
            inside = [h for h in hits if h[0] >= begin and h[1] < begin + span]
            score = (sum(h[2] == phrase_number for h in inside),
                     len({h[2] for h in inside}), len(inside))
            if score > best_score:
                best_start, best_score = begin, score
        window = (best_start, min(len(tokens) - 1, best_start + span))
    else:
        window = (0, min(len(tokens) - 1, span))
    begin_char = tokens[window[0]].start()
    end_char = tokens[window[1]].end()
    marked: list[tuple[int, int]] = []
    for start, end in sorted({(tokens[f].start(), tokens[last].end()) for f, last, _ in hits
                              if f >= window[0] and last <= window[1]}):
        # One <mark> per run of matched words ("Đảng ủy", not "Đảng" + "ủy").
        if marked and (start <= marked[-1][1] or not text[marked[-1][1]:start].strip()):
            marked[-1] = (marked[-1][0], max(end, marked[-1][1]))
        else:
            marked.append((start, end))
    pieces = ["…" if begin_char > 0 else ""]
    position = begin_char
    for start, end in marked:
        pieces.append(esc(text[position:start]))
        pieces.append(f"<mark>{esc(text[start:end])}</mark>" if html else text[start:end])
        position = end
    pieces.append(esc(text[position:end_char]))
    pieces.append("…" if end_char < len(text) else "")
    return "".join(pieces)
