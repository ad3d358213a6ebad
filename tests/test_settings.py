"""Polite and safe by default: the settings a crawl really runs with."""

from __future__ import annotations

from crawler.run import crawl_settings


def test_polite_defaults() -> None:
    settings = crawl_settings("archive")
    assert settings.getbool("ROBOTSTXT_OBEY")
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") <= 2
    assert settings.getfloat("DOWNLOAD_DELAY") >= 0.5
    assert settings.getbool("AUTOTHROTTLE_ENABLED")
    assert 0 < settings.getint("DOWNLOAD_MAXSIZE") <= 64 * 1024 * 1024
    assert 0 < settings.getint("DOWNLOAD_TIMEOUT") <= 60
    assert 0 < settings.getint("REDIRECT_MAX_TIMES") <= 10
    assert not settings.getbool("TELNETCONSOLE_ENABLED")
    assert not settings.getbool("REMOTE_CONTROL_ENABLED")
    middlewares = settings.getdict("DOWNLOADER_MIDDLEWARES")
    assert middlewares["scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware"] is None
    assert "crawler.middlewares.robots.SafeRobotsTxtMiddleware" in middlewares


def test_only_components_that_do_nothing_for_us_are_off() -> None:
    """Switched off to spare the crawl's one thread work on every page; everything that makes
    the crawl polite, safe or complete stays on."""
    from scrapy.utils.conf import build_component_list

    settings = crawl_settings("archive")
    off = {name for setting in ("DOWNLOADER_MIDDLEWARES", "SPIDER_MIDDLEWARES", "EXTENSIONS")
           for name, order in settings.getdict(setting).items() if order is None}
    assert off == {"scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware",
                   "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware",
                   "scrapy.spidermiddlewares.depth.DepthMiddleware",
                   "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware",
                   # replaced by crawler.middlewares.meta_refresh.HeadMetaRefreshMiddleware
                   "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware"}
    on = build_component_list(settings.getwithbase("DOWNLOADER_MIDDLEWARES")) + \
        build_component_list(settings.getwithbase("SPIDER_MIDDLEWARES"))
    for kept in ("retry.RetryMiddleware", "redirect.RedirectMiddleware",
                 "meta_refresh.HeadMetaRefreshMiddleware",
                 "httpcompression.HttpCompressionMiddleware",
                 "downloadtimeout.DownloadTimeoutMiddleware", "cookies.CookiesMiddleware",
                 "httperror.HttpErrorMiddleware", "urllength.UrlLengthMiddleware",
                 "stats.DownloaderStats"):
        assert any(name.endswith(kept) for name in on), kept


def test_user_agent_is_honest_and_names_the_contact() -> None:
    settings = crawl_settings("archive", {"MUNI_CONTACT_URL": "mailto:archive@example.org"})
    agent = settings.get("USER_AGENT")
    assert agent.startswith("muni-archive/")
    assert "+mailto:archive@example.org" in agent


def test_set_overrides_any_scrapy_setting() -> None:
    settings = crawl_settings("archive", {"DOWNLOAD_DELAY": "3", "USER_AGENT": "custom"})
    assert settings.getfloat("DOWNLOAD_DELAY") == 3.0
    assert settings.get("USER_AGENT") == "custom"
    assert settings.get("MUNI_DB") == "archive"
