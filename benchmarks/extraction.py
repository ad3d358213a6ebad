"""Extraction quality and speed: ours (`muni extract --manifest`) against plain trafilatura on
every evaluation set, scored by the shared scorer.

    .venv/bin/python benchmarks/extraction.py                   # all sets
    .venv/bin/python benchmarks/extraction.py --sets fundus aeb
    .venv/bin/python benchmarks/extraction.py --check           # exit 1 below a floor

Predictions are written to benchmarks/out/<set>.{ours,baseline}.jsonl so a regression can be
diffed page by page. Timing is CPU time in this process, the two extractors taking turns page
by page (the machine is shared), both reading the same bytes from disk, in a second pass over
the set: the first pass warms both up (see _run).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import trafilatura

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.cli.extract_cmd import page_record  # noqa: E402 — after the path fix above

EVAL = (ROOT.parent / "shared" / "eval") if (ROOT.parent / "shared" / "eval").is_dir() else \
    Path("/work/shared/eval")
OUT = ROOT / "benchmarks" / "out"
SETS = ("aeb", "fundus", "trafilatura", "htmldate")
METRICS = ("body_f1", "snippet_f1", "title", "author", "date", "coverage")
# Issue 3's floors on the development sets (beyond beating the baseline on every metric).
FLOORS: dict[str, dict[str, float]] = {
    "fundus": {"title": 0.90, "author": 0.90, "date": 0.98},
    "trafilatura": {"author": 0.80, "date": 0.93},
    "htmldate": {"date": 0.94},
    "aeb": {"body_f1": 0.96},
}


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("eval_score", EVAL / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _gold(name: str) -> list[dict[str, Any]]:
    with (EVAL / name / "gold.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _baseline_row(manifest_dir: Path, page: dict[str, Any]) -> dict[str, Any]:
    """The logic of shared/eval/baseline_trafilatura.py, one page."""
    html = (manifest_dir / page["path"]).read_bytes()
    doc = trafilatura.bare_extraction(html, url=page.get("url"), with_metadata=True)
    doc = doc.as_dict() if doc is not None and hasattr(doc, "as_dict") else (doc or {})
    return {"path": page["path"], "url": page.get("url"), "title": doc.get("title"),
            "author": doc.get("author"), "published": doc.get("date"), "body": doc.get("text")}


def _run(name: str, gold: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], float,
                                                        list[dict[str, Any]], float]:
    """Both extractors over one set, page by page in turn, so that a busy machine slows both
    alike; time is this process's CPU time, not wall-clock. A first, untimed pass gives the
    predictions and pays the one-time costs (trafilatura's justext stoplists, dateparser's
    locale tables, compiled patterns) that would otherwise be billed to whichever extractor
    meets a language first; the second pass measures the steady per-page cost a crawl sees."""
    manifest_dir = EVAL / name
    ours, base = [], []
    for page in gold:
        ours.append(page_record(page["path"], manifest_dir / page["path"], page.get("url"),
                                "Asia/Ho_Chi_Minh", None))
        base.append(_baseline_row(manifest_dir, page))
    ours_s = base_s = 0.0
    for page in gold:
        started = time.process_time()
        page_record(page["path"], manifest_dir / page["path"], page.get("url"),
                    "Asia/Ho_Chi_Minh", None)
        middle = time.process_time()
        _baseline_row(manifest_dir, page)
        ours_s += middle - started
        base_s += time.process_time() - middle
    OUT.mkdir(parents=True, exist_ok=True)
    for side, rows in (("ours", ours), ("baseline", base)):
        with (OUT / f"{name}.{side}.jsonl").open("w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return ours, ours_s, base, base_s


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", nargs="+", default=list(SETS), choices=SETS)
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if a floor is missed or the baseline is not beaten")
    args = parser.parse_args()
    score = _scorer().score
    failures: list[str] = []
    print(f"{'set':<12}{'metric':<12}{'ours':>8}{'baseline':>10}")
    for name in args.sets:
        gold = _gold(name)
        ours, ours_s, base, base_s = _run(name, gold)
        ours_score = score(gold, {r["path"]: r for r in ours})
        base_score = score(gold, {r["path"]: r for r in base})
        for metric in METRICS:
            if metric not in ours_score and metric not in base_score:
                continue
            mine, theirs = ours_score.get(metric, 0.0), base_score.get(metric, 0.0)
            floor = FLOORS.get(name, {}).get(metric)
            mark = ""
            if metric != "coverage" and mine < theirs:
                mark = "  < baseline"
                failures.append(f"{name} {metric} {mine} < baseline {theirs}")
            if floor is not None and mine < floor:
                mark += f"  < floor {floor}"
                failures.append(f"{name} {metric} {mine} < floor {floor}")
            print(f"{name:<12}{metric:<12}{mine:>8.4f}{theirs:>10.4f}{mark}")
        no_article = sum(1 for r in ours if r.get("no_article"))
        print(f"{name:<12}{'pages/s':<12}{len(gold) / ours_s:>8.1f}{len(gold) / base_s:>10.1f}"
              f"  (CPU time ratio {ours_s / base_s:.2f}x; {no_article} pages said no article)")
    if failures:
        print("\n".join(["", "short of target:", *failures]))
    return 1 if (args.check and failures) else 0


if __name__ == "__main__":
    sys.exit(main())
