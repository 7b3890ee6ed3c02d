"""`make bench` drives the app through AppTest by widget keys: a renamed key must fail
here, in `make test`, not silently in the next benchmark run."""

from __future__ import annotations

from bench import run


def test_every_rerun_scenario_still_drives_the_app() -> None:
    results = run.section_rerun(1, profile=False)
    scenarios = {
        "page /", "page /regions", "page /compare", "page /screener", "page /sources",
        "change metric", "click province", "change screener range",
    }  # fmt: skip
    assert scenarios <= set(results)
    assert all(results[name]["median_ms"] > 0 for name in scenarios)
