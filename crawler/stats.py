"""Scrapy's in-memory stats, without a Python detour on every attribute.

Scrapy 2.19's StatsCollector defines ``__getattribute__`` to wrap its methods in a warning about
a deprecated ``spider`` argument: every attribute it touches (each ``inc_value`` reads
``self._stats`` too) goes through a Python function that first looks for a cached wrapper and
fails with AttributeError. A crawl counts ~40 stats a page (Scrapy's and ours), ~2 µs each that
way. Here attributes are looked up as on any object; the methods, their arguments (``spider``
included) and the stats are Scrapy's.
"""

from __future__ import annotations

from scrapy.statscollectors import MemoryStatsCollector

__all__ = ["PlainStatsCollector"]


class PlainStatsCollector(MemoryStatsCollector):
    __getattribute__ = object.__getattribute__
