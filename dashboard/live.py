"""The data folder, watched: reload on change, keep the last valid dataset when a save is bad.

Curators edit the CSV files while the app serves them. `LiveDataset` holds one validated
`Dataset` and swaps in a new one, as a single attribute assignment under a lock, only once
the changed files load and validate; every session therefore sees either the old tables or
the new ones, never a mix, and the process holds one dataset plus, during a reload, the
candidate. When the new files break a rule it keeps serving the last valid dataset and
exposes the problems (and since when) for the app's warning; the next valid save clears
them.

Change detection is cheap: names, sizes and nanosecond modification times of the files in
`schema.SCHEMAS` (one `stat` call per file), looked at no more often than every `interval` seconds.
An editor may write a file in two steps (truncate, then write), so a change is acted on
only once the fingerprint has stayed the same for `settle` seconds, and the fingerprint is
taken again after loading: if the files moved while they were being read, the candidate is
dropped and read again on the next check.

No Streamlit here: `dashboard.ui` keeps one `LiveDataset` per data folder in
`st.cache_resource` and starts its watcher thread; tests drive `check()` with a fake clock.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dashboard import schema
from dashboard.data import DataError, Dataset, load_dataset

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_S = 2.0
DEFAULT_SETTLE_S = 0.5

# (name, size, mtime_ns) per watched file; (name, -1, -1) for a missing one.
Fingerprint = tuple[tuple[str, int, int], ...]


def fingerprint(data_dir: Path, names: tuple[str, ...] = tuple(schema.SCHEMAS)) -> Fingerprint:
    """Name, size and modification time (ns) of each watched file: a stat per file."""
    rows = []
    for name in names:
        try:
            stat = os.stat(data_dir / name)
        except OSError:
            rows.append((name, -1, -1))
        else:
            rows.append((name, stat.st_size, stat.st_mtime_ns))
    return tuple(rows)


def interval_from_env(default: float = DEFAULT_INTERVAL_S) -> float:
    """`$DATA_CHECK_SECONDS` when set to a positive number, else `default`."""
    try:
        value = float(os.environ.get("DATA_CHECK_SECONDS", ""))
    except ValueError:
        return default
    return value if value > 0 else default


@dataclass(frozen=True)
class Status:
    """What the app tells viewers about the served data."""

    problems: tuple[str, ...]  # `file:row:column: rule (value)`; empty when data is current
    problems_since: float | None  # wall-clock time the rejected files were first seen
    loaded_at: float  # wall-clock time the served dataset was loaded
    fingerprint: Fingerprint  # of the files the served dataset was read from

    @property
    def stale(self) -> bool:
        return bool(self.problems)


class LiveDataset:
    """One validated dataset of `data_dir`, replaced when its files change and still valid.

    The first load happens in the constructor and raises `DataError` like `load_dataset`
    (there is no last good copy yet). After that nothing raises: `current()` returns the
    dataset being served, the same object until a reload succeeds.
    """

    def __init__(
        self,
        data_dir: Path | str,
        *,
        interval: float = DEFAULT_INTERVAL_S,
        settle: float = DEFAULT_SETTLE_S,
        loader: Callable[[Path], Dataset] = load_dataset,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        on_swap: Callable[[Dataset], None] | None = None,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.interval, self.settle = interval, settle
        self._loader, self._clock, self._wall = loader, clock, wall_clock
        self._on_swap = on_swap
        self._lock = threading.Lock()  # serialises checks; readers never wait on it
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.reloads = 0  # successful swaps after the first load
        stamp = fingerprint(self.data_dir)
        dataset = self._loader(self.data_dir)
        self._dataset = dataset
        self._status = Status((), None, self._wall(), stamp)
        # The fingerprint last acted on (loaded or rejected), and a change waiting to settle.
        self._seen = stamp
        self._pending: Fingerprint | None = None
        self._pending_at = 0.0
        self._next_check = self._clock() + self.interval

    # Readers: plain attribute reads (atomic in CPython), no lock on the hot path.
    def current(self) -> Dataset:
        """The dataset being served: the last one that loaded and validated."""
        return self._dataset

    @property
    def status(self) -> Status:
        return self._status

    def check(self, *, force: bool = False) -> bool:
        """Look at the files if due (or `force`); reload on a settled change.

        Returns True when a new dataset was swapped in. Safe to call from any thread; a
        call that finds another check running returns False at once.
        """
        if not self._lock.acquire(blocking=False):
            return False
        try:
            now = self._clock()
            if not force and now < self._next_check:
                return False
            return self._check_locked(now)
        finally:
            self._lock.release()

    def _check_locked(self, now: float) -> bool:
        stamp = fingerprint(self.data_dir)
        if stamp == self._seen:
            self._pending = None
            self._next_check = now + self.interval
            return False
        if stamp != self._pending:
            # A new change: wait until it has held still for `settle` seconds.
            self._pending, self._pending_at = stamp, now
            self._next_check = now + self.settle
            return False
        if now - self._pending_at < self.settle:
            self._next_check = self._pending_at + self.settle
            return False
        self._pending = None
        self._next_check = now + self.interval
        return self._reload(stamp)

    def _reload(self, stamp: Fingerprint) -> bool:
        try:
            candidate = self._loader(self.data_dir)
        except DataError as error:
            problems = tuple(str(problem) for problem in error.problems)
        except Exception as error:  # an unreadable half-written file must not stop the app
            log.exception("reading %s failed", self.data_dir)
            problems = (f"{self.data_dir.name}:-:-: could not be read ({type(error).__name__})",)
        else:
            if fingerprint(self.data_dir) != stamp:
                # The files moved while being read: the candidate may mix two versions.
                log.info("%s changed while loading; reading it again", self.data_dir)
                return False
            self._seen = stamp
            self._dataset = candidate  # the one swap every reader sees
            self._status = Status((), None, self._wall(), stamp)
            self.reloads += 1
            log.info("reloaded %s (%s)", self.data_dir, _describe(stamp))
            if self._on_swap is not None:
                self._on_swap(candidate)
            return True
        self._seen = stamp
        previous = self._status
        since = previous.problems_since if previous.stale else self._wall()
        self._status = Status(problems, since, previous.loaded_at, previous.fingerprint)
        log.warning(
            "%s: %d problem(s), still serving the data loaded at %s:\n  %s",
            self.data_dir,
            len(problems),
            time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(previous.loaded_at)),
            "\n  ".join(problems),
        )
        return False

    # The watcher thread: checks off the request path, so no rerun pays for a reload.
    def start(self) -> LiveDataset:
        """Check in a daemon thread every `min(interval, settle)` seconds; idempotent."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._watch, name=f"live-data:{self.data_dir}", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _watch(self) -> None:
        tick = min(self.interval, self.settle)
        while not self._stop.wait(tick):
            try:
                self.check()
            except Exception:  # keep watching whatever one check did
                log.exception("checking %s failed", self.data_dir)


def _describe(stamp: Fingerprint) -> str:
    return ", ".join(f"{name} {size} B" for name, size, _ in stamp if size >= 0)
