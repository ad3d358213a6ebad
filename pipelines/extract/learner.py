"""Per-site boilerplate learned from the pages themselves: a text block that turns up on many
pages of one site (a slogan, a footer line, a widget no rule knows) is boilerplate there.

Cheap and bounded: each site keeps at most ``max_blocks`` block counters (the least seen are
evicted first) and at most ``max_sites`` sites are remembered (least recently used evicted)."""

from __future__ import annotations

import json
import math
from collections import Counter, OrderedDict
from collections.abc import Iterable

from pipelines.extract.boilerplate import block_key
from pipelines.extract.result import Article

__all__ = ["BoilerplateLearner", "block_keys_of", "learned_record", "recorded_blocks"]


def block_keys_of(page: Article) -> frozenset[str]:
    """The keys of an extracted page's text blocks, as the learner counts them."""
    if page.block_keys or not page.text_blocks:
        return page.block_keys
    return frozenset(block_key(b) for b in page.text_blocks if b and b.strip())


def learned_record(known: frozenset[str], page: Article) -> str:
    """What to keep with an article of which learned blocks its extraction stripped (``known``
    being what extraction was given): the only ones that mattered to this page, so passing
    them again as ``site_boilerplate`` repeats every decision whatever else was known."""
    return json.dumps(sorted(known & block_keys_of(page)), ensure_ascii=False)


def recorded_blocks(record: str | None) -> frozenset[str] | None:
    """``learned_record``'s blocks back; None when nothing was recorded."""
    if record is None:
        return None
    try:
        blocks = json.loads(record)
    except ValueError:
        return None
    return frozenset(b for b in blocks if isinstance(b, str)) if isinstance(blocks, list) \
        else None


class _SiteCounts:
    __slots__ = ("blocks", "pages")

    def __init__(self) -> None:
        self.pages = 0
        self.blocks: Counter[str] = Counter()


class BoilerplateLearner:
    """Count, per site, on how many pages each normalised text block appears.

    ``known(site)`` returns the blocks seen on at least ``min_pages`` pages and on at least
    ``min_share`` of the site's observed pages; pass it to ``extract(site_boilerplate=…)``.
    """

    def __init__(self, *, min_pages: int = 3, min_share: float = 0.3, max_blocks: int = 4000,
                 max_sites: int = 2000) -> None:
        self.min_pages = min_pages
        self.min_share = min_share
        self.max_blocks = max_blocks
        self.max_sites = max_sites
        self._sites: OrderedDict[str, _SiteCounts] = OrderedDict()
        self._known: dict[str, frozenset[str]] = {}

    def observe(self, site: str, page: Article | Iterable[str]) -> None:
        """Record one page of ``site``: an extracted Article, or its text blocks."""
        if isinstance(page, Article):
            keys: Iterable[str] = block_keys_of(page)
        else:
            keys = {block_key(b) for b in page if b and b.strip()}
        counts = self._sites.get(site)
        if counts is None:
            counts = self._sites[site] = _SiteCounts()
            if len(self._sites) > self.max_sites:
                evicted, _ = self._sites.popitem(last=False)
                self._known.pop(evicted, None)
        else:
            self._sites.move_to_end(site)
        threshold = self._threshold(counts.pages)
        counts.pages += 1
        counts.blocks.update(keys)
        cached = self._known.get(site)
        if len(counts.blocks) > self.max_blocks:
            # Keep the most frequent half: one-off blocks (article paragraphs) go first.
            counts.blocks = Counter(dict(counts.blocks.most_common(self.max_blocks // 2)))
            cached = None
        if cached is not None:
            # Counts only grew, by one, and only this page's: with the same threshold the known
            # blocks are those known before and this page's that reached it; with a higher one
            # (by one) no block can newly reach it, so they are those known before still above
            # it. Recounting every counter (up to max_blocks) after each page cost ~0.4 ms.
            now = self._threshold(counts.pages)
            if now == threshold:
                reached = {key for key in keys if counts.blocks[key] >= now}
                if not reached <= cached:
                    self._known[site] = cached | reached
            else:
                self._known[site] = frozenset(key for key in cached
                                              if counts.blocks[key] >= now)
            return
        self._known.pop(site, None)

    def _threshold(self, pages: int) -> int:
        """On how many pages a block must be seen to be known, with ``pages`` observed."""
        return math.ceil(max(self.min_pages, self.min_share * pages))

    def known(self, site: str) -> frozenset[str]:
        """Blocks that repeat across this site's pages (normalised with ``block_key``)."""
        cached = self._known.get(site)
        if cached is not None:
            return cached
        counts = self._sites.get(site)
        if counts is None:
            return frozenset()
        threshold = self._threshold(counts.pages)
        result = frozenset(key for key, seen in counts.blocks.items() if seen >= threshold)
        self._known[site] = result
        return result

    def pages_seen(self, site: str) -> int:
        counts = self._sites.get(site)
        return counts.pages if counts else 0
