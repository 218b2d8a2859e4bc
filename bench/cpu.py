"""CPU seconds of this process and of a local PostgreSQL server (all its processes).

The benchmark machine is shared, so wall-clock rates move with other people's load; CPU
time spent by the client and by the database is a steadier second measure of the same
work. Only available when the server runs on this host (its processes are in /proc).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_of(pid: int, waited_children: bool = False) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    used = int(fields[11]) + int(fields[12])  # utime + stime
    if waited_children:  # cutime + cstime: children that exited and were reaped
        used += int(fields[13]) + int(fields[14])
    return used / _TICKS


def _parent_of(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("PPid:"):
            return int(line.split()[1])
    return 0


class ServerCpu:
    """CPU time of a postmaster and its children, found from one backend's pid.

    Backends that exited count through the postmaster's reaped-children time.
    """

    def __init__(self, backend_pid: int) -> None:
        exists = Path(f"/proc/{backend_pid}").exists()
        self.postmaster = _parent_of(backend_pid) if exists else 0

    @property
    def available(self) -> bool:
        """Return True when the server's processes are visible on this host."""
        return self.postmaster > 0

    def seconds(self) -> float:
        """Return the server's CPU seconds so far."""
        if not self.available:
            return 0.0
        # A backend reaped between reading the postmaster and scanning /proc would be
        # counted nowhere (a replay's connection closes just before the clock is read):
        # scan again until the reaped-children time stays put.
        for _ in range(10):
            reaped = _cpu_of(self.postmaster, waited_children=True)
            children = self._children_seconds()
            if _cpu_of(self.postmaster, waited_children=True) == reaped:
                break
        return reaped + children

    def _children_seconds(self) -> float:
        total = 0.0
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                if _parent_of(int(entry.name)) == self.postmaster:
                    total += _cpu_of(int(entry.name))
            except (FileNotFoundError, ProcessLookupError):
                continue
        return total


def client_seconds() -> float:
    """Return this process's CPU seconds so far."""
    return time.process_time()
