"""report.html (wfm.report.html): summary.md rendered with its charts embedded, no network; and a real run's
page rendered in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright): no console errors, no
request leaving the page, every chart drawn, the headline figures shown. The screenshot is kept in
test-artifacts/. Without a browser the test is skipped saying so, except in CI (``CI`` set), where it fails:
.ci/run installs Chromium."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wfm.cli import app
from wfm.generate import write_small_centre
from wfm.report import report_html

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("WFM_CHROMIUM", "/usr/bin/chromium")
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16

SUMMARY = """# Plan 2026-11-30 .. 2026-12-06 — North

**All targets met.**

| figure | value |
|---|---:|
| agents rostered | 40 |

![Forecast](forecast.png)

- [roster.csv](roster.csv): rows <script>alert(1)</script>
"""


def test_the_page_is_the_summary_with_its_charts_inside():
    page = report_html(SUMMARY, {"forecast.png": PNG}, "Plan & more").decode()
    assert page.startswith("<!DOCTYPE html>") and "<title>Plan &amp; more</title>" in page
    assert '<p class="met">All targets met.</p>' in page
    assert '<td style="text-align:right">40</td>' in page
    assert 'src="data:image/png;base64,iVBORw0KGgo' in page
    assert '<a href="roster.csv">roster.csv</a>' in page
    assert "<script>" not in page and "&lt;script&gt;" in page  # Markdown's raw HTML is escaped
    assert not re.search(r'(src|href)="(https?:)?//', page)  # nothing from the network
    assert report_html(SUMMARY, {"forecast.png": PNG}, "x") == report_html(SUMMARY, {"forecast.png": PNG}, "x")


def test_a_chart_the_summary_shows_must_be_in_the_run():
    with pytest.raises(ValueError, match="summary.md shows forecast.png"):
        report_html(SUMMARY, {}, "x")


@pytest.fixture(scope="module")
def small_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("centre")
    config, history = write_small_centre(folder, "north", seed=3, peak=10.0, back_office=2)
    res = CliRunner().invoke(app, ["plan", "--config", str(config), "--history", str(history), "--out",
                                   str(folder / "runs"), "--replications", "20", "--quiet"])
    assert res.exit_code in (0, 1), res.output
    return folder / "runs" / "2026-11-30"


def test_report_html_renders_in_headless_chromium(small_run: Path):
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"no browser at {CHROMIUM}: .ci/run installs Debian's chromium")
        pytest.skip(f"no browser at {CHROMIUM} (install Debian's chromium, or set WFM_CHROMIUM)")
    from playwright.sync_api import sync_playwright

    manifest = json.loads((small_run / "manifest.json").read_text())
    h = manifest["headline"]
    problems: list[str] = []
    requests: list[str] = []
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report-html.png"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in
                    ("error", "warning") else None)
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
            page.on("request", lambda r: requests.append(r.url))
            page.goto((small_run / "report.html").as_uri(), wait_until="load")
            text = page.inner_text("body")
            drawn = page.eval_on_selector_all("img", "imgs => imgs.map(i => [i.alt, i.complete && i.naturalWidth])")
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    assert problems == []
    assert [u for u in requests if not u.startswith("data:")] == [(small_run / "report.html").as_uri()]
    assert len(drawn) == 4 and all(width and width > 300 for _, width in drawn), drawn
    assert ("All targets met." if manifest["exit_code"] == 0 else "Targets breached:") in text
    assert f"agents rostered\t{h['rostered_agents']}" in text
    assert f"calls forecast\t{h['calls']:,.0f}" in text
    assert "Worst intervals" in text and "Where the paid hours go" in text
    assert shot.stat().st_size > 10_000
