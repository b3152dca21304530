"""The README's CLI reference, generated from each command's live `--help` (like cog in sqlite-utils).

`python -m wfm.docs` (or `make docs`) rewrites the block between the markers in README.md;
tests/test_docs.py fails when the block is stale, when a command has no help text or no README section.
"""

from __future__ import annotations

import sys
from pathlib import Path

from typer.main import get_command

from wfm.cli import app

START = "<!-- cli-reference:start -->"
END = "<!-- cli-reference:end -->"
WIDTH = 100


def command_names() -> list[str]:
    return list(get_command(app).commands)  # type: ignore[attr-defined]


def command_help(name: str) -> str:
    group = get_command(app)
    command = group.commands[name]  # type: ignore[attr-defined]
    ctx = command.context_class(command, info_name=f"wfm {name}", terminal_width=WIDTH, max_content_width=WIDTH)
    return command.get_help(ctx)


def cli_reference() -> str:
    parts = [START, ""]
    for name in command_names():
        parts += [f"#### wfm {name} --help", "", "```", command_help(name).rstrip(), "```", ""]
    parts.append(END)
    return "\n".join(parts)


def update_readme(path: Path) -> bool:
    """Rewrite the reference block in ``path``; returns True when it changed."""
    text = path.read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    new = head + cli_reference() + tail
    if new != text:
        path.write_text(new, encoding="utf-8")
        return True
    return False


if __name__ == "__main__":
    readme = Path(sys.argv[1] if len(sys.argv) > 1 else "README.md")
    print(f"{readme}: {'updated' if update_readme(readme) else 'up to date'}")
