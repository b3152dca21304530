"""Docs cannot go stale: every command has help and a docs page, the README stays a front door, links resolve,
and every example in README.md and docs/*.md prints today exactly what the page shows (wfm.docs --check)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from wfm.docs import (
    END,
    START,
    Shell,
    blocks,
    cli_reference,
    command_help,
    command_names,
    normalise,
    pages,
    run,
)

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = ROOT / "docs"


def test_every_command_has_help_text():
    for name in command_names():
        text = command_help(name)
        body = text.split("\n\n", 2)[1].strip() if "\n\n" in text else ""
        assert body and not body.startswith("Options"), f"wfm {name} has no help text"


def test_every_command_has_a_docs_page():
    for name in command_names():
        page = DOCS / f"{name}.md"
        assert page.exists(), f"wfm {name} has no docs page docs/{name}.md"
        assert page.read_text().startswith(f"# wfm {name}\n"), f"docs/{name}.md does not start with '# wfm {name}'"
        assert f"(docs/{name}.md)" in README.read_text(), f"README does not link docs/{name}.md"


def test_cli_reference_is_current():
    text = (DOCS / "cli-reference.md").read_text()
    assert START in text and END in text
    block = START + text.split(START, 1)[1].split(END, 1)[0] + END
    assert block == cli_reference(), "docs/cli-reference.md is stale: run `make docs`"


def test_readme_is_a_front_door():
    lines = README.read_text().split("\n")
    assert len(lines) <= 200, f"README.md has {len(lines)} lines; move detail to docs/"
    text = README.read_text()
    assert "$ make demo" in text and "make test" in text
    assert "```python run" in text, "the README's Python snippet is run by the docs check"


def _links(path: Path) -> list[str]:
    """Relative link targets outside fenced blocks (a page's code may hold Markdown of its own)."""
    text = re.sub(r"^```.*?^```", "", path.read_text(), flags=re.S | re.M)
    return [t for t in re.findall(r"\]\(([^)\s]+)\)", text) if not re.match(r"[a-z]+:|#", t)]


def test_every_relative_link_points_to_an_existing_file():
    broken = []
    for page in pages():
        for target in _links(page):
            file, _, anchor = target.partition("#")
            resolved = (page.parent / file).resolve()
            if not resolved.exists():
                broken.append(f"{page.relative_to(ROOT)}: {target}")
            elif anchor and resolved.suffix == ".md":
                headings = re.findall(r"^#+ (.+)$", resolved.read_text(), flags=re.M)
                slugs = {re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-") for h in headings}
                if anchor not in slugs:
                    broken.append(f"{page.relative_to(ROOT)}: {target} (no such heading)")
    assert not broken, "broken links:\n" + "\n".join(broken)


def test_the_docs_shell(tmp_path):
    (tmp_path / "f.txt").write_text("a\nb\nc\nd\n")
    shell = Shell(tmp_path)
    assert shell.run("head -2 f.txt") == "a\nb"
    assert shell.run("sed -n '1p;3,4p' f.txt") == "a\nc\nd"
    assert shell.run("ls .") == "f.txt"
    assert shell.run("wfm ratio --quiet") == ""
    assert shell.run("echo $?") == "0"
    assert normalise("solve_seconds          9.2") == normalise("solve_seconds          14.3")
    assert normalise('"solve_seconds": 9.2') != normalise('"solve_seconds": 9.2, "gap": 1')
    found = blocks(["x", "```console", "$ wfm --help", "```", "```csv file=a.csv", "t", "```"])
    assert [(b.start, b.kind) for b in found] == [(1, "example"), (4, "file")]


# the slowest pages first (measured: each runs `wfm plan`, `wfm roster` or `wfm whatif`), so that no slow page is
# left to run alone at the end; pages not named here are quick
SLOW_PAGES = ("whatif.md", "review.md", "roster.md", "simulate.md", "plan.md", "README.md", "explain.md")
PAGES = sorted(pages(), key=lambda p: SLOW_PAGES.index(p.name) if p.name in SLOW_PAGES else len(SLOW_PAGES))


@pytest.mark.docs
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_example_is_real_output(page: Path):
    """Runs every example block of one page of README.md and docs/*.md (one test per page, so pytest-xdist
    spreads the pages over its workers like any other test; together they are `python -m wfm.docs --check`)
    and fails naming each stale page, line and command. `make docs` rewrites them."""
    stale = run([page], check=True, jobs=1)
    assert not stale, "stale docs (run `make docs`):\n" + "\n".join(
        f"{s}\n--- page\n{s.expected}\n--- now\n{s.got}" for s in stale
    )


def test_the_page_tests_cover_every_page():
    assert sorted(PAGES) == sorted(pages()) and len(PAGES) == len(set(PAGES)) > 1
