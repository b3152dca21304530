"""What every bad-input test asserts (issue 14): exit 2, one ``Error:`` line on stderr naming what is wrong."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "configs" / "example.toml"
HISTORY = ROOT / "forecasts" / "history.csv"


def one_line_exit_2(res, *needles: str) -> None:
    """Exit 2 with exactly one stderr line, ``Error: ...``, holding every needle; never a traceback."""
    assert res.exit_code == 2, (res.exit_code, res.stderr)
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "Traceback" not in res.stderr, res.stderr
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


def edited_config(tmp_path: Path, old: str, new: str) -> Path:
    """The example config with its first ``old`` replaced by ``new``, written to ``tmp_path/c.toml``."""
    return edited_file(CONFIG, tmp_path, old, new)


def edited_file(source: Path, tmp_path: Path, old: str, new: str) -> Path:
    """``source`` with its first ``old`` replaced by ``new`` (which must be there), written to
    ``tmp_path/c.toml``."""
    text = source.read_text()
    assert old in text
    path = tmp_path / "c.toml"
    path.write_text(text.replace(old, new, 1))
    return path
