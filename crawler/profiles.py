"""Site profiles: declarative per-site knowledge, validated into frozen dataclasses.

A profile is a TOML file under ``crawler/sites/`` (or any folder given to ``load_profiles``). It may
``extend`` a CMS-family profile from ``crawler/sites/families/``; the site's own keys win, lists
and tables are merged key by key. Errors name the file and the key.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lxml import etree

from archive.errors import ConfigError

__all__ = ["Discovery", "SiteProfile", "adhoc_profile", "load_profile", "load_profiles",
           "profile_dirs"]

SITES_DIR = Path(__file__).parent / "sites"
FAMILIES_DIR = SITES_DIR / "families"

# Extraction keys of our own; every other [extraction] key is passed to trafilatura as is.
XPATH_KEYS = ("title_xpath", "body_xpath", "date_xpath", "author_xpath")
# trafilatura.bare_extraction's keyword arguments a profile may set.
TRAFILATURA_KEYS = frozenset({
    "favor_precision", "favor_recall", "include_comments", "include_tables", "include_images",
    "include_formatting", "include_links", "deduplicate", "prune_xpath", "target_language",
    "fast", "no_fallback", "max_tree_size",
})


@dataclass(frozen=True)
class Discovery:
    """How the spider finds articles on a site."""

    sitemaps: bool = True  # robots.txt Sitemap: lines and /sitemap.xml
    feeds: bool = True  # RSS/Atom linked from pages, plus feed_urls
    listings: bool = True  # follow pagination of category listings
    follow_links: bool = True  # same-site link following
    feed_urls: tuple[str, ...] = ()
    sitemap_urls: tuple[str, ...] = ()
    article_url_patterns: tuple[str, ...] = ()  # regexes: a URL matching one is an article
    listing_url_patterns: tuple[str, ...] = ()  # regexes: a URL matching one is a listing
    exclude_url_patterns: tuple[str, ...] = ()  # regexes: never fetch
    allowed_path_prefixes: tuple[str, ...] = ()  # a ward under a city host: stay under these
    max_depth: int = 6
    max_pages: int = 5000
    # Re-runs: a known article is fetched again only while it is younger than this many days
    # (by its publication date, else when first seen): young articles still get corrected.
    recheck_days: int = 7


@dataclass(frozen=True)
class SiteProfile:
    id: str
    name: str
    base_url: str
    start_urls: tuple[str, ...]
    ward: str | None = None
    city: str | None = None
    province: str | None = None
    country: str | None = None
    cms: str | None = None
    language: str | None = None
    timezone: str = "Asia/Ho_Chi_Minh"
    discovery: Discovery = field(default_factory=Discovery)
    extraction: Mapping[str, Any] = field(default_factory=dict)
    source: str | None = None  # the TOML file, for messages and the sites table

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).netloc

    def absolute(self, url: str) -> str:
        return urljoin(self.base_url, url)

    def with_base_url(self, base_url: str) -> SiteProfile:
        """The same site served elsewhere (the demo portals, a moved site)."""
        return replace(self, base_url=base_url)

    def site_row(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "base_url": self.base_url, "ward": self.ward,
                "city": self.city, "province": self.province, "country": self.country,
                "cms": self.cms, "language": self.language, "timezone": self.timezone,
                "profile": self.source}


_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_TOP_KEYS = {"id", "name", "base_url", "start_urls", "ward", "city", "province", "country", "cms",
             "language", "timezone", "extends", "discovery", "extraction"}
_DISCOVERY_TYPES: dict[str, type] = {
    "sitemaps": bool, "feeds": bool, "listings": bool, "follow_links": bool,
    "feed_urls": list, "sitemap_urls": list, "article_url_patterns": list,
    "listing_url_patterns": list, "exclude_url_patterns": list, "allowed_path_prefixes": list,
    "max_depth": int, "max_pages": int, "recheck_days": int,
}


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: no such profile file") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _family(name: str, path: Path, families_dir: Path, seen: tuple[str, ...]) -> dict[str, Any]:
    if name in seen:
        raise ConfigError(f"{path}: key 'extends': circular family chain {' → '.join(seen)}")
    family_path = families_dir / f"{name}.toml"
    if not family_path.exists():
        known = ", ".join(sorted(p.stem for p in families_dir.glob("*.toml")))
        raise ConfigError(f"{path}: key 'extends': unknown CMS family {name!r} (known: {known})")
    data = _read_toml(family_path)
    parent = data.pop("extends", None)
    if parent:
        data = _merge(_family(parent, family_path, families_dir, (*seen, name)), data)
    data.setdefault("cms", name)
    return data


def _check_patterns(path: Path, key: str, patterns: Iterable[str]) -> tuple[str, ...]:
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ConfigError(f"{path}: key '{key}': bad regular expression {pattern!r}: {exc}") \
                from exc
    return tuple(patterns)


def _discovery(path: Path, data: Mapping[str, Any]) -> Discovery:
    values: dict[str, Any] = {}
    for key, value in data.items():
        expected = _DISCOVERY_TYPES.get(key)
        if expected is None:
            raise ConfigError(f"{path}: key 'discovery.{key}': unknown "
                              f"(known: {', '.join(sorted(_DISCOVERY_TYPES))})")
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise ConfigError(f"{path}: key 'discovery.{key}': expected {expected.__name__}, "
                              f"got {value!r}")
        if isinstance(value, list):
            if not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{path}: key 'discovery.{key}': expected a list of strings")
            value = tuple(value)
            if key.endswith("_patterns"):
                value = _check_patterns(path, f"discovery.{key}", value)
        values[key] = value
    return Discovery(**values)


def _extraction(path: Path, data: Mapping[str, Any]) -> dict[str, Any]:
    for key, value in data.items():
        if key in XPATH_KEYS:
            try:
                etree.XPath(value)
            except (etree.XPathSyntaxError, TypeError) as exc:
                raise ConfigError(f"{path}: key 'extraction.{key}': XPath does not compile: "
                                  f"{value!r} ({exc})") from exc
        elif key not in TRAFILATURA_KEYS:
            raise ConfigError(f"{path}: key 'extraction.{key}': not a trafilatura option nor "
                              f"one of {', '.join(XPATH_KEYS)}")
    return dict(data)


def profile_from_dict(data: dict[str, Any], path: Path,
                      families_dir: Path = FAMILIES_DIR) -> SiteProfile:
    family_name = data.get("extends")
    if family_name:
        if not isinstance(family_name, str):
            raise ConfigError(f"{path}: key 'extends': expected a family name string")
        data = _merge(_family(family_name, path, families_dir, ()), data)
        data.pop("extends", None)
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise ConfigError(f"{path}: key '{sorted(unknown)[0]}': unknown "
                          f"(known: {', '.join(sorted(_TOP_KEYS))})")
    for required in ("id", "name", "base_url"):
        if not isinstance(data.get(required), str) or not data[required].strip():
            raise ConfigError(f"{path}: key '{required}': required, a non-empty string")
    if not _ID.match(data["id"]):
        raise ConfigError(f"{path}: key 'id': {data['id']!r} must be lowercase letters, digits, "
                          "'-' or '_'")
    base = urlsplit(data["base_url"])
    if base.scheme not in {"http", "https"} or not base.netloc:
        raise ConfigError(f"{path}: key 'base_url': {data['base_url']!r} is not an http(s) URL")
    start_urls = data.get("start_urls", ["/"])
    if not isinstance(start_urls, list) or not all(isinstance(u, str) for u in start_urls):
        raise ConfigError(f"{path}: key 'start_urls': expected a list of URLs or paths")
    timezone = data.get("timezone", "Asia/Ho_Chi_Minh")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"{path}: key 'timezone': unknown time zone {timezone!r}") from exc
    for key in ("ward", "city", "province", "country", "cms", "language"):
        if key in data and not isinstance(data[key], str):
            raise ConfigError(f"{path}: key '{key}': expected a string")
    return SiteProfile(
        id=data["id"], name=data["name"], base_url=data["base_url"],
        start_urls=tuple(start_urls), ward=data.get("ward"), city=data.get("city"),
        province=data.get("province"), country=data.get("country"), cms=data.get("cms"),
        language=data.get("language"), timezone=timezone,
        discovery=_discovery(path, data.get("discovery", {})),
        extraction=_extraction(path, data.get("extraction", {})),
        source=str(path),
    )


def load_profile(path: Path, families_dir: Path = FAMILIES_DIR) -> SiteProfile:
    return profile_from_dict(_read_toml(path), path, families_dir)


def profile_dirs() -> list[Path]:
    return [SITES_DIR]


def load_profiles(directories: Iterable[Path] | None = None) -> dict[str, SiteProfile]:
    """Every profile in the given folders (not families), by id. Duplicate ids are an error."""
    profiles: dict[str, SiteProfile] = {}
    for directory in directories or profile_dirs():
        for path in sorted(directory.glob("*.toml")):
            profile = load_profile(path)
            if profile.id in profiles:
                raise ConfigError(f"{path}: key 'id': {profile.id!r} is already used by "
                                  f"{profiles[profile.id].source}")
            profiles[profile.id] = profile
    return profiles


def adhoc_profile(url: str, *, site_id: str | None = None,
                  timezone: str | None = None) -> SiteProfile:
    """A profile for a site never seen before: `muni crawl --url …`."""
    parts = urlsplit(url if "://" in url else f"https://{url}")
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ConfigError(f"--url {url!r} is not an http(s) URL")
    host = parts.hostname or parts.netloc
    derived = re.sub(r"[^a-z0-9]+", "-", host.lower().removeprefix("www.")).strip("-")
    if parts.port:
        derived = f"{derived}-{parts.port}"
    base = f"{parts.scheme}://{parts.netloc}/"
    start = parts.geturl()
    country = host.rsplit(".", 1)[-1].upper() if "." in host else None
    return SiteProfile(id=site_id or derived, name=host, base_url=base, start_urls=(start,),
                       country=country if country in _TLD_TIMEZONES else None,
                       timezone=timezone or _TLD_TIMEZONES.get(country or "", "UTC"))


# Countries with one time zone, by country-code TLD: how an unknown site's local times are read
# when the page itself does not state an offset. Elsewhere `--timezone` says it.
_TLD_TIMEZONES = {
    "VN": "Asia/Ho_Chi_Minh", "DE": "Europe/Berlin", "AT": "Europe/Vienna",
    "CH": "Europe/Zurich", "FR": "Europe/Paris", "IT": "Europe/Rome", "NL": "Europe/Amsterdam",
    "BE": "Europe/Brussels", "PL": "Europe/Warsaw", "CZ": "Europe/Prague", "UK": "Europe/London",
    "IE": "Europe/Dublin", "JP": "Asia/Tokyo", "KR": "Asia/Seoul", "TH": "Asia/Bangkok",
    "LA": "Asia/Vientiane", "KH": "Asia/Phnom_Penh", "PH": "Asia/Manila", "SG": "Asia/Singapore",
}
