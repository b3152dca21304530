"""Docs that cannot go stale: every example's output is regenerated from the live code (like cog in sqlite-utils).

`python -m wfm.docs` (`make docs`) rewrites README.md and every docs/*.md in place; `python -m wfm.docs --check`
changes nothing and exits 1 naming each stale page and block. tests/test_docs.py runs the check.

The markers, all plain Markdown that GitHub renders as usual:

- A fenced block whose info string starts with ``console`` is an **example**. Its ``$ ...`` lines are commands;
  the lines after each, up to the next ``$`` line, are that command's output and are regenerated. Every page runs
  in its own temporary copy of the bundled example (``configs/``, ``forecasts/history.csv``); its blocks run in
  page order in that one folder, so a later command may read an earlier one's output file. Commands:
  ``wfm ...`` (run through typer's CliRunner; printed: stdout and stderr interleaved as a terminal shows them), ``wfm <command> --help`` (the help at
  100 columns), ``make <target>`` (the target's ``wfm`` recipe lines from the Makefile, echoed as make does),
  ``echo $?`` (the previous command's exit status), ``cat``, ``head -N``, ``ls`` and ``sed -n 'Np;A,Bp'`` on files
  in the folder. A command that exits non-zero must be followed by ``$ echo $?``, so the page shows the status
  and the check compares it.
- A fenced block with ``file=NAME`` in its info string (```` ```csv file=bad.csv ````) is an **input**: its text
  is written to NAME in the page's folder before the blocks after it run.
- A fenced block with info string ``python run`` is **executed** (in the page's folder, one namespace per page);
  the check fails when it raises.
- In docs/cli-reference.md, the text between ``<!-- cli-reference:start -->`` and ``<!-- cli-reference:end -->``
  is generated: one ``$ wfm <command> --help`` block per command, so a new command appears by itself.
- In docs/architecture.md, the text between ``<!-- layers:start -->`` and ``<!-- layers:end -->`` is the import
  layer table rendered from ``wfm.layers.LAYERS``, which tests/test_layers.py enforces.

Output that differs between two runs of the same inputs is normalised before comparing: the numbers after the
keys in ``TIMING_KEYS`` (solver wall-clock seconds). When the normalised texts agree the page keeps its
recorded numbers, so `make docs` does not rewrite a page just because the solver was faster this time.
Any other difference is stale.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from typer.main import get_command

from wfm.cli import app

ROOT = Path(__file__).resolve().parents[1]
START = "<!-- cli-reference:start -->"
END = "<!-- cli-reference:end -->"
LAYERS_START = "<!-- layers:start -->"
LAYERS_END = "<!-- layers:end -->"
WIDTH = 100
EXAMPLE_FILES = ("configs", "forecasts/history.csv")
TIMING_KEYS = ("solve_seconds",)
_TIMING = re.compile(r'(?P<key>"?(?:' + "|".join(TIMING_KEYS) + r')"?:?\s+)\d+(?:\.\d+)?')
_FENCE = re.compile(r"^(`{3,})(.*)$")


def command_names() -> list[str]:
    return list(get_command(app).commands)  # type: ignore[attr-defined]


def command_help(name: str | None) -> str:
    """`wfm NAME --help` (`wfm --help` when NAME is None), at WIDTH columns whatever the terminal."""
    group = get_command(app)
    command = group if name is None else group.commands[name]  # type: ignore[attr-defined]
    info_name = "wfm" if name is None else f"wfm {name}"
    ctx = command.context_class(command, info_name=info_name, terminal_width=WIDTH, max_content_width=WIDTH)
    return command.get_help(ctx)


def cli_reference() -> str:
    """The generated part of docs/cli-reference.md: one `--help` example per command."""
    parts = [START, "", "```console", "$ wfm --help", command_help(None).rstrip(), "```", ""]
    for name in command_names():
        parts += [f"## wfm {name}", "", "```console", f"$ wfm {name} --help", command_help(name).rstrip(), "```", ""]
    parts.append(END)
    return "\n".join(parts)


def layers_table() -> str:
    """The generated part of docs/architecture.md: wfm.layers.LAYERS as a Markdown table."""
    from wfm.layers import LAYERS, SAME_LAYER

    rows = [LAYERS_START, "", "| layer | modules | may also import, in its own layer |", "|---|---|---|"]
    for number, layer in enumerate(LAYERS):
        same = ", ".join(f"{a} -> {b}" for a, b in sorted(SAME_LAYER) if a in layer) or "-"
        rows.append(f"| {number} | {', '.join(f'`{m}`' for m in layer)} | {same} |")
    rows += ["", LAYERS_END]
    return "\n".join(rows)


def pages(root: Path = ROOT) -> list[Path]:
    return [root / "README.md", *sorted((root / "docs").glob("*.md"))]


# --- parsing ------------------------------------------------------------------------------------------------


@dataclass
class Block:
    """One fenced block: ``start`` is the index of its opening fence line, ``body`` the lines inside."""

    start: int
    info: str
    body: list[str]

    @property
    def kind(self) -> str:
        words = self.info.split()
        if words[:1] == ["console"]:
            return "example"
        if words[:2] == ["python", "run"]:
            return "python"
        if any(w.startswith("file=") for w in words):
            return "file"
        return "other"

    @property
    def file_name(self) -> str:
        return next(w.split("=", 1)[1] for w in self.info.split() if w.startswith("file="))


def blocks(lines: list[str]) -> list[Block]:
    found: list[Block] = []
    i = 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        fence, info = match.group(1), match.group(2).strip()
        j = i + 1
        while j < len(lines) and lines[j].rstrip() != fence:
            j += 1
        found.append(Block(i, info, lines[i + 1 : j]))
        i = j + 1
    return found


def commands(body: list[str]) -> list[tuple[str, list[str]]]:
    """An example's (command, recorded output lines) pairs; lines before the first `$` are an error."""
    pairs: list[tuple[str, list[str]]] = []
    for line in body:
        if line.startswith("$ "):
            pairs.append((line[2:], []))
        elif not pairs:
            raise ValueError(f"output line before any `$ ` command: {line!r}")
        else:
            pairs[-1][1].append(line)
    return pairs


# --- running ------------------------------------------------------------------------------------------------


@dataclass
class Shell:
    """The few commands a docs example may run, in one folder."""

    cwd: Path
    status: int = 0
    namespace: dict = field(default_factory=dict)

    def run(self, command: str) -> str:
        argv = shlex.split(command)
        if argv[0] == "wfm":
            return self._wfm(argv[1:])
        if argv[0] == "make" and len(argv) == 2:
            return self._make(argv[1])
        if argv == ["echo", "$?"]:
            out, self.status = str(self.status), 0
            return out
        self.status = 0
        if argv[0] == "cat" and len(argv) == 2:
            return self._read(argv[1]).rstrip("\n")
        if argv[0] == "head" and len(argv) in (3, 4):
            n = int(argv[2] if argv[1] == "-n" else argv[1].lstrip("-"))
            return "\n".join(self._read(argv[-1]).split("\n")[:n])
        if argv[0] == "ls" and len(argv) == 2:
            return "\n".join(sorted(p.name for p in (self.cwd / argv[1]).iterdir()))
        if argv[:2] == ["sed", "-n"] and len(argv) == 4:
            lines = self._read(argv[3]).split("\n")
            out = []
            for part in argv[2].split(";"):
                first, _, last = part.rstrip("p").partition(",")
                out += lines[int(first) - 1 : int(last or first)]
            return "\n".join(out)
        raise ValueError(f"docs examples cannot run {command!r} (see wfm/docs.py for what they can)")

    def _read(self, name: str) -> str:
        return (self.cwd / name).read_text(encoding="utf-8")

    def _wfm(self, args: list[str]) -> str:
        if args == ["--help"] or (len(args) == 2 and args[1] == "--help" and args[0] in command_names()):
            self.status = 0
            return command_help(args[0] if len(args) == 2 else None).rstrip("\n")
        from typer.testing import CliRunner

        result = CliRunner().invoke(app, args)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise RuntimeError(f"wfm {shlex.join(args)} raised {result.exception!r}") from result.exception
        self.status = result.exit_code
        return result.output.rstrip("\n")  # stdout and stderr interleaved, as a terminal shows them

    def _make(self, target: str) -> str:
        """A Makefile target's recipe lines that run `wfm`, echoed as make echoes them (with $(BIN) expanded)."""
        recipe = re.search(rf"^{re.escape(target)}:.*\n((?:\t.*\n)+)", (ROOT / "Makefile").read_text(), re.M)
        if recipe is None:
            raise ValueError(f"Makefile has no target {target!r} with a recipe")
        out = []
        for line in recipe.group(1).splitlines():
            line = line.strip().replace("$(BIN)", ".venv/bin")
            argv = shlex.split(line)
            if not argv[0].endswith("/wfm"):
                raise ValueError(f"make {target}: docs examples run only wfm recipe lines, not {line!r}")
            out.append(line)
            printed = self._wfm(argv[1:])
            out += [printed] if printed else []
            if self.status:
                break
        return "\n".join(out)


def normalise(text: str) -> str:
    return _TIMING.sub(lambda m: m.group("key") + "<seconds>", text)


@dataclass
class Stale:
    page: str
    line: int
    command: str
    expected: str
    got: str

    def __str__(self) -> str:
        if self.command == "page":
            return f"{self.page}: {self.got}"
        return f"{self.page}:{self.line}: `{self.command}` prints something else now"


def render_page(path: Path, root: Path = ROOT) -> tuple[str, list[Stale]]:
    """Run every example of one page in a fresh copy of the bundled example; return the new text and what was stale."""
    text = path.read_text(encoding="utf-8")
    if path.name == "cli-reference.md" and START in text:
        head, rest = text.split(START, 1)
        text = head + cli_reference() + rest.split(END, 1)[1]
    if path.name == "architecture.md" and LAYERS_START in text:
        head, rest = text.split(LAYERS_START, 1)
        text = head + layers_table() + rest.split(LAYERS_END, 1)[1]
    lines = text.split("\n")
    name = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
    stale: list[Stale] = []
    here = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="wfm-docs-") as tmp:
        sandbox = Path(tmp)
        for item in EXAMPLE_FILES:
            source, target = root / item, sandbox / item
            target.parent.mkdir(parents=True, exist_ok=True)
            (shutil.copytree if source.is_dir() else shutil.copy)(source, target)
        shell = Shell(sandbox)
        os.chdir(sandbox)
        try:
            replacements: list[tuple[Block, list[str]]] = []
            for block in blocks(lines):
                if block.kind == "file":
                    target = sandbox / block.file_name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text("\n".join(block.body) + "\n", encoding="utf-8")
                elif block.kind == "python":
                    try:
                        exec(compile("\n".join(block.body), f"{name}:{block.start + 1}", "exec"), shell.namespace)
                    except Exception as exc:  # a broken snippet is a stale page, reported with its location
                        stale.append(Stale(name, block.start + 1, "python block", "runs", repr(exc)))
                elif block.kind == "example":
                    body = []
                    pairs = commands(block.body)
                    for k, (command, recorded) in enumerate(pairs):
                        printed = shell.run(command)
                        if shell.status and (k + 1 == len(pairs) or pairs[k + 1][0] != "echo $?"):
                            raise RuntimeError(
                                f"{name}:{block.start + 1}: `{command}` exited {shell.status}; "
                                f"follow it with `$ echo $?` to show that on the page\n{printed}"
                            )
                        old = "\n".join(recorded)
                        if normalise(old) == normalise(printed):
                            printed = old
                        else:
                            stale.append(Stale(name, block.start + 1, command, old, printed))
                        body += [f"$ {command}", *([printed] if printed else [])]
                    replacements.append((block, "\n".join(body).split("\n")))
        finally:
            os.chdir(here)
    for block, body in reversed(replacements):
        lines[block.start + 1 : block.start + 1 + len(block.body)] = body
    new = "\n".join(lines)
    if new != path.read_text(encoding="utf-8") and not stale:
        stale.append(Stale(name, 1, "generated section", "", "regenerated"))
    return new, stale


def _render(path: str) -> tuple[str, str, list[Stale], float]:
    """One page, for the process pool: a page that cannot run is reported as stale, the others still render."""
    import time

    began = time.perf_counter()
    try:
        new, stale = render_page(Path(path))
    except Exception as exc:
        new, stale = Path(path).read_text(encoding="utf-8"), [Stale(path, 1, "page", "runs", f"failed: {exc}")]
    return path, new, stale, time.perf_counter() - began


SLOW = ("wfm plan", "wfm roster", "wfm whatif", "make demo")


def _cost(path: Path) -> int:
    """A rough guess of a page's seconds, to start the slow pages first: the solver runs count."""
    text = path.read_text(encoding="utf-8")
    return sum(text.count(f"\n$ {command}") for command in SLOW) * 15 + text.count("\n$ wfm ")


def run(paths: list[Path], *, check: bool, jobs: int, verbose: bool = False) -> list[Stale]:
    """Render the pages (in ``jobs`` processes); write them unless ``check``. Returns what was stale."""
    stale: list[Stale] = []
    if jobs > 1 and len(paths) > 1:
        import multiprocessing

        # the slowest pages first, so the processes finish together
        order = sorted(paths, key=_cost, reverse=True)
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
            results = list(pool.map(_render, [str(p) for p in order]))
    else:
        results = [_render(str(p)) for p in paths]
    for path, new, page_stale, seconds in results:
        stale += page_stale
        if verbose:
            print(f"{Path(path).name}: {seconds:.1f} s", file=sys.stderr)
        if page_stale and not check and not any(s.command == "page" for s in page_stale):
            Path(path).write_text(new, encoding="utf-8")
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m wfm.docs", description=__doc__.split("\n")[0])
    parser.add_argument("pages", nargs="*", type=Path, help="pages to render (default: README.md and docs/*.md)")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 when a page is stale")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), help="pages rendered at once")
    parser.add_argument("--times", action="store_true", help="print each page's seconds on stderr")
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.pages] or pages()
    stale = run(paths, check=args.check, jobs=args.jobs, verbose=args.times)
    for item in stale:
        print(item if args.check else f"{item.page}:{item.line}: regenerated `{item.command}`")
    if args.check and stale:
        print("docs are stale: run `make docs`", file=sys.stderr)
        return 1
    if not stale:
        print(f"{len(paths)} pages up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
