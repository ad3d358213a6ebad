"""CPU time and memory of a process and all its descendants, read from /proc (Linux).

A crawl is several processes (the crawl itself, the forkserver, one extraction worker per
core), so its cost is the tree's: CPU seconds summed over every process, and peak memory as the
largest sum seen at one moment, both as RSS (shared pages counted in every process: an upper
bound) and as PSS (shared pages split between the processes sharing them: what the tree
really holds).
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

_TICK = os.sysconf("SC_CLK_TCK")
_PAGE = os.sysconf("SC_PAGE_SIZE")


def _stat(pid: int) -> tuple[int, float, int] | None:
    """(parent pid, CPU seconds, RSS bytes) of one process, or None when it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2:].split()
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / _TICK, int(fields[21]) * _PAGE


def _pss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def descendants(root: int) -> list[int]:
    """``root`` and every process below it."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            info = _stat(int(entry.name))
            if info is not None:
                children.setdefault(info[0], []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def tree_cpu(root: int) -> float:
    """CPU seconds used so far by the live processes of the tree."""
    return sum(info[1] for pid in descendants(root) if (info := _stat(pid)) is not None)


@dataclass
class TreeUsage:
    cpu_seconds: float = 0.0
    peak_rss: int = 0  # bytes
    peak_pss: int = 0  # bytes
    processes: int = 0
    samples: int = 0
    cpu_by_pid: dict[int, float] = field(default_factory=dict)
    peak_rss_by_pid: dict[int, int] = field(default_factory=dict)  # bytes
    # (seconds since start, RSS bytes, PSS bytes) at each PSS sample: does memory grow?
    timeline: list[tuple[float, int, int]] = field(default_factory=list)

    def memory_at(self, fraction: float) -> tuple[float, float]:
        """(RSS, PSS) in MB at this fraction of the run (0.1 = a tenth of the way)."""
        if not self.timeline:
            return 0.0, 0.0
        end = self.timeline[-1][0]
        point = min(self.timeline, key=lambda t: abs(t[0] - fraction * end))
        return point[1] / 1024 / 1024, point[2] / 1024 / 1024


class TreeSampler:
    """Samples a process tree on a thread until stopped. CPU time of a process is its last
    sample, so a process that ends loses at most one interval of CPU time."""

    def __init__(self, root: int, *, interval: float = 0.2, pss_every: int = 5):
        self.root = root
        self.interval = interval
        self.pss_every = pss_every
        self.usage = TreeUsage()
        self._started = time.monotonic()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="tree-sampler")

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        pids: list[int] = [self.root]
        tick = 0
        while True:
            if tick % 5 == 0:  # new processes (workers restarted, the forkserver) now and then
                pids = descendants(self.root)
            self._sample(pids, with_pss=tick % self.pss_every == 0)
            tick += 1
            if self._stop.wait(self.interval):
                return

    def _sample(self, pids: list[int], *, with_pss: bool) -> None:
        usage = self.usage
        rss = 0
        pss = 0
        for pid in pids:
            info = _stat(pid)
            if info is None:
                continue
            usage.cpu_by_pid[pid] = max(usage.cpu_by_pid.get(pid, 0.0), info[1])
            usage.peak_rss_by_pid[pid] = max(usage.peak_rss_by_pid.get(pid, 0), info[2])
            rss += info[2]
            if with_pss:
                pss += _pss(pid)
        usage.samples += 1
        usage.cpu_seconds = sum(usage.cpu_by_pid.values())
        usage.processes = len(usage.cpu_by_pid)
        usage.peak_rss = max(usage.peak_rss, rss)
        usage.peak_pss = max(usage.peak_pss, pss)
        if with_pss and rss:
            usage.timeline.append((time.monotonic() - self._started, rss, pss))
