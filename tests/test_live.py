"""Change detection and the last good copy (`dashboard.live`), with a fake clock and loader."""

from __future__ import annotations

import csv
import io
import os
import threading
import time
from pathlib import Path

import pytest

from dashboard import live, schema
from dashboard.data import DataError, Problem, load_dataset


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Loader:
    """Stands in for `load_dataset`: a new object per good load, DataError when told."""

    def __init__(self) -> None:
        self.calls = 0
        self.broken = False

    def __call__(self, data_dir: Path):
        self.calls += 1
        if self.broken:
            raise DataError([Problem("regions.csv", 3, "fund", "must be >= 0", "-1")])
        return object()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for name in schema.SCHEMAS:
        (tmp_path / name).write_text("a,b\n1,2\n", encoding="utf-8")
    return tmp_path


def touch(path: Path, text: str | None = None, mtime_ns: int | None = None) -> None:
    if text is not None:
        path.write_text(text, encoding="utf-8")
    stat = path.stat()
    step = mtime_ns if mtime_ns is not None else stat.st_mtime_ns + 1_000_000
    os.utime(path, ns=(stat.st_atime_ns, step))


def watched(folder: Path, **kwargs):
    clock, loader = Clock(), Loader()
    data = live.LiveDataset(
        folder, interval=2.0, settle=0.5, loader=loader, clock=clock, wall_clock=clock, **kwargs
    )
    return data, clock, loader


def settle(data, clock) -> bool:
    """One check that sees the change, one after the settle time that acts on it."""
    clock.advance(2.0)
    assert data.check() is False, "a change is only noted on first sight"
    clock.advance(0.5)
    return data.check()


def test_fingerprint_changes_with_size_and_mtime(folder: Path) -> None:
    before = live.fingerprint(folder)
    assert [name for name, _, _ in before] == list(schema.SCHEMAS)
    touch(folder / "regions.csv")
    after_mtime = live.fingerprint(folder)
    assert after_mtime != before
    stat = (folder / "regions.csv").stat()
    (folder / "regions.csv").write_text("a,b\n1,3\n", encoding="utf-8")  # same size
    os.utime(folder / "regions.csv", ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert live.fingerprint(folder) == after_mtime, "same size and mtime: same fingerprint"
    (folder / "regions.csv").write_text("a,b\n1,30\n", encoding="utf-8")
    os.utime(folder / "regions.csv", ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert live.fingerprint(folder) != after_mtime, "size alone is enough"
    (folder / "cities.csv").unlink()
    assert ("cities.csv", -1, -1) in live.fingerprint(folder)


def test_nothing_is_read_before_the_interval(folder: Path) -> None:
    data, clock, loader = watched(folder)
    first = data.current()
    touch(folder / "regions.csv")
    clock.advance(1.0)
    assert data.check() is False and data.check() is False
    assert loader.calls == 1 and data.current() is first


def test_a_change_is_loaded_once_it_has_settled(folder: Path) -> None:
    data, clock, loader = watched(folder)
    first = data.current()
    touch(folder / "regions.csv")
    assert settle(data, clock) is True
    assert loader.calls == 2 and data.current() is not first
    assert data.reloads == 1 and not data.status.stale
    # No further change: the same object is served and nothing is read again.
    second = data.current()
    for _ in range(5):
        clock.advance(2.0)
        assert data.check() is False
    assert data.current() is second and loader.calls == 2


def test_a_file_still_being_written_is_not_read(folder: Path) -> None:
    data, clock, loader = watched(folder)
    first = data.current()
    touch(folder / "regions.csv", "a,b\n")  # the editor's first step: truncate
    clock.advance(2.0)
    assert data.check() is False
    clock.advance(0.3)
    touch(folder / "regions.csv", "a,b\n1,2\n3,4\n")  # the second step, inside settle
    clock.advance(0.3)
    assert data.check() is False, "changed again: wait for it to settle anew"
    assert loader.calls == 1 and data.current() is first
    clock.advance(0.5)
    assert data.check() is True and loader.calls == 2


def test_invalid_files_keep_the_last_good_dataset(folder: Path, caplog) -> None:
    data, clock, loader = watched(folder)
    good = data.current()
    loaded_at = data.status.loaded_at
    loader.broken = True
    touch(folder / "regions.csv")
    with caplog.at_level("WARNING", logger="dashboard.live"):
        assert settle(data, clock) is False
    assert data.current() is good, "the last valid dataset is still served"
    status = data.status
    assert status.stale and status.problems == ("regions.csv:3:fund: must be >= 0 (-1)",)
    assert status.problems_since == clock.now and status.loaded_at == loaded_at
    assert "regions.csv:3:fund: must be >= 0 (-1)" in caplog.text
    # The same broken files are not read again on every check.
    clock.advance(2.0)
    assert data.check() is False and loader.calls == 2
    # Another bad save: still stale, and since the first one.
    since = status.problems_since
    touch(folder / "regions.csv")
    settle(data, clock)
    assert data.status.problems_since == since and data.current() is good
    # Fixed: the new dataset is served and the problems go.
    loader.broken = False
    touch(folder / "regions.csv")
    assert settle(data, clock) is True
    assert data.current() is not good and not data.status.stale
    assert data.status.problems == () and data.status.problems_since is None


def test_unexpected_errors_also_keep_the_last_good(folder: Path) -> None:
    def explode(_):
        raise UnicodeDecodeError("utf-8", b"\xff", 0, 1, "half a character")

    data, clock, _loader = watched(folder)
    good = data.current()
    data._loader = explode
    touch(folder / "regions.csv")
    assert settle(data, clock) is False
    assert data.current() is good and data.status.stale
    assert "could not be read (UnicodeDecodeError)" in data.status.problems[0]


def test_first_load_of_invalid_data_raises(folder: Path) -> None:
    loader = Loader()
    loader.broken = True
    with pytest.raises(DataError):
        live.LiveDataset(folder, loader=loader)


def test_files_moving_during_the_load_drop_the_candidate(folder: Path) -> None:
    clock = Clock()
    calls = []

    def loader(path: Path):
        calls.append(path)
        if len(calls) == 2:  # the reload: another save lands while reading
            touch(folder / "sources.csv")
        return object()

    data = live.LiveDataset(folder, interval=2.0, settle=0.5, loader=loader, clock=clock)
    first = data.current()
    touch(folder / "regions.csv")
    assert settle(data, clock) is False and data.current() is first
    assert settle(data, clock) is True and len(calls) == 3


def test_the_swap_is_one_object_and_calls_back(folder: Path) -> None:
    swapped = []
    data, clock, _loader = watched(folder, on_swap=swapped.append)
    touch(folder / "regions.csv")
    settle(data, clock)
    assert swapped == [data.current()]


def test_concurrent_readers_see_whole_datasets(tmp_path: Path) -> None:
    """Real files and the real loader: readers in threads see one valid dataset or the next."""
    source = Path(__file__).resolve().parent / "fixtures" / "mini"
    for path in source.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    data = live.LiveDataset(tmp_path, interval=0.05, settle=0.05).start()
    try:
        first = data.current()
        seen: set[int] = set()
        halt = threading.Event()

        def read() -> None:
            while not halt.is_set():
                current = data.current()
                assert len(current.regions) == len(first.regions)
                seen.add(id(current))
                # A real reader (a rerun) does work between reads; three threads spinning
                # on the GIL would starve the loader's many short numpy calls instead.
                time.sleep(0.0005)

        readers = [threading.Thread(target=read) for _ in range(3)]
        for reader in readers:
            reader.start()
        touch(tmp_path / "regions.csv")
        deadline = time.monotonic() + 20
        while data.reloads == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        halt.set()
        for reader in readers:
            reader.join()
        assert data.reloads == 1 and data.current() is not first
        assert seen <= {id(first), id(data.current())}
        # Real broken data: the valid one stays.
        good = data.current()
        regions = tmp_path / "regions.csv"
        regions.write_text(regions.read_text(encoding="utf-8").replace(",", ";", 3), "utf-8")
        deadline = time.monotonic() + 20
        while not data.status.stale and time.monotonic() < deadline:
            time.sleep(0.05)
        assert data.status.stale and data.current() is good
        assert all(p.count(":") >= 3 for p in data.status.problems)
    finally:
        data.stop()


def test_interval_from_env(monkeypatch) -> None:
    monkeypatch.setenv("DATA_CHECK_SECONDS", "0.25")
    assert live.interval_from_env() == 0.25
    for bad in ("", "soon", "-1", "0"):
        monkeypatch.setenv("DATA_CHECK_SECONDS", bad)
        assert live.interval_from_env() == live.DEFAULT_INTERVAL_S


def test_real_data_loads(tmp_path: Path) -> None:
    data = live.LiveDataset(Path(__file__).resolve().parent / "fixtures" / "mini")
    assert data.current().regions.equals(load_dataset(data.data_dir).regions)


def test_app_warns_while_serving_the_last_good_copy(mini_copy, monkeypatch) -> None:
    """AppTest: break a file of the served folder, the banner and the full list appear."""
    from streamlit.testing.v1 import AppTest

    from dashboard import ui

    app_file = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
    monkeypatch.setenv("DATA_DIR", str(mini_copy))

    def run(page: str | None = None) -> AppTest:
        app = AppTest.from_file(app_file, default_timeout=60)
        app.run()
        if page:
            app.switch_page(page).run()
        assert not app.exception, [e.value for e in app.exception]
        return app

    assert not run().warning
    watched_data = ui._dataset_for(str(mini_copy))
    good = watched_data.current()
    regions = mini_copy / "regions.csv"
    text = regions.read_text(encoding="utf-8")
    regions.write_text(text.replace("\n", "\nnot-a-code,", 1), encoding="utf-8")
    watched_data.check(force=True)
    watched_data._pending_at -= 10  # as if it had settled
    watched_data.check(force=True)
    assert watched_data.status.stale and watched_data.current() is good
    home = run()
    assert any("last valid data" in w.value for w in home.warning)
    sources = run("app_pages/sources.py")
    assert any("last valid data" in w.value for w in sources.warning)
    listed = "\n".join(c.value for c in sources.code)
    assert all(problem in listed for problem in watched_data.status.problems)
    regions.write_text(text, encoding="utf-8")
    touch(regions)
    watched_data.check(force=True)
    watched_data._pending_at -= 10
    assert watched_data.check(force=True) is True
    assert not run().warning


@pytest.mark.browser
@pytest.mark.slow
def test_browser_sees_edits_keeps_last_good_and_recovers(tmp_path: Path, browser) -> None:
    """The real app on a copy of data/: edit a figure, break the file, fix it, no restart."""
    from conftest import free_port, start_app

    data_dir = tmp_path / "data"
    data_dir.mkdir()
    source = Path(__file__).resolve().parent.parent / "data"
    for path in source.glob("*.csv"):
        (data_dir / path.name).write_bytes(path.read_bytes())
    instruments = data_dir / "instruments.csv"
    original = instruments.read_text(encoding="utf-8")
    lines = original.splitlines()
    header = next(csv.reader([lines[0]]))
    # Anhui's provincial fund: the figure the province panel shows as "AI industry fund".
    line_no, cells = next(
        (number, row)
        for number, row in enumerate(csv.reader(lines[1:]), start=2)
        if row[header.index("adcode")] == "340000"
        and row[header.index("level")] == "province"
        and row[header.index("kind")] == "fund"
    )
    fund_at = header.index("amount")

    def with_fund(value: str) -> str:
        edited = io.StringIO()
        csv.writer(edited, lineterminator="").writerow(
            [*cells[:fund_at], value, *cells[fund_at + 1 :]]
        )
        return "\n".join([*lines[: line_no - 1], edited.getvalue(), *lines[line_no:]]) + "\n"

    port = free_port()
    process = start_app(port, {"DATA_DIR": str(data_dir), "DATA_CHECK_SECONDS": "0.5"})
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    fund = page.locator("li", has_text="AI industry fund").first
    warning = page.get_by_text("last valid data")

    def rerun_until(ready, seconds: float = 30) -> float:
        """Press Streamlit's rerun key until `ready()`; seconds it took."""
        started = time.monotonic()
        while not ready():
            assert time.monotonic() - started < seconds, "not shown in time"
            page.mouse.click(700, 30)
            page.keyboard.press("r")
            page.wait_for_timeout(300)
        return time.monotonic() - started

    try:
        page.goto(f"http://127.0.0.1:{port}/?province=340000")
        fund.wait_for(timeout=60_000)
        assert f"{cells[fund_at]} bn yuan" in fund.inner_text()

        written = time.monotonic()
        instruments.write_text(with_fund("27"), encoding="utf-8")
        rerun_until(lambda: "27 bn yuan" in fund.inner_text())
        delay = time.monotonic() - written

        # An editor's two-step save of a bad value: half a file, then the whole one.
        broken = with_fund("-5")
        instruments.write_text(broken[: len(broken) // 2], encoding="utf-8")
        page.wait_for_timeout(200)
        instruments.write_text(broken, encoding="utf-8")
        rerun_until(lambda: warning.count() > 0)
        assert "27 bn yuan" in fund.inner_text(), "the last valid value stays"
        assert page.locator("[data-testid=stException]").count() == 0
        page.goto(f"http://127.0.0.1:{port}/sources")
        page.get_by_text(f"instruments.csv:{line_no}:amount").first.wait_for(timeout=30_000)

        instruments.write_text(with_fund("30"), encoding="utf-8")
        page.goto(f"http://127.0.0.1:{port}/?province=340000")
        fund.wait_for(timeout=60_000)
        rerun_until(lambda: "30 bn yuan" in fund.inner_text() and warning.count() == 0)
        print(f"\nreload delay (file written -> new value in the browser): {delay:.1f} s")
    finally:
        context.close()
        process.terminate()
        process.wait(timeout=20)


def test_a_replaced_dataset_is_freed(tmp_path: Path) -> None:
    """One dataset per folder: after a swap nothing here keeps the old one alive."""
    import gc
    import weakref

    source = Path(__file__).resolve().parent / "fixtures" / "mini"
    for path in source.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    clock = Clock()
    data = live.LiveDataset(tmp_path, interval=2.0, settle=0.5, clock=clock)
    old = weakref.ref(data.current())
    touch(tmp_path / "regions.csv")
    assert settle(data, clock) is True
    gc.collect()
    assert old() is None, "the replaced dataset was collected"
