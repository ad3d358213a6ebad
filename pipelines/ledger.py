"""The run ledger: one row per site per crawl, and the drift alarm computed against the site's
recent runs — how a broken template is noticed the morning after."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from statistics import median
from typing import Any

__all__ = ["FILL_FIELDS", "drift_alarms", "site_ledger_row"]

FILL_FIELDS = ("title", "published", "author", "body")
# A fill rate or yield is judged only on enough pages, and only a sharp fall raises the alarm.
MIN_SAMPLE = 5
FILL_DROP = 0.3  # absolute fall of a field's fill rate against the recent median
YIELD_RATIO = 0.5  # this run's article yield below half the recent median


def site_ledger_row(crawl_id: int, site: str, stats: Mapping[str, Any]) -> dict[str, Any]:
    def get(key: str) -> int:
        return int(stats.get(f"muni/site/{site}/{key}", 0) or 0)

    prefix = f"muni/site/{site}/status/"
    statuses = {k.removeprefix(prefix): int(v) for k, v in stats.items() if k.startswith(prefix)}
    articles = get("articles")
    first, last = stats.get(f"muni/site/{site}/first_response"), stats.get(
        f"muni/site/{site}/last_response")
    new_pages = get("new_pages")
    row: dict[str, Any] = {
        "crawl_id": crawl_id, "site": site,
        "status": "ok" if get("responses") or get("not_modified") else "failed",
        "requests": get("requests"), "responses": get("responses"),
        "not_modified": get("not_modified"), "bytes": get("bytes"),
        "new": get("new"), "updated": get("updated"), "unchanged": get("unchanged"),
        "duplicate": get("duplicate"), "gone": get("gone"), "not_articles": get("no_article"),
        "failed_requests": get("failed_requests"),
        "http_status": json.dumps(dict(sorted(statuses.items()))),
        "duration_seconds": round(float(last) - float(first), 3) if first and last else 0.0,
        "articles": articles,
        # Of the pages at URLs never seen before, how many were articles: comparable between a
        # full first run and a nightly run that only meets what is new.
        "article_yield": round(get("new") / new_pages, 4) if new_pages else None,
    }
    for name in FILL_FIELDS:
        row[f"fill_{name}"] = round(get(f"filled/{name}") / articles, 4) if articles else None
    row["_new_pages"] = new_pages
    return row


def drift_alarms(row: Mapping[str, Any], history: Sequence[Mapping[str, Any]]) -> list[str]:
    """Sharp falls of fill rates or yield against the median of the site's recent runs."""
    alarms: list[str] = []
    if row["articles"] >= MIN_SAMPLE:
        for name in FILL_FIELDS:
            past = [h[f"fill_{name}"] for h in history
                    if h.get(f"fill_{name}") is not None and (h.get("articles") or 0) >= MIN_SAMPLE]
            current = row[f"fill_{name}"]
            if past and current is not None and median(past) - current >= FILL_DROP:
                alarms.append(f"{name} filled on {current:.0%} of articles, "
                              f"against {median(past):.0%} in recent runs")
    past_yield = [h["article_yield"] for h in history if h.get("article_yield") is not None]
    current_yield = row.get("article_yield")
    if (current_yield is not None and row.get("_new_pages", 0) >= MIN_SAMPLE and past_yield
            and current_yield < YIELD_RATIO * median(past_yield)):
        alarms.append(f"article yield {current_yield:.0%} of new pages, against "
                      f"{median(past_yield):.0%} in recent runs")
    return alarms
