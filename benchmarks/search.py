"""Search speed on a synthetic archive (issue 4): index build rate, index size against raw text,
and search latency through Datasette's HTTP API served by the real `muni serve`.

    .venv/bin/python benchmarks/search.py                        # 1,000,000 articles
    .venv/bin/python benchmarks/search.py --articles 100000 --queries 300
    .venv/bin/python benchmarks/search.py --reuse benchmarks/out/search-1000000

Articles (~3 KB of Vietnamese-like text each, built from the syllables of the bundled demo
portals with a Zipf-like frequency, many sites and provinces, realistic dates, some with no
date or author) are stored with ArchiveDB.store_article, so every trigger and index of a real
archive is paid for. Queries are drawn from the generated text — with and without marks, one
to four syllables — and timed over HTTP on 127.0.0.1, each endpoint once as warm-up first.
Targets: p95 ≤ 50 ms for a two-syllable folded query, ≤ 200 ms with facets. "ranked" is the
journalist's search API (archive/ranking.py: bm25 while affordable, else headline then newest —
the figures say how each query's first result was ordered); "table" is Datasette's generic
table search, which counts and sorts every match.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from itertools import accumulate
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import archive.schema_search  # noqa: E402,F401 — registers the search migration
from archive.db import ArchiveDB, ArticleRecord  # noqa: E402
from archive.text import fold_marks  # noqa: E402

OUT = ROOT / "benchmarks" / "out"
WORD = re.compile(r"[^\W\d_]+")
BATCH = 2000


_ONSET = re.compile(r"^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?(.+)$")


def vocabulary(size: int = 7000) -> tuple[list[str], list[float]]:
    """Syllables of the bundled demo portals' text, most frequent first, then a long tail of
    rarer syllables recombined from their onsets and rhymes (Vietnamese uses ~7,000), with
    Zipf weights: a few syllables everywhere, most of them rare, as in real text."""
    counts: Counter[str] = Counter()
    sources = [*(ROOT / "crawler/demo").rglob("*.toml"), *(ROOT / "crawler/demo").rglob("*.html"),
               ROOT / "tests/publish/seed_article.txt"]
    for path in sources:
        text = re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8", errors="ignore"))
        counts.update(w.lower() for w in WORD.findall(text) if len(w) <= 7)
    words = [w for w, _ in counts.most_common()]
    parts = [m.groups() for m in map(_ONSET.match, words) if m]
    onsets = sorted({o or "" for o, _ in parts})
    rhymes = sorted({r for _, r in parts})
    rng = random.Random(7)
    known = set(words)
    while len(words) < size:
        syllable = rng.choice(onsets) + rng.choice(rhymes)
        if syllable not in known:
            known.add(syllable)
            words.append(syllable)
    weights = [1 / (rank + 3) for rank in range(len(words))]
    return words, weights


# Real news text is topical: a few hundred function syllables (của, và, các, năm …) run through
# every article, while a content syllable clusters in the articles on its subject. Drawing every
# word from one global Zipf list instead makes a random two-syllable query match most of the
# archive, which no real archive does.
FUNCTION_SYLLABLES = 150
TOPICS = 400
TOPIC_SIZE = 250
FUNCTION_SHARE = 0.45


def zipf_cumulative(size: int) -> list[float]:
    """Cumulative Zipf weights, computed once: random.choices with plain weights re-adds
    them on every call, which made generating text the slowest part of the build."""
    return list(accumulate(1 / (rank + 3) for rank in range(size)))


class Generator:
    def __init__(self, seed: int, sites: int):
        self.random = random.Random(seed)
        self.words, _ = vocabulary()
        self.function_words = self.words[:FUNCTION_SYLLABLES]
        self.function_cumulative = zipf_cumulative(FUNCTION_SYLLABLES)
        content = self.words[FUNCTION_SYLLABLES:]
        content_cumulative = zipf_cumulative(len(content))
        # Each topic draws its syllables from the content vocabulary by their global Zipf
        # weight, so common content syllables belong to many topics and rare ones to few.
        self.topics = [self.random.choices(content, cum_weights=content_cumulative, k=TOPIC_SIZE)
                       for _ in range(TOPICS)]
        self.topic_cumulative = zipf_cumulative(TOPIC_SIZE)
        provinces = [f"Tỉnh {self._name(2)}" for _ in range(34)]
        self.sites = []
        for number in range(sites):
            ward = self._name(2)
            self.sites.append({
                "id": f"site{number:04d}", "name": f"Cổng thông tin điện tử phường {ward}",
                "base_url": f"http://site{number:04d}.bench.invalid/",
                "ward": f"Phường {ward}", "city": f"Thành phố {self._name(2)}",
                "province": self.random.choice(provinces), "country": "VN", "language": "vi",
            })
        self.authors = [f"{self._name(1)} {self._name(2)}" for _ in range(3000)]

    def _name(self, syllables: int) -> str:
        return " ".join(self.random.choice(self.words[:400]).capitalize()
                        for _ in range(syllables))

    def sentence(self, topics: list[list[str]]) -> str:
        length = self.random.randint(12, 28)
        functions = self.random.choices(self.function_words,
                                        cum_weights=self.function_cumulative, k=length)
        words = []
        for function_word in functions:
            if self.random.random() < FUNCTION_SHARE:
                words.append(function_word)
            else:
                topic = topics[0] if self.random.random() < 0.75 else self.random.choice(topics)
                words.append(self.random.choices(topic, cum_weights=self.topic_cumulative)[0])
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def article(self, number: int) -> ArticleRecord:
        site = self.sites[number % len(self.sites)]
        # A main subject and one or two neighbouring ones.
        topics = self.random.sample(self.topics, self.random.randint(2, 3))
        paragraphs, size = [], 0
        while size < 3000:
            paragraph = " ".join(self.sentence(topics) for _ in range(self.random.randint(2, 5)))
            paragraphs.append(paragraph)
            size += len(paragraph.encode("utf-8"))
        published = None
        if self.random.random() > 0.05:
            day = self.random.randint(0, 3650)
            year, rest = 2015 + day // 365, day % 365
            published = f"{year}-{1 + rest // 31 % 12:02d}-{1 + rest % 28:02d}"
            if self.random.random() < 0.6:
                hour, minute = self.random.randint(7, 17), self.random.randint(0, 59)
                published += f"T{hour:02d}:{minute:02d}+07:00"
        url = f"{site['base_url']}tin-tuc/{number}.html"
        return ArticleRecord(
            url=url, fetched_url=url, site=site["id"], title=self.sentence(topics)[:-1],
            body="\n\n".join(paragraphs), published=published, language="vi",
            author=self.random.choice(self.authors) if self.random.random() > 0.2 else None)


def build(folder: Path, count: int, sites: int, seed: int,
          budget_seconds: float | None = None) -> dict[str, Any]:
    """Store ``count`` articles, or as many as fit in ``budget_seconds`` (whole batches)."""
    generator = Generator(seed, sites)
    archive = ArchiveDB.open(folder)
    raw_bytes = 0
    generate_seconds = 0.0  # making up the text is the benchmark's cost, not the archive's
    started = time.perf_counter()
    try:
        for site in generator.sites:
            archive.upsert_site(site)
        for start in range(0, count, BATCH):
            # One transaction per batch, as a crawl's pipeline commits page by page but
            # without paying an fsync for each of a million synthetic pages.
            with archive.transaction():
                for number in range(start, min(count, start + BATCH)):
                    generating = time.perf_counter()
                    record = generator.article(number)
                    generate_seconds += time.perf_counter() - generating
                    raw_bytes += len(record.body.encode()) + len((record.title or "").encode())
                    archive.store_article(record)
            done = min(count, start + BATCH)
            elapsed = time.perf_counter() - started
            over_budget = budget_seconds is not None and elapsed > budget_seconds
            if done % 20000 == 0 or done == count or over_budget:
                print(f"  {done:>9,} articles stored, {done / elapsed:,.0f}/s", flush=True)
            if over_budget:
                count = done
                break
        elapsed = time.perf_counter() - started
        archive.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        archive.close()
    return {"articles": count, "sites": sites, "build_seconds": round(elapsed, 1),
            "articles_per_second": round(count / elapsed, 1),
            "stored_per_second": round(count / (elapsed - generate_seconds), 1),
            "raw_text_bytes": raw_bytes}


def sizes(db_path: Path) -> dict[str, int]:
    """Bytes per table (dbstat), grouping each FTS table with its shadow tables."""
    import sqlite3

    connection = sqlite3.connect(db_path)
    try:
        rows = connection.execute(
            "select name, sum(pgsize) from dbstat group by name").fetchall()
    finally:
        connection.close()
    grouped: Counter[str] = Counter()
    for name, size in rows:
        for index in ("articles_search", "articles_fts", "sites_search"):
            if name.startswith(index + "_"):
                name = index
        grouped[name] += size
    grouped["file"] = db_path.stat().st_size
    return dict(grouped)


def queries(folder: Path, count: int, seed: int) -> dict[str, list[str]]:
    """Syllable runs taken from stored articles, so every query has matches; a run must start
    with a content syllable, as people search for subjects, not for "của và"."""
    import sqlite3

    rng = random.Random(seed)
    connection = sqlite3.connect(ArchiveDB.resolve(folder))
    try:
        top = connection.execute("select max(id) from articles").fetchone()[0]
        bodies = [connection.execute("select body from articles where id = ?",
                                     [rng.randint(1, top)]).fetchone()[0]
                  for _ in range(count)]
    finally:
        connection.close()
    function_words = set(vocabulary()[0][:FUNCTION_SYLLABLES])
    per_kind: dict[str, list[str]] = {}
    for index, body in enumerate(bodies):
        words = WORD.findall(body)
        length = 1 + index % 4
        starts = [i for i in range(len(words) - length)
                  if words[i].lower() not in function_words] or [0]
        start = rng.choice(starts)
        marked = " ".join(words[start:start + length]).lower()
        per_kind.setdefault(f"{length} syllable(s), with marks", []).append(marked)
        per_kind.setdefault(f"{length} syllable(s), folded", []).append(fold_marks(marked))
    return per_kind


def start_server(folder: Path) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "serve", "--db", str(folder), "--port", "0"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("Serving the archive at "):
            url = line.removeprefix("Serving the archive at ").strip()
            threading.Thread(target=process.stdout.read, daemon=True).start()
            return process, url
    raise SystemExit("muni serve did not start")


# name → (path, parameters, the parameter holding the query)
ENDPOINTS: dict[str, tuple[str, dict[str, Any], str]] = {
    # Datasette's table search (the JSON API every client uses), facets off / on.
    "table": ("/archive/articles.json",
              {"_col": ["title", "published"], "_nofacet": "1"}, "_search"),
    "table+facets": ("/archive/articles.json",
                     {"_col": ["title", "published"], "_facet": ["site", "author"]}, "_search"),
    # The ranked search (canned query): relevance, phrase first, snippets.
    "ranked": ("/archive/search.json", {}, "q"),
    # The search page as a browser gets it: ranked rows, total and six facets.
    "ranked page+facets": ("/archive/search", {}, "q"),
}


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(url: str, per_kind: dict[str, list[str]], endpoints: list[str],
            quiet: bool = False) -> dict[str, Any]:
    results: dict[str, Any] = {}
    with httpx.Client(base_url=url, timeout=60) as client:
        for endpoint in endpoints:
            path, params, key = ENDPOINTS[endpoint]
            client.get(path, params={**params, key: "dang"})  # warm-up
            for kind, texts in per_kind.items():
                timings, failures, matches = [], 0, []
                ranked_by: Counter[str] = Counter()  # how the first result was ordered
                for text in texts:
                    started = time.perf_counter()
                    response = client.get(path, params={**params, key: text})
                    timings.append((time.perf_counter() - started) * 1000)
                    failures += response.status_code != 200
                    if endpoint == "table" and response.status_code == 200:
                        matches.append(response.json()["filtered_table_rows_count"])
                    if endpoint == "ranked" and response.status_code == 200:
                        data = response.json()
                        if data["rows"]:
                            ranked_by[data["rows"][0][data["columns"].index("ranked_by")]] += 1
                row = results[f"{endpoint} | {kind}"] = {
                    "n": len(timings), "failed": failures,
                    "p50_ms": round(statistics.median(timings), 1),
                    "p95_ms": round(percentile(timings, 0.95), 1),
                }
                if matches:
                    row["median_matches"] = int(statistics.median(matches))
                if ranked_by:
                    row["first_result_ranked_by"] = dict(ranked_by)
                if quiet:
                    continue
                print(f"  {endpoint:<20} {kind:<26} p50 {row['p50_ms']:>7} ms  "
                      f"p95 {row['p95_ms']:>7} ms  failed {failures}"
                      + (f"  median matches {row['median_matches']:,}" if matches else "")
                      + (f"  ranked by {dict(ranked_by)}" if ranked_by else ""),
                      flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--build-minutes", type=float,
                        help="stop building after this long (whole batches) and measure "
                             "the archive built so far")
    parser.add_argument("--sites", type=int, default=800)
    parser.add_argument("--queries", type=int, default=400,
                        help="queries drawn from the text, spread over 1-4 syllables")
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--reuse", type=Path, help="measure an archive built earlier")
    parser.add_argument("--warm-up", action="store_true",
                        help="run every query once, untimed, before timing: a server that has "
                             "been up a while has its index in the page cache")
    parser.add_argument("--endpoints", default=",".join(ENDPOINTS),
                        help="which to time, comma-separated (default: all): "
                             + ", ".join(ENDPOINTS))
    args = parser.parse_args()

    folder = args.reuse or OUT / f"search-{args.articles}"
    report: dict[str, Any] = {}
    if args.reuse is None:
        if folder.exists():
            raise SystemExit(f"{folder} exists: pass --reuse {folder}, or delete it")
        print(f"Building {args.articles:,} articles in {folder} …", flush=True)
        report["build"] = build(folder, args.articles, args.sites, args.seed,
                                None if args.build_minutes is None else args.build_minutes * 60)
    db_path = ArchiveDB.resolve(folder)
    report["sizes"] = sizes(db_path)
    raw = report.get("build", {}).get("raw_text_bytes")
    if raw:
        report["index_vs_raw_text"] = {
            name: round(report["sizes"].get(name, 0) / raw, 2)
            for name in ("articles_search", "articles_fts", "articles")}
    per_kind = queries(folder, args.queries, args.seed)
    process, url = start_server(folder)
    try:
        endpoints = [e.strip() for e in args.endpoints.split(",") if e.strip()]
        unknown = set(endpoints) - set(ENDPOINTS)
        if unknown:
            raise SystemExit(f"unknown endpoint(s): {', '.join(sorted(unknown))}")
        if args.warm_up:
            print("Warming up (every query once, untimed) …", flush=True)
            measure(url, per_kind, endpoints, quiet=True)
        report["warm_up"] = args.warm_up
        report["latency"] = measure(url, per_kind, endpoints)
    finally:
        process.terminate()
        process.wait(timeout=30)
    print(json.dumps(report, indent=2, ensure_ascii=False))
    name = f"search-{args.articles}" if args.reuse is None else folder.name
    suffix = "" if args.endpoints == ",".join(ENDPOINTS) else "-" + re.sub(
        r"[^a-z]+", "-", args.endpoints).strip("-")
    suffix += "-warm" if args.warm_up else ""
    (OUT / f"{name}{suffix}.json").write_text(
        json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
