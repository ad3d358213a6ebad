"""The one exception tree of muni-archive. The CLI turns each into a message and an exit code.

    MuniError
    ├── ConfigError        a profile, option or setting is wrong (exit 3)
    ├── ArchiveError       the archive file cannot be opened or written
    │   └── ArchiveLocked  another crawl is writing this archive (exit 4)
    └── ExtractionError    a page could not be read at all (bad path, unreadable file)
"""

from __future__ import annotations


class MuniError(Exception):
    """Base of every error muni-archive raises on purpose."""


class ConfigError(MuniError):
    """Bad configuration: a site profile, a CLI option, a setting."""


class ArchiveError(MuniError):
    """The archive cannot be opened, migrated or written."""


class ArchiveLocked(ArchiveError):
    """Another process holds the archive's crawl lock."""


class ExtractionError(MuniError):
    """Input that cannot be read at all (missing file, unreadable manifest)."""
