"""report.html: the run on one self-contained page (no network, no JavaScript), opened from the run folder.

It is summary.md rendered (markdown-it-py, CommonMark with tables; raw HTML in the Markdown is escaped), so
the page and summary.md cannot disagree: the headline, targets met or breached, service, where the paid hours
go, the worst intervals and the files. Each chart the page shows is embedded as a ``data:`` PNG; links to the
run's other files stay relative, so they open beside it.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Mapping

STYLE = """
body { font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1b1b1b;
       margin: 0; background: #fafafa; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 32px 48px; background: #fff; }
h1 { font-size: 1.6em; margin: 0.2em 0 0.6em; }
h2 { font-size: 1.2em; margin-top: 1.8em; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.92em; }
th, td { border: 1px solid #d0d0d0; padding: 3px 8px; }
th { background: #f2f2f2; text-align: left; }
tr:nth-child(even) td { background: #fbfbfb; }
img { max-width: 100%; height: auto; border: 1px solid #eee; }
.met { background: #c6efce; color: #006100; padding: 6px 10px; display: inline-block; font-weight: bold; }
.breached { background: #ffc7ce; color: #9c0006; padding: 6px 10px; display: inline-block; font-weight: bold; }
code { background: #f4f4f4; padding: 0 3px; }
"""


def report_html(summary_md: str, images: Mapping[str, bytes], title: str) -> bytes:
    """The page for ``summary_md`` (a run's summary.md), each image it shows (``![...](name.png)``) taken from
    ``images`` by name and embedded; deterministic for the same inputs."""
    from markdown_it import MarkdownIt

    body = MarkdownIt("commonmark", {"html": False}).enable("table").render(summary_md)
    missing: list[str] = []

    def embed(m: re.Match[str]) -> str:
        name = html.unescape(m.group(1))
        data = images.get(name)
        if data is None:
            missing.append(name)
            return m.group(0)
        return f'src="data:image/png;base64,{base64.b64encode(data).decode()}"'

    body = re.sub(r'src="([^"]+\.png)"', embed, body)
    if missing:
        raise ValueError(f"report.html: summary.md shows {', '.join(missing)}, which the run does not have")
    body = body.replace("<p><strong>All targets met.</strong></p>", '<p class="met">All targets met.</p>', 1)
    body = body.replace("<p><strong>Targets breached:</strong></p>", '<p class="breached">Targets breached:</p>', 1)
    page = ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{html.escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{body}</main>\n"
            "</body>\n</html>\n")
    return page.encode()
