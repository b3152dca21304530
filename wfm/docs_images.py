"""The screenshots in the docs, made from a real run of the bundled example (`make docs-images`):

- ``docs/images/report-html.png``: the run's report.html rendered in headless Chromium (Debian's, through
  Playwright), the top of the page (1200 x 1400);
- ``docs/images/roster-sheet.png``: the first page of plan.xlsx's Roster sheet as LibreOffice prints it
  (``soffice --convert-to pdf`` of a copy holding only that sheet, fitted to the page's width, then
  ``pdftoppm``).

Both need programs outside Python (Debian's chromium, libreoffice-calc-nogui and poppler-utils); without them
it says which is missing and exits 1. The images are for people, not checked by the tests.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def report_screenshot(run: Path, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 1400})
            page.goto((run / "report.html").as_uri(), wait_until="load")
            page.screenshot(path=str(out))  # the top of the page: headline, targets, service
        finally:
            browser.close()


def roster_sheet_image(run: Path, out: Path, rows: int = 30) -> None:
    import openpyxl

    with tempfile.TemporaryDirectory(prefix="wfm-roster-sheet-") as tmp:
        folder = Path(tmp)
        wb = openpyxl.load_workbook(run / "plan.xlsx")
        for name in list(wb.sheetnames):
            if name != "Roster":
                del wb[name]
        ws = wb["Roster"]
        ws.print_options.gridLines = True
        ws.page_setup.orientation = "landscape"
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.print_area = f"A1:{openpyxl.utils.get_column_letter(ws.max_column)}{rows + 1}"
        wb.save(folder / "roster.xlsx")
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder),
                        str(folder / "roster.xlsx")], check=True, capture_output=True, timeout=300)
        subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile",
                        str(folder / "roster.pdf"), str(folder / "page")], check=True, capture_output=True)
        from PIL import Image, ImageChops

        page = Image.open(folder / "page.png").convert("RGB")
        box = ImageChops.invert(page).getbbox()  # the printed cells, without the page's white margins
        page.crop((max(box[0] - 12, 0), max(box[1] - 12, 0), box[2] + 12, box[3] + 12) if box else None).save(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m wfm.docs_images", description=__doc__.split("\n")[0])
    parser.add_argument("run", type=Path, help="a run folder of the bundled example (wfm plan's output)")
    args = parser.parse_args(argv)
    args.run = args.run.resolve()
    missing = [what for what, ok in (("chromium (apt install chromium)", Path(CHROMIUM).exists()),
                                     ("soffice (apt install libreoffice-calc-nogui)", shutil.which("soffice")),
                                     ("pdftoppm (apt install poppler-utils)", shutil.which("pdftoppm"))) if not ok]
    if missing:
        print(f"docs images need {', '.join(missing)}", file=sys.stderr)
        return 1
    IMAGES.mkdir(parents=True, exist_ok=True)
    report_screenshot(args.run, IMAGES / "report-html.png")
    roster_sheet_image(args.run, IMAGES / "roster-sheet.png")
    print(f"wrote {IMAGES / 'report-html.png'} and {IMAGES / 'roster-sheet.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
