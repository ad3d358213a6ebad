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
