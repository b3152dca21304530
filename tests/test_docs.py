"""Docs cannot go stale: every command has help, a README section, and the reference matches --help."""

from __future__ import annotations

from pathlib import Path

from wfm.docs import END, START, cli_reference, command_help, command_names

README = Path(__file__).resolve().parents[1] / "README.md"


def test_every_command_has_help_text():
    for name in command_names():
        text = command_help(name)
        body = text.split("\n\n", 2)[1].strip() if "\n\n" in text else ""
        assert body and not body.startswith("Options"), f"wfm {name} has no help text"


def test_every_command_has_a_readme_section():
    text = README.read_text()
    for name in command_names():
        assert f"\n### wfm {name}\n" in text, f"README has no section for wfm {name}"


def test_cli_reference_is_current():
    text = README.read_text()
    assert START in text and END in text
    block = START + text.split(START, 1)[1].split(END, 1)[0] + END
    assert block == cli_reference(), "README CLI reference is stale: run `make docs`"
