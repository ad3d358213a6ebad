"""What changed between two versions of an article: a paragraph-level diff, with the words that
changed inside a paragraph marked. Plain data; templates render it (escaped)."""

from __future__ import annotations

import difflib
import itertools
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["Change", "FieldChange", "VersionDiff", "diff_versions"]

Kind = Literal["same", "added", "removed", "changed"]
_FIELDS = ("title", "author", "published")


@dataclass(frozen=True)
class Change:
    kind: Kind
    old: str = ""
    new: str = ""
    # For "changed": (text, tag) pieces of the new paragraph, tag "same" | "added" | "removed".
    words: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class FieldChange:
    name: str
    old: str | None
    new: str | None


@dataclass
class VersionDiff:
    old_version: int
    new_version: int
    seen: str
    fields: list[FieldChange] = field(default_factory=list)
    body: list[Change] = field(default_factory=list)

    @property
    def body_changed(self) -> bool:
        return any(c.kind != "same" for c in self.body)


def _paragraphs(body: str | None) -> list[str]:
    return [p.strip() for p in (body or "").split("\n\n") if p.strip()]


def _word_diff(old: str, new: str) -> tuple[tuple[str, str], ...]:
    a, b = old.split(), new.split()
    pieces: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            pieces.append((" ".join(a[i1:i2]), "same"))
            continue
        if i2 > i1:
            pieces.append((" ".join(a[i1:i2]), "removed"))
        if j2 > j1:
            pieces.append((" ".join(b[j1:j2]), "added"))
    return tuple(pieces)


def _body_changes(old: str | None, new: str | None) -> list[Change]:
    a, b = _paragraphs(old), _paragraphs(new)
    changes: list[Change] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            changes.extend(Change("same", p, p) for p in a[i1:i2])
        else:
            changes.extend(_pair_up(a[i1:i2], b[j1:j2]))
    return changes


def _pair_up(old: list[str], new: list[str]) -> list[Change]:
    """In a replaced run, a paragraph that is mostly the same as one of the new ones was
    edited, not removed: pair them in order, the rest were removed or added."""
    changes: list[Change] = []
    start = 0
    for paragraph in old:
        match = next((j for j in range(start, len(new)) if difflib.SequenceMatcher(
            a=paragraph.split(), b=new[j].split(), autojunk=False).ratio() >= 0.5), None)
        if match is None:
            changes.append(Change("removed", old=paragraph))
            continue
        changes.extend(Change("added", new=p) for p in new[start:match])
        changes.append(Change("changed", paragraph, new[match],
                              _word_diff(paragraph, new[match])))
        start = match + 1
    changes.extend(Change("added", new=p) for p in new[start:])
    return changes


def diff_versions(versions: list[dict[str, Any]]) -> list[VersionDiff]:
    """Each version against the one before it, newest first."""
    diffs = []
    for previous, current in itertools.pairwise(versions):
        diff = VersionDiff(previous["version"], current["version"], current["seen"])
        diff.fields = [FieldChange(n, previous[n], current[n]) for n in _FIELDS
                       if previous[n] != current[n]]
        diff.body = _body_changes(previous["body"], current["body"])
        diffs.append(diff)
    return diffs[::-1]
