"""The run folder, cron-safe: an exclusive lock on the runs folder and an all-at-once publish.

- :func:`run_lock` holds an exclusive ``flock`` on ``<out>/.wfm-plan.lock`` for the whole run; a second run
  against the same output folder raises :class:`~wfm.errors.RunLocked` (exit 75) instead of clobbering it.
  The kernel drops the lock when a process dies, so a killed run never leaves a stale lock.
- :func:`publish_folder` builds the folder under a hidden temporary name beside the target
  (``<out>/.<name>.tmp-<random>``, made by ``mkdtemp``: never predicted, never a planted link followed) and
  renames it into place at the end (swapped atomically with the previous run where the OS allows, Linux
  ``renameat2(RENAME_EXCHANGE)``), so a run killed at any moment leaves the previous run intact and no
  half-written folder under the run's name. :func:`clean_leftovers` removes the temporary folders of killed
  runs (under the lock). A link or file standing where the run folder goes is refused, never followed.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import datetime as dt
import errno
import fcntl
import os
import stat
from collections.abc import Iterator, Mapping
from pathlib import Path

from wfm.errors import InputError, RunLocked
from wfm.outputs import make_stage, output_error, remove_entry, write_new_file

LOCK_NAME = ".wfm-plan.lock"


@contextlib.contextmanager
def run_lock(out_dir: str | os.PathLike[str]) -> Iterator[Path]:
    """Hold the exclusive run lock on ``out_dir`` (created if missing); RunLocked when another run has it.

    The lock is an ``flock`` on ``<out_dir>/.wfm-plan.lock`` holding the owner's pid; it dies with its
    process, so a killed run leaves no stale lock.
    """
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise InputError(f"{out}: is not a folder (--out names the folder that holds the runs)") from None
    except OSError as exc:
        raise InputError(f"{out}: cannot create the output folder ({exc.strerror})") from None
    if not out.is_dir():
        raise InputError(f"{out}: is not a folder (--out names the folder that holds the runs)")
    path = out / LOCK_NAME
    try:
        # never through a link planted where the lock goes (it would truncate, or create, the link's target)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0), 0o644)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(f"{path}: is a symbolic link, not wfm's lock file; remove it") from None
        raise InputError(f"{path}: cannot open the lock file ({exc.strerror})") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise InputError(f"{path}: is not a regular file, not wfm's lock file; remove it")
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise
            owner = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "unknown"
            raise RunLocked(
                f"{out}: another wfm plan run is writing here ({owner}); not touching it, try again later"
            ) from None
        os.ftruncate(fd, 0)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        os.pwrite(fd, f"pid {os.getpid()} since {stamp}\n".encode(), 0)
        try:
            yield path
        finally:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def clean_leftovers(out_dir: str | os.PathLike[str]) -> list[str]:
    """Remove temporary folders left by killed runs (call only while holding :func:`run_lock`). A link or file
    standing at such a name is removed itself, never followed."""
    removed = []
    for p in sorted(Path(out_dir).glob(".*.tmp-*")):
        if p.is_symlink() or p.is_dir():
            remove_entry(p)
            removed.append(p.name)
    return removed


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    rc = fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP if hasattr(errno, "ENOTSUP") else errno.EINVAL):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _check_inside(root: Path, path: Path, name: str) -> None:
    """A file name of a run folder is a relative path inside it: no ``..``, no absolute path."""
    if Path(name).is_absolute() or ".." in Path(name).parts or not path.resolve().is_relative_to(root.resolve()):
        raise ValueError(f"run folder file name {name!r} is not a path inside the folder")


def publish_folder(files: Mapping[str, bytes], target: str | os.PathLike[str]) -> Path:
    """Write ``files`` into a hidden temporary folder beside ``target``, then rename it into place.

    An existing ``target`` is swapped out atomically (or, where the OS cannot swap, renamed aside a moment
    before) and removed afterwards. Readers see the old folder or the new one, never a half-written one.
    The temporary folder's name cannot be predicted (``mkdtemp``); a link or file standing at ``target`` is
    refused (exit 2), never followed. A failure to write is an OutputError naming ``target`` (exit 74, 73 when
    it cannot be created), with the previous folder intact and nothing left behind.
    """
    target = Path(target)
    parent = target.parent
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise output_error(target, exc) from None
    if st is not None and not stat.S_ISDIR(st.st_mode):
        what = "a symbolic link" if stat.S_ISLNK(st.st_mode) else "not a folder"
        raise InputError(f"{target}: is {what}, not a wfm run folder; remove it")
    tmp: Path | None = None
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = make_stage(parent, f".{target.name}.tmp-")
        made: set[Path] = set()
        for name, data in files.items():
            path = tmp / name
            if path.parent != tmp and path.parent not in made:  # a subfolder of the run (agents/): ours, fresh
                _check_inside(tmp, path, name)
                path.parent.mkdir(parents=True, exist_ok=True)
                made.add(path.parent)
            write_new_file(path, data)
        for folder in made:
            _fsync_dir(folder)
        _fsync_dir(tmp)
        if st is None:
            os.rename(tmp, target)  # onto a name taken meanwhile: only an empty folder is replaced, no link followed
        elif _exchange(tmp, target):
            remove_entry(tmp)  # now holds the previous run (or whatever was swapped out: not followed)
        else:
            aside = make_stage(parent, f".{target.name}.old.tmp-")
            os.rename(target, aside / target.name)
            os.rename(tmp, target)
            remove_entry(aside)
        tmp = None
        _fsync_dir(parent)
    except OSError as exc:
        raise output_error(target, exc) from None
    finally:
        if tmp is not None:
            remove_entry(tmp)
    return target


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
