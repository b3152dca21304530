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


def _blocks(section: str, prefix: str) -> list[str]:
    text = README.read_text()
    body = text.split(f"\n### {section}\n", 1)[1].split("\n### ", 1)[0]
    return [b for b in body.split("```\n")[1::2] if b.startswith(prefix)]


def test_readme_staff_examples_are_real_output(tmp_path, monkeypatch):
    """Every `$ wfm ...` line in the staff section, run in order on a copy of the bundled example, prints
    exactly what the README shows (stdout, then the notes on stderr such as 'wrote ...')."""
    import shlex
    import shutil

    from typer.testing import CliRunner

    from wfm.cli import app

    root = README.parent
    shutil.copytree(root / "configs", tmp_path / "configs")
    (tmp_path / "forecasts").mkdir()
    shutil.copy(root / "forecasts" / "history.csv", tmp_path / "forecasts" / "history.csv")
    monkeypatch.chdir(tmp_path)
    blocks = _blocks("wfm staff", "$ wfm ")
    assert len(blocks) == 4
    for block in blocks:
        shown: list[str] = []
        commands: list[tuple[str, list[str]]] = []
        for line in block.rstrip("\n").split("\n"):
            if line.startswith("$ wfm "):
                commands.append((line, []))
            else:
                commands[-1][1].append(line)
        for command, expected in commands:
            result = CliRunner().invoke(app, shlex.split(command)[2:])
            assert result.exit_code == 0, (command, result.output)
            printed = (result.stdout + result.stderr).rstrip("\n")  # notes on stderr come after the table
            assert (printed.split("\n") if printed else []) == expected, command
            shown.append(command)
    assert shown
