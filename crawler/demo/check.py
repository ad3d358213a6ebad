"""Compare an archive with a demo portal's reviewed expectations (expected.json).

Used by `muni demo` to print how the crawl did, and by the tests to assert it.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archive.db import ArchiveDB
from archive.urls import canonical_url

__all__ = ["PortalCheck", "body_ok", "check_portal", "fold", "write_portal_profile"]

FIELDS = ("title", "author", "published", "body")


def fold(text: Any) -> str:
    return " ".join(unicodedata.normalize("NFC", str(text or "")).casefold().split())


@dataclass
class PortalCheck:
    site: str
    expected: int
    found: int
    missing: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)  # stored, but expected.json says no
    wrong: dict[str, list[str]] = field(default_factory=dict)  # field → URLs where it is wrong

    def right(self, name: str) -> int:
        return self.found - len(self.wrong.get(name, []))

    @property
    def perfect(self) -> bool:
        return not self.missing and not self.unexpected and not any(self.wrong.values())

    def line(self) -> str:
        fields = "  ".join(f"{n} {self.right(n)}/{self.found}" for n in FIELDS)
        extra = f", {len(self.unexpected)} not expected" if self.unexpected else ""
        return (f"{self.site:<14} articles {self.found}/{self.expected} found{extra};  "
                f"right: {fields}")


def write_portal_profile(portal_root: Path, base_url: str, folder: Path) -> Path:
    """A portal's own profile (portal.toml) with base_url pointing at where it is served now."""
    text = (portal_root / "portal.toml").read_text(encoding="utf-8")
    lines = [f'base_url = "{base_url}"' if line.startswith("base_url") else line
             for line in text.splitlines()]
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{portal_root.name}.toml"
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def body_ok(body: str, expectation: dict[str, Any]) -> bool:
    folded = fold(body)
    return all(fold(s) in folded for s in expectation.get("with") or []) and not any(
        fold(s) in folded for s in expectation.get("without") or [])


def check_portal(archive: ArchiveDB, site: str, base_url: str, expected_file: Path) -> PortalCheck:
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    base = base_url.rstrip("/")

    def url(path: str) -> str:
        return canonical_url(base + path)

    stored = {a["url"]: a for a in archive.articles(site)}
    check = PortalCheck(site=site, expected=len(expected["articles"]), found=0)
    for item in expected["articles"]:
        article = archive.article(url(item["path"]))
        if article is None:
            check.missing.append(item["path"])
            continue
        check.found += 1
        stored.pop(article["url"], None)
        for name in ("title", "author", "published"):
            if name in item and fold(article[name]) != fold(item[name]):
                check.wrong.setdefault(name, []).append(item["path"])
        if not body_ok(article["body"], item):
            check.wrong.setdefault("body", []).append(item["path"])
    # Whatever is left was stored but is not one of the portal's articles.
    check.unexpected = sorted(stored)
    return check
