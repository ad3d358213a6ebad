"""Exit codes cron and systemd can act on (documented in the README)."""

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    SOME_SITES_FAILED = 1  # the run finished, but at least one site failed
    USAGE = 2  # click's own code for bad arguments
    CONFIG = 3  # a profile, option or setting is wrong
    LOCKED = 4  # another crawl holds this archive
    ALL_SITES_FAILED = 5  # nothing could be crawled
    DRIFT = 6  # with --fail-on-drift: a site's fill rates or yield fell sharply
