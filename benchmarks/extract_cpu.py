"""CPU time per page of `pipelines.extract.extract` alone, in one process (issue 6).

    .venv/bin/python benchmarks/extract_cpu.py                        # synthetic, fixtures, eval
    .venv/bin/python benchmarks/extract_cpu.py --sets synthetic --pages 300
    .venv/bin/python benchmarks/extract_cpu.py --sets synthetic --profile   # cProfile top 30
    .venv/bin/python benchmarks/extract_cpu.py --dump /tmp/golden.jsonl     # every result
    .venv/bin/python benchmarks/extract_cpu.py --sets eval --every 4 --repeat 3  # quick, steadier

Three sets of pages: ``synthetic`` (article pages of benchmarks/synthetic_portal.py, built as
benchmarks/throughput.py builds them for its pure-extraction step), ``fixtures`` (the reviewed
municipal pages in tests/fixtures) and ``eval`` (the shared evaluation sets, /work/shared/eval).
Each set is extracted twice: the first pass pays the one-time costs (imports, trafilatura's
stoplists, dateparser's locale tables) and gives the results ``--dump`` writes; the second is
timed with time.process_time, which the other processes on a shared machine do not disturb
much; ``--repeat N`` times N passes and keeps the fastest, the figure least disturbed. Under
heavy load CPU time per page still rises (shared caches, clock): compare two versions measured
in the same minutes, not against a figure taken another day.

``--dump`` writes one JSON line per page (the set, the page, and the result as ``muni extract``
serializes it, plus the text blocks the boilerplate learner sees), so that a change meant to
save time can be proven to change no output: dump before, dump after, ``cmp`` the two files.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# Appended, not prepended: benchmarks/incremental.py must not shadow the `incremental` package.
sys.path.append(str(ROOT / "benchmarks"))

from synthetic_portal import Portal  # noqa: E402

from pipelines.extract import Article, NoArticle, extract  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "municipal"
EVAL = Path("/work/shared/eval")
EVAL_SETS = ("aeb", "fundus", "trafilatura", "htmldate")
SETS = ("synthetic", "fixtures", "eval")
SYNTHETIC_BASE = "http://127.0.0.1:8100"  # where throughput.py's portal would be served
UTF8 = {"Content-Type": "text/html; charset=utf-8"}


@dataclass(frozen=True)
class Page:
    name: str
    data: bytes = field(repr=False)
    url: str | None
    headers: dict[str, str] | None = None
    language: str | None = None


def synthetic_pages(pages: int, seed: int) -> list[Page]:
    """Every article page of a ``pages``-article portal (step (a) of throughput.py, whole)."""
    portal = Portal(pages, seed)
    return [Page(f"article-{n}", portal.article(n).encode(), SYNTHETIC_BASE + portal.meta(n).path,
                 UTF8) for n in range(1, pages + 1)]


def fixture_pages() -> list[Page]:
    """The reviewed municipal pages, with the URL and headers their expectations give."""
    found = []
    for html in sorted(FIXTURES.glob("*.html")):
        gold = json.loads(html.with_suffix(".json").read_text(encoding="utf-8"))
        found.append(Page(html.name, html.read_bytes(), gold.get("url"), gold.get("headers")))
    return found


def eval_pages() -> list[Page]:
    """The shared evaluation pages, as `muni extract --manifest` reads them (no headers)."""
    found = []
    for name in EVAL_SETS:
        manifest = EVAL / name / "gold.jsonl"
        if not manifest.is_file():
            continue
        for line in manifest.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                found.append(Page(f"{name}/{row['path']}", (EVAL / name / row["path"]).read_bytes(),
                                  row.get("url")))
    return found


def run(page: Page) -> Article | NoArticle:
    return extract(page.data, page.url, headers=page.headers, language=page.language)


def record(set_name: str, page: Page, result: Article | NoArticle) -> dict[str, Any]:
    fields = result.as_json()
    if isinstance(result, Article):
        fields["text_blocks"] = list(result.text_blocks)
    return {"set": set_name, "page": page.name, **fields}


def measure(pages: list[Page]) -> float:
    """CPU seconds of one pass over the pages."""
    started = time.process_time()
    for page in pages:
        run(page)
    return time.process_time() - started


def profile(pages: list[Page], top: int) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for page in pages:
        run(page)
    profiler.disable()
    for order in ("cumulative", "tottime"):
        print(f"\n--- cProfile, top {top} by {order} ---")
        pstats.Stats(profiler, stream=sys.stdout).sort_stats(order).print_stats(top)


def load(name: str, args: argparse.Namespace) -> list[Page]:
    if name == "synthetic":
        return synthetic_pages(args.pages, args.seed)
    if name == "fixtures":
        return fixture_pages()
    return eval_pages()


def _results(sets: dict[str, list[Page]]) -> Iterator[dict[str, Any]]:
    for set_name, pages in sets.items():
        for page in pages:
            yield record(set_name, page, run(page))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", nargs="+", choices=SETS, default=list(SETS))
    parser.add_argument("--pages", type=int, default=200, help="synthetic article pages")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--profile", action="store_true",
                        help="also print a cProfile top 30 (cumulative, tottime) per set")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=1, help="timed passes; the fastest counts")
    parser.add_argument("--every", type=int, default=1,
                        help="only every Nth page of each set, for a quick comparison")
    parser.add_argument("--dump", type=Path, help="write every result here, one JSON line each")
    args = parser.parse_args()

    sets = {name: load(name, args)[::max(1, args.every)] for name in args.sets}
    # The warm-up pass; with --dump its results are the ones written.
    if args.dump:
        with args.dump.open("w", encoding="utf-8") as out:
            for row in _results(sets):
                out.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
    else:
        for _ in _results(sets):
            pass
    print(f"{'set':<12}{'pages':>7}{'KB/page':>9}{'CPU ms/page':>13}")
    for name, pages in sets.items():
        seconds = min(measure(pages) for _ in range(max(1, args.repeat)))
        size = sum(len(p.data) for p in pages) / max(len(pages), 1) / 1024
        print(f"{name:<12}{len(pages):>7}{size:>9.1f}{seconds * 1000 / max(len(pages), 1):>13.2f}",
              flush=True)
    if args.profile:
        for name, pages in sets.items():
            print(f"\n=== {name} ===")
            profile(pages, args.top)


if __name__ == "__main__":
    main()
