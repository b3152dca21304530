"""Outputs (issue 14): roster's files published as one set, no output over an input, no planted link followed,
a full disk one line with exit 74 and the old output intact, temps of killed writers cleaned by the next run."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from typer.testing import CliRunner

from wfm import outputs
from wfm.cli import app
from wfm.errors import InputError, OutputError
from wfm.io import atomic_write_text
from wfm.plan import publish as P
from wfm.roster import ROSTER_MANIFEST, check_roster_set, write_roster

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "configs" / "example.toml"
HISTORY = ROOT / "forecasts" / "history.csv"
SET = ("roster.csv", "coverage.csv", "service.csv")


def _one_line(res, code: int, *needles: str) -> str:
    assert res.exit_code == code, (res.exit_code, res.stderr, res.stdout)
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "Traceback" not in res.stderr, res.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def _forecast(tmp_path: Path) -> Path:
    fc = tmp_path / "fc.csv"
    fc.write_text("timestamp,queue,volume,aht\n2026-12-07 09:00,retail,10,300\n2026-12-07 09:15,retail,12,300\n")
    return fc


def _result(tag: str) -> SimpleNamespace:
    """What write_roster takes from a Roster: its three frames (``tag`` tells two runs apart)."""
    return SimpleNamespace(
        assignments=pd.DataFrame({"agent_id": [f"A-{tag}"], "contract": ["full_time"], "date": ["2026-01-05"],
                                  "shift": ["day"], "start": ["09:00"], "end": ["17:00"], "breaks": [""]}),
        coverage=pd.DataFrame({"timestamp": [f"2026-01-05 09:00 {tag}"], "rostered": [1]}),
        service=pd.DataFrame({"queue": [f"q-{tag}"], "met": [True]}),
    )


def _files(folder: Path, names=SET) -> tuple[bytes | None, ...]:
    return tuple((folder / n).read_bytes() if (folder / n).exists() else None for n in names)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


# --------------------------------------------------------------------------- roster's files as one set
def test_roster_publishes_its_files_with_a_manifest_of_their_hashes(tmp_path: Path) -> None:
    out = tmp_path / "out" / "roster.csv"
    assert write_roster(_result("old"), out) == out.parent / "coverage.csv"
    doc = json.loads((out.parent / ROSTER_MANIFEST).read_text())
    import hashlib
    assert doc == {"format": "wfm-file-set/1", "state": "published",
                   "files": {n: hashlib.sha256((out.parent / n).read_bytes()).hexdigest() for n in SET}}
    assert sorted(p.name for p in out.parent.iterdir()) == sorted([*SET, ROSTER_MANIFEST])
    assert (out.parent / "coverage.csv").read_text() == "timestamp,rostered\n2026-01-05 09:00 old,1\n"
    check_roster_set(out)  # a whole set passes
    # a roster edited by hand after a whole publish is still a good input
    out.write_text(out.read_text().replace("A-old", "A-edited"))
    check_roster_set(out)


KILL_SCRIPT = """
import os, sys
from wfm import outputs
real = os.replace
calls = [0]
def replace(a, b):
    real(a, b)
    calls[0] += 1
    if calls[0] == int(sys.argv[2]):
        os._exit(9)  # killed right after this rename: no cleanup runs
outputs.os.replace = replace
outputs.publish_files(sys.argv[1], {n: f"new {n}\\n".encode() for n in ("roster.csv", "coverage.csv", "service.csv")},
                      "roster.manifest.json")
"""


@pytest.mark.parametrize("renames", [1, 2, 3, 4, 5])
def test_a_kill_between_the_renames_never_gives_a_reader_a_mixed_set(tmp_path: Path, renames: int) -> None:
    """Killed after the n-th rename (1: the manifest, 2-4: roster, coverage, service, 5: the final manifest):
    a reader gets the whole old set or the whole new one, or is refused in one line; the next run cleans up."""
    out = tmp_path / "roster.csv"
    outputs.publish_files(tmp_path, {n: f"old {n}\n".encode() for n in SET}, ROSTER_MANIFEST)
    old, new = _files(tmp_path), tuple(f"new {n}\n".encode() for n in SET)
    proc = subprocess.run([sys.executable, "-c", KILL_SCRIPT, str(tmp_path), str(renames)], capture_output=True)
    assert proc.returncode == 9, proc.stderr
    now = _files(tmp_path)
    assert now == (old if renames == 1 else new if renames >= 4 else now)
    stage = [p for p in _leftovers(tmp_path) if p.startswith(f".{ROSTER_MANIFEST}.stage-")]
    assert len(stage) == 1  # the killed run's stage is left...
    if now in (old, new):
        check_roster_set(out)  # a whole set, old or new: read as it is
    else:
        assert renames in (2, 3)
        with pytest.raises(InputError, match="half-published") as exc:
            check_roster_set(out)
        assert str(exc.value).startswith(f"{out.resolve()}: the set it belongs to is half-published")
        res = CliRunner().invoke(app, ["ratio", "--config", str(CONFIG), "--roster", str(out)])
        _one_line(res, 2, str(out.resolve()), "half-published", "run wfm roster --out again")
    # ... and the next publish removes it and leaves a whole set
    write_roster(_result("next"), out)
    assert _leftovers(tmp_path) == []
    assert json.loads((tmp_path / ROSTER_MANIFEST).read_text())["state"] == "published"
    assert (tmp_path / "coverage.csv").read_text() == "timestamp,rostered\n2026-01-05 09:00 next,1\n"
    check_roster_set(out)


def test_a_second_kill_after_a_mixed_set_keeps_refusing_it(tmp_path: Path) -> None:
    """A mixed set is no 'previous' set: a publish killed again before its first data rename leaves it refused."""
    out = tmp_path / "roster.csv"
    outputs.publish_files(tmp_path, {n: f"old {n}\n".encode() for n in SET}, ROSTER_MANIFEST)
    for renames in (2, 1):
        proc = subprocess.run([sys.executable, "-c", KILL_SCRIPT, str(tmp_path), str(renames)], capture_output=True)
        assert proc.returncode == 9, proc.stderr
        with pytest.raises(InputError, match="half-published"):
            check_roster_set(out)


def test_a_failed_rename_inside_the_publish_leaves_no_stage(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "roster.csv"
    write_roster(_result("old"), out)
    real, calls = os.replace, []

    def replace(a, b):
        calls.append(b)
        if len(calls) == 3:  # the manifest and roster.csv are in; coverage.csv fails
            raise OSError(errno.EIO, "Input/output error", str(a))
        real(a, b)

    monkeypatch.setattr(outputs.os, "replace", replace)
    with pytest.raises(OutputError) as exc:
        write_roster(_result("new"), out)
    assert exc.value.exit_code == 74
    assert str(exc.value).startswith(f"{tmp_path / 'coverage.csv'}: writing it failed (Input/output error)")
    assert _leftovers(tmp_path) == []
    with pytest.raises(InputError, match=r"half-published \(coverage.csv, service.csv not from the same run"):
        check_roster_set(out)


def test_roster_out_naming_a_file_written_beside_it_is_refused(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "staffing.csv").write_text("timestamp,queue,scheduled\n")
    for name in ("coverage.csv", "service.csv", ROSTER_MANIFEST, "Coverage.CSV"):
        res = CliRunner().invoke(app, ["roster", "staffing.csv", "--config", str(CONFIG), "--out", f"d/{name}"])
        _one_line(res, 2, f"--out d/{name}: {name} is written beside the roster", "name the roster something else")
        with pytest.raises(InputError, match="is written beside the roster"):
            write_roster(_result("x"), tmp_path / "d" / name)
    assert not (tmp_path / "d").exists()


def test_an_out_that_cannot_be_written_is_refused_before_any_work(tmp_path: Path, monkeypatch) -> None:
    """The inputs here are bad too: the --out error comes first, before they are read (or a roster solved)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "staffing.csv").write_text("timestamp,queue,scheduled\n")
    (tmp_path / "d").mkdir()
    (tmp_path / "f").write_text("keep\n")
    res = CliRunner().invoke(app, ["roster", "staffing.csv", "--config", str(CONFIG), "--out", "d"])
    _one_line(res, 2, "d: is a folder; name the file to write")
    res = CliRunner().invoke(app, ["roster", "staffing.csv", "--config", str(CONFIG), "--out", "f/roster.csv"])
    _one_line(res, 2, f"{Path('f/roster.csv')}: its folder f is a file, not a folder")
    res = CliRunner().invoke(app, ["simulate", "staffing.csv", "--forecast", "staffing.csv", "--config",
                                   str(CONFIG), "--out", "f"])
    _one_line(res, 2, "f: exists and is not a folder")
    res = CliRunner().invoke(app, ["staff", "staffing.csv", "--config", str(CONFIG), "--out", "f/g/s.csv"])
    _one_line(res, 2, f"{Path('f/g/s.csv')}: its folder f is a file, not a folder")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d", "f", "staffing.csv"]
    assert list((tmp_path / "d").iterdir()) == [] and (tmp_path / "f").read_text() == "keep\n"


# --------------------------------------------------------------------------- --out equal to an input
def _same_as(kind: str, target: Path, tmp_path: Path) -> Path:
    """A path that is ``target``: itself, a symbolic link to it, or a hard link to it."""
    if kind == "same":
        return target
    link = tmp_path / f"{kind}-link{target.suffix}"
    (os.symlink if kind == "symlink" else os.link)(target, link)
    return link


@pytest.mark.parametrize("kind", ["same", "symlink", "hardlink"])
def test_out_equal_to_an_input_is_refused_and_the_input_kept(tmp_path: Path, kind: str) -> None:
    fc = _forecast(tmp_path)
    hist = tmp_path / "history.csv"
    hist.write_bytes(HISTORY.read_bytes())
    scen = tmp_path / "storm.toml"
    scen.write_bytes((ROOT / "configs" / "storm.toml").read_bytes())
    cfg = tmp_path / "c.toml"
    cfg.write_bytes(CONFIG.read_bytes())
    staffing = tmp_path / "staffing.csv"
    staffing.write_text("timestamp,queue,scheduled\n")
    before = {p: p.read_bytes() for p in (fc, hist, scen, cfg, staffing)}
    cases = [
        (["forecast", str(hist), "--config", str(cfg)], hist, "HISTORY"),
        (["forecast", str(hist), "--config", str(cfg)], cfg, "--config"),
        (["staff", str(fc), "--config", str(cfg)], fc, "FORECAST"),
        (["roster", str(staffing), "--config", str(cfg)], staffing, "STAFFING_CSV"),
        (["whatif", "--scenarios", str(scen), "--config", str(cfg), "--forecast", str(fc)], scen, "--scenarios"),
        (["whatif", "--scenarios", str(scen), "--config", str(cfg), "--forecast", str(fc)], fc, "--forecast"),
        (["simulate", str(staffing), "--forecast", str(fc), "--config", str(cfg)], fc, "--forecast"),
    ]
    for args, victim, label in cases:
        out = _same_as(kind, victim, tmp_path)
        res = CliRunner().invoke(app, [*args, "--out", str(out)])
        _one_line(res, 2, f"--out: {out} is also the input {label}", "write the result elsewhere")
        if kind != "same":
            out.unlink()
    assert {p: p.read_bytes() for p in before} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in before)


def test_a_file_written_beside_out_equal_to_an_input_is_refused(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "coverage.csv").write_text("timestamp,queue,scheduled\nkeep\n")
    res = CliRunner().invoke(app, ["roster", "coverage.csv", "--config", str(CONFIG), "--out", "roster.csv"])
    _one_line(res, 2, "coverage.csv beside --out: coverage.csv is also the input STAFFING_CSV")
    fc = _forecast(tmp_path)
    (tmp_path / "sim").mkdir()
    os.link(fc, tmp_path / "sim" / "days.csv")
    res = CliRunner().invoke(app, ["simulate", "coverage.csv", "--forecast", str(fc), "--config", str(CONFIG),
                                   "--out", "sim"])
    _one_line(res, 2, f"--out days.csv: {Path('sim') / 'days.csv'} is also the input --forecast")
    res = CliRunner().invoke(app, ["whatif", "--scenarios", str(ROOT / "configs" / "storm.toml"), "--config",
                                   str(CONFIG), "--forecast", str(fc), "--out", "w.csv", "--intervals", "w.csv"])
    _one_line(res, 2, "--intervals: w.csv is also --out")
    assert (tmp_path / "coverage.csv").read_text() == "timestamp,queue,scheduled\nkeep\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["coverage.csv", "fc.csv", "sim"]


def test_an_input_inside_the_run_folder_a_plan_replaces_is_refused(tmp_path: Path) -> None:
    run = tmp_path / "runs" / "2026-11-30"
    run.mkdir(parents=True)
    (run / "history.csv").write_text("keep\n")
    with pytest.raises(InputError, match="lies inside the run folder") as exc:
        outputs.check_not_inside(run, {"--history": run / "history.csv", "--config": CONFIG}, "the run folder")
    assert str(exc.value).startswith(f"--history {run / 'history.csv'}: lies inside the run folder {run}")
    outputs.check_not_inside(run, {"--history": HISTORY, "--agents": None}, "the run folder")  # elsewhere: fine


# --------------------------------------------------------------------------- no space left, cannot create
@pytest.mark.parametrize(("err", "reason"), [(errno.ENOSPC, "No space left on device"),
                                             (errno.EDQUOT, "Disk quota exceeded"),
                                             (errno.EIO, "Input/output error")])
def test_a_full_disk_is_exit_74_with_the_old_output_intact(tmp_path: Path, monkeypatch, err: int,
                                                           reason: str) -> None:
    fc = _forecast(tmp_path)
    out = tmp_path / "staffing.csv"
    out.write_text("old output\n")

    def fsync(fd: int) -> None:
        raise OSError(err, os.strerror(err))

    monkeypatch.setattr(os, "fsync", fsync)
    res = CliRunner().invoke(app, ["staff", str(fc), "--config", str(CONFIG), "--out", str(out)])
    _one_line(res, 74, f"{out}: writing it failed ({reason})", "left as it was")
    assert out.read_text() == "old output\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fc.csv", "staffing.csv"]


def test_a_full_disk_while_writing_roster_leaves_the_old_set(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "roster.csv"
    write_roster(_result("old"), out)
    before = _files(tmp_path, [*SET, ROSTER_MANIFEST])
    real = os.fsync
    calls = []

    def fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:  # roster.csv is staged; coverage.csv does not fit
            raise OSError(errno.ENOSPC, "No space left on device")
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(OutputError) as exc:
        write_roster(_result("new"), out)
    assert exc.value.exit_code == 74
    assert str(exc.value).startswith(f"{tmp_path / 'coverage.csv'}: writing it failed (No space left on device)")
    assert _files(tmp_path, [*SET, ROSTER_MANIFEST]) == before
    assert _leftovers(tmp_path) == []
    check_roster_set(out)


def test_a_full_disk_while_publishing_a_run_folder_leaves_the_previous_one(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "2026-11-30"
    P.publish_folder({"a.csv": b"old\n"}, target)
    monkeypatch.setattr(outputs.os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(errno.ENOSPC, "No space")))
    with pytest.raises(OutputError, match=f"^{target}: writing it failed") as exc:
        P.publish_folder({"a.csv": b"new\n", "b.csv": b"x\n"}, target)
    assert exc.value.exit_code == 74
    assert [p.name for p in tmp_path.iterdir()] == ["2026-11-30"]
    assert (target / "a.csv").read_bytes() == b"old\n"


def test_an_output_that_cannot_be_created_is_exit_73(tmp_path: Path, monkeypatch) -> None:
    fc = _forecast(tmp_path)

    def mkstemp(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    res = CliRunner().invoke(app, ["staff", str(fc), "--config", str(CONFIG), "--out", str(tmp_path / "s.csv")])
    _one_line(res, 73, f"{tmp_path / 's.csv'}: cannot create it (Permission denied)")
    assert not (tmp_path / "s.csv").exists()


# --------------------------------------------------------------------------- temps of killed writers
def test_the_next_write_removes_the_temps_a_killed_writer_left_but_not_a_live_ones(tmp_path: Path) -> None:
    out = tmp_path / "f.csv"
    script = ("import os, sys\nfrom wfm import io\n"
              "io.os.replace = lambda a, b: os._exit(9)\n"  # killed just before its rename
              "io.atomic_write_text(sys.argv[1], 'new\\n')\n")
    proc = subprocess.run([sys.executable, "-c", script, str(out)], capture_output=True)
    assert proc.returncode == 9, proc.stderr
    (dead,) = _leftovers(tmp_path)
    assert dead.startswith(".f.csv.") and dead.endswith(".tmp")
    live = tmp_path / ".f.csv.live1234.tmp"
    live.write_text("being written\n")
    fd = os.open(live, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # what a live writer holds
    other = tmp_path / ".g.csv.abcd.tmp"  # another file's temp: not this write's business
    other.write_text("x")
    try:
        atomic_write_text(out, "next\n")
    finally:
        os.close(fd)
    assert out.read_text() == "next\n"
    assert _leftovers(tmp_path) == [".f.csv.live1234.tmp", ".g.csv.abcd.tmp"]


# --------------------------------------------------------------------------- planted links are never followed
def test_links_planted_where_temps_stages_or_run_folders_go_are_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("keep\n")
    victim_file = tmp_path / "victim.txt"
    victim_file.write_text("keep\n")
    out = tmp_path / "o"
    out.mkdir()
    # a temp name of an atomic write, a roster stage, a run folder's temp: links to the victims
    os.symlink(victim_file, out / ".f.csv.planted.tmp")
    os.symlink(victim, out / f".{ROSTER_MANIFEST}.stage-planted")
    os.symlink(victim, out / ".2026-11-30.tmp-4242")
    # the roster's files and manifest, and the file --out names: links too
    for name in (*SET, ROSTER_MANIFEST, "f.csv"):
        os.symlink(victim_file, out / name)
    atomic_write_text(out / "f.csv", "new\n")
    write_roster(_result("new"), out / "roster.csv")
    assert P.clean_leftovers(out) == [".2026-11-30.tmp-4242"]
    assert victim_file.read_text() == "keep\n" and [p.name for p in victim.iterdir()] == ["keep.txt"]
    for name in (*SET, ROSTER_MANIFEST, "f.csv"):
        assert not (out / name).is_symlink()  # replaced by the new file, the link's target untouched
    assert (out / "f.csv").read_text() == "new\n"
    check_roster_set(out / "roster.csv")
    assert _leftovers(out) == [".f.csv.planted.tmp"]  # a link, not a temp file: left as it is


def test_a_link_where_the_run_folder_goes_is_refused(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("keep\n")
    runs = tmp_path / "runs"
    runs.mkdir()
    os.symlink(victim, runs / "2026-11-30")
    with pytest.raises(InputError, match="is a symbolic link, not a wfm run folder; remove it"):
        P.publish_folder({"a.csv": b"new\n"}, runs / "2026-11-30")
    assert [p.name for p in victim.iterdir()] == ["keep.txt"]
    assert sorted(p.name for p in runs.iterdir()) == ["2026-11-30"]


def test_a_run_folders_temp_name_cannot_be_predicted(tmp_path: Path) -> None:
    """The pid-named temp a run used to take is now a planted link's name like any other: never used."""
    victim = tmp_path / "victim"
    victim.mkdir()
    runs = tmp_path / "runs"
    runs.mkdir()
    os.symlink(victim, runs / f".2026-11-30.tmp-{os.getpid()}")
    P.publish_folder({"a.csv": b"new\n"}, runs / "2026-11-30")
    assert (runs / "2026-11-30" / "a.csv").read_bytes() == b"new\n"
    assert list(victim.iterdir()) == []
    assert oct((runs / "2026-11-30").stat().st_mode & 0o777) == oct(0o777 & ~outputs.umask())
