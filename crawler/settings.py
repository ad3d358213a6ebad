"""Scrapy settings for muni-archive: polite to small government servers by default.

Every value can be overridden for one run: `muni crawl --set NAME=VALUE` (or `scrapy crawl -s`).
"""

BOT_NAME = "muni-archive"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# --- The archive ---------------------------------------------------------------------------
# Folder (or .db file) of the archive this crawl writes. `muni crawl --db` sets it.
MUNI_DB = "archive"
# Who to contact about this crawler: put your project page or e-mail here; it goes into the
# User-Agent so a site's webmaster can reach you instead of blocking you.
MUNI_CONTACT_URL = "https://github.com/muni-archive/muni-archive"
USER_AGENT = f"muni-archive/0.1 (+{MUNI_CONTACT_URL}; municipal news archiving)"
# Level (0-9) of each WARC record's gzip member. 1-3 are compressed with ISA-L (python-isal):
# at 1, 0.13 ms for an 85 KB page, where zlib took 0.72 (and its level 6, 1.96) for a member 4 %
# larger; 0 stores; 4-9 are zlib's, for a disk-bound archive of a slow crawl. Any level reads
# back the same, with any gzip reader.
MUNI_WARC_GZIP_LEVEL = 1
# The crawl's archive writes are committed in batches: every MUNI_COMMIT_WRITES writes (a page
# makes two) or MUNI_COMMIT_SECONDS seconds, whichever comes first. A killed crawl loses its
# last uncommitted batch whole, and fetches those pages again on its next run.
MUNI_COMMIT_WRITES = 250
MUNI_COMMIT_SECONDS = 1.0

# --- Extraction -----------------------------------------------------------------------------
# Worker processes that extract articles (default None: one per core); 0 extracts in the crawl's
# own process, for debugging. A page that takes longer than MUNI_EXTRACT_TIMEOUT seconds is
# given up (its worker is replaced) and counted as muni/extract/no_article/error.
MUNI_EXTRACT_WORKERS = None
MUNI_EXTRACT_TIMEOUT = 60.0
# Learn each site's repeated blocks (widgets, slogans) from its pages and strip them.
MUNI_LEARN_BOILERPLATE = True
# Scrapy starts this many asyncio tasks for the output of every response (default 100). A page
# yields one PageCapture and a few requests, handed on in a moment: 100 tasks per page were
# ~1 ms of the crawl's CPU for nothing.
CONCURRENT_ITEMS = 8

# --- Politeness ------------------------------------------------------------------------------
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16  # across all sites of a run
CONCURRENT_REQUESTS_PER_DOMAIN = 1  # one request per host at a time
DOWNLOAD_DELAY = 1.0  # seconds between requests to one host (randomised 0.5×–1.5×)
AUTOTHROTTLE_ENABLED = True  # slows down further when a server answers slowly
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# A 503/429 with Retry-After pauses the host that long (crawler/middlewares/retry_after.py);
# asked to wait longer than this, the page is left for the next run.
MUNI_RETRY_AFTER_MAX = 120

# --- Limits: a hostile or broken site must not trap or exhaust the crawler -----------------
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024  # bytes, after decompression too (gzip bombs)
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
# Depth is limited per site by the profile's discovery.max_depth, counted by the spider so that
# page 2, 3, … of a listing is not "deeper" than page 1. Scrapy's own counter only prioritises.
DEPTH_LIMIT = 0
REDIRECT_MAX_TIMES = 5
# Spider traps (crawler/middlewares/traps.py): how far an endless URL space is followed.
MUNI_TRAP_MAX_SEGMENT_REPEATS = 2  # /tin-tuc/tin-tuc/tin-tuc/… stops at the third
MUNI_TRAP_MAX_PATH_SEGMENTS = 15
MUNI_TRAP_MAX_CALENDAR_PAGES = 24  # distinct ?thang=2024-01-style pages per path
# Pages per site are limited by the profile's discovery.max_pages; this caps the whole run
# (0 = no cap).
CLOSESPIDER_PAGECOUNT = 0

# --- Components ------------------------------------------------------------------------------
# Every component below runs on every request or response of the crawl's one reactor thread,
# beside extraction's hand-off and the archive's writes: the ones that do nothing for us are off.
DOWNLOADER_MIDDLEWARES = {
    # Filters requests by the spider's allowed_domains, which ours has none of: each site's
    # rules (the profile's host and path prefixes) decide what is scheduled.
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.robots.SafeRobotsTxtMiddleware": 100,
    # Above RetryMiddleware (550): a 503/429's Retry-After pauses the host before the retry.
    "crawler.middlewares.retry_after.RetryAfterMiddleware": 560,
    # Scrapy's, reading only the first 16 KB of a page (it decoded the whole page for the
    # 4,096 characters it looks at; nothing else in this process reads the text).
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "crawler.middlewares.meta_refresh.HeadMetaRefreshMiddleware": 580,
    # Above RedirectMiddleware (600): sees each 3xx and stops A → B → A at once.
    "crawler.middlewares.traps.RedirectLoopMiddleware": 650,
    # Next to the downloader: sees every hop and the bytes as received.
    "crawler.middlewares.warc.WarcCaptureMiddleware": 950,
}
SPIDER_MIDDLEWARES = {
    "crawler.middlewares.traps.SpiderTrapMiddleware": 550,
    # The spider counts depth itself (muni_depth: page 2 of a listing is not deeper than page
    # 1) and DEPTH_LIMIT is 0: Scrapy's own counter would only be kept up to date.
    "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
    # A development aid that warns when a spider copies Scrapy's internal meta keys; ours
    # builds each request's meta afresh.
    "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware": None,
}
ITEM_PIPELINES = {
    "pipelines.extraction.ExtractionPipeline": 300,
    "pipelines.storage.StoragePipeline": 800,
}

EXTENSIONS = {
    # A progress line when run at a terminal; nothing under cron (stderr not a TTY).
    "crawler.progress.CrawlProgress": 500,
}
MUNI_PROGRESS = True
MUNI_PROGRESS_INTERVAL = 2.0

# No remote control surfaces on a cron box.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

# Scrapy's stats, without the deprecation shim that ran on every attribute (crawler/stats.py).
STATS_CLASS = "crawler.stats.PlainStatsCollector"

# --- Housekeeping ----------------------------------------------------------------------------
LOG_LEVEL = "INFO"
HTTPCACHE_ENABLED = False
COOKIES_ENABLED = True  # some ASP.NET portals need a session cookie to page through listings
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
