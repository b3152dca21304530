"""Writing outputs safely: never over an input, never through a planted link, a failed write named in one line.

- :func:`output_error`: an ``OSError`` met while writing as an :class:`~wfm.errors.OutputError`, exit 73
  (``EX_CANTCREAT``: the file cannot be created there: permission, read-only file system, ...) or 74
  (``EX_IOERR``: writing it failed: no space left, quota, I/O error), naming the file.
- :func:`check_out_paths`: an ``--out`` (or a file written beside it) that is one of the command's inputs (the
  same file, also through a symbolic or hard link) is refused before any work, exit 2.
- :func:`clean_stale_temps`: the temporary files (``.<name>.<random>.tmp``) of writers that were killed are
  removed by the next write of the same file; a live writer's temp is locked (``flock``) and left alone.
- :func:`publish_files` and :func:`check_file_set`: several files published as one set, with a manifest
  naming each with its sha256 (``wfm roster``'s roster.csv, coverage.csv and service.csv and their
  ``roster.manifest.json``). The protocol, under an exclusive ``flock`` on the folder:

  1. leftover stage folders of killed publishes are removed;
  2. every file and the manifest are written into a fresh stage folder beside them (``mkdtemp``: a name that
     cannot be predicted; nothing is ever created through a link standing in its place), each fsynced;
  3. the manifest is renamed into place first, in state ``publishing``, naming the new files' sha256 and the
     previous ones' (``previous``: what the names held before, when that was a consistent set);
  4. each file is renamed into place (``os.replace``, atomic per file);
  5. the manifest is replaced by its final form, state ``published``; the stage folder goes.

  A reader (:func:`check_file_set`, under a shared ``flock``, so never in the middle of a live publish) finds
  a manifest in state ``published``: the set is whole. In state ``publishing`` a publish was killed between
  steps 3 and 5: the files are accepted when they are all the new set or all the previous one, and refused
  (exit 2, one line) when they mix the two. The next publish to the folder cleans up and writes a whole set.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import shutil
import stat
import tempfile
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

from wfm.errors import InputError, OutputError, RunLocked

PathLike = str | os.PathLike[str]

# errno values that mean writing failed part-way (74, EX_IOERR); anything else is "cannot create" (73)
_WRITE_ERRNOS = {errno.ENOSPC, errno.EIO, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}
LOCK_WAIT_S = 30.0  # how long a publish or a reader waits for another publish to the same folder
MANIFEST_FORMAT = "wfm-file-set/1"


# --------------------------------------------------------------------------- errors
def output_error(path: PathLike, exc: OSError) -> OutputError:
    """The one-line error for an ``OSError`` met writing ``path``: exit 74 when writing failed (no space left,
    quota, I/O error), 73 when the file cannot be created there (permission, read-only file system, ...)."""
    reason = exc.strerror or str(exc)
    if exc.errno in _WRITE_ERRNOS:
        return OutputError(f"{path}: writing it failed ({reason}); the previous one, if any, is left as it was",
                           exit_code=OutputError.EX_IOERR)
    return OutputError(f"{path}: cannot create it ({reason})", exit_code=OutputError.EX_CANTCREAT)


def check_out_place(path: Path) -> None:
    """Exit 2 when an output ``path`` is a folder or sits under a file (checked before any work, nothing made)."""
    if path.is_dir():
        raise InputError(f"{path}: is a folder; name the file to write")
    for folder in path.parents:
        if os.path.lexists(folder):
            if not folder.is_dir():
                raise InputError(f"{path}: its folder {folder} is a file, not a folder")
            return


def prepare_folder(path: Path) -> None:
    """Create the folder an output ``path`` goes in; exit 2 when ``path`` is a folder or sits under a file,
    73/74 when the folder cannot be created."""
    if path.is_dir():
        raise InputError(f"{path}: is a folder; name the file to write")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise InputError(f"{path}: its folder {path.parent} is a file, not a folder") from None
    except OSError as exc:
        raise output_error(path, exc) from None
    if not path.parent.is_dir():
        raise InputError(f"{path}: its folder {path.parent} is a file, not a folder")


# --------------------------------------------------------------------------- outputs over inputs
def check_out_paths(outputs: Mapping[str, PathLike | None], inputs: Mapping[str, PathLike | None]) -> None:
    """Refuse (exit 2, before any work) an output that is one of the inputs, or two outputs that are one file.

    ``outputs`` and ``inputs`` map a label (``--out``, ``coverage.csv beside --out``, ``--forecast``, ...) to
    a path (None: not given). The same file is the same path, or the same file through a symbolic or hard
    link (:func:`os.path.samefile`); an output that does not exist yet is none of the inputs.
    """
    given_in = [(label, Path(p)) for label, p in inputs.items() if p is not None]
    seen: list[tuple[str, Path]] = []
    for label, p in outputs.items():
        if p is None:
            continue
        out = Path(p)
        check_out_place(out)
        for in_label, inp in given_in:
            if _same_file(out, inp):
                which = f"{in_label}" if str(inp) == str(out) else f"{in_label} ({inp})"
                raise InputError(f"{label}: {out} is also the input {which}; write the result elsewhere (it would "
                                 "overwrite the input)")
        for other_label, other in seen:
            if _same_path(out, other):
                raise InputError(f"{label}: {out} is also {other_label}; give the outputs different names")
        seen.append((label, out))


def check_not_inside(folder: PathLike, inputs: Mapping[str, PathLike | None], what: str) -> None:
    """Refuse (exit 2) replacing ``folder`` (``what``, e.g. the run folder) while an input lies inside it:
    the swap would take the input away."""
    try:
        inside = Path(os.path.realpath(folder))
    except (OSError, ValueError):
        return
    for label, p in inputs.items():
        if p is None:
            continue
        try:
            real = Path(os.path.realpath(p))
        except (OSError, ValueError):
            continue
        if real == inside or inside in real.parents:
            raise InputError(f"{label} {p}: lies inside {what} {folder}, which this run replaces; move the input "
                             "out of it (or write the runs elsewhere)")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def _same_path(a: Path, b: Path) -> bool:
    if _same_file(a, b):
        return True
    try:
        return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))
    except (OSError, ValueError):
        return False


# --------------------------------------------------------------------------- temp files of killed writers
def temp_prefix(path: Path) -> str:
    """The prefix of ``path``'s temporary files (``.<name>.``; mkstemp adds a random part and ``.tmp``)."""
    return f".{path.name}."


def lock_temp(fd: int) -> bool:
    """Mark a temp file as live (an exclusive ``flock`` held until it is closed); False where the file system
    has no locks (then it is never cleaned by another writer)."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
    except OSError:
        return False
    return True


def clean_stale_temps(path: Path) -> list[str]:
    """Remove the temporary files of ``path`` (``.<name>.*.tmp`` in its folder) that no live writer holds:
    what a writer killed before its rename left. Regular files only, never followed through a link."""
    removed: list[str] = []
    prefix = temp_prefix(path)
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return removed
    for entry in entries:
        if not (entry.name.startswith(prefix) and entry.name.endswith(".tmp")):
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            fd = os.open(entry.path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            continue
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # a live writer holds it (or no locks here: leave it)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(entry.path)
                removed.append(entry.name)
        finally:
            os.close(fd)
    return removed


def fsync_dir(path: Path) -> None:
    """fsync a folder (its entries' renames), where the OS allows it."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_new_file(path: Path, data: bytes) -> None:
    """Create ``path`` (it must not exist; a link standing there is not followed), write, fsync."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def make_stage(parent: Path, prefix: str, suffix: str = "") -> Path:
    """A fresh folder in ``parent`` under an unpredictable name (``mkdtemp``: created, never found; nothing
    standing there is followed), with the usual mode (mkdtemp makes 0700)."""
    stage = Path(tempfile.mkdtemp(prefix=prefix, suffix=suffix, dir=parent))
    os.chmod(stage, 0o777 & ~umask())
    return stage


def remove_entry(path: Path) -> None:
    """Remove whatever stands at ``path`` without following it: a link or file is unlinked, a folder removed
    with its contents (``shutil.rmtree`` never follows links inside it)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISDIR(st.st_mode):
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


# --------------------------------------------------------------------------- a set of files, published as one
@contextlib.contextmanager
def folder_lock(folder: Path, *, shared: bool = False, what: str = "publish") -> Iterator[None]:
    """An ``flock`` on the folder itself (exclusive for a publish, shared for a reader), waited for up to
    ``LOCK_WAIT_S`` (then RunLocked, exit 75). Where the file system has no locks, nothing is held."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        yield
        return
    try:
        mode = (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB
        deadline = time.monotonic() + LOCK_WAIT_S
        locked = False
        while True:
            try:
                fcntl.flock(fd, mode)
                locked = True
                break
            except OSError as exc:
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    break  # no locks on this file system
                if time.monotonic() >= deadline:
                    raise RunLocked(f"{folder}: another wfm run is publishing files here; try again later") from None
                time.sleep(0.05)
        try:
            yield
        finally:
            if locked:
                fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def sha256_of(path: Path) -> str | None:
    """The sha256 of a regular file (not followed through a link), None when nothing (or no file) is there."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            return None
        h = hashlib.sha256()
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
        return h.hexdigest()


def _stage_prefix(manifest_name: str) -> str:
    return f".{manifest_name}.stage-"


def _read_manifest(path: Path) -> dict | None:
    """The manifest at ``path`` (None when none is there); exit 2 when something else stands there."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{path}: is not a regular file, not wfm's manifest; remove it")
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: is not a wfm manifest ({exc}); remove it, or publish again") from None
    if not (isinstance(doc, dict) and doc.get("format") == MANIFEST_FORMAT and isinstance(doc.get("files"), dict)):
        raise InputError(f"{path}: is not a wfm manifest (no format {MANIFEST_FORMAT!r}); remove it, "
                         "or publish again")
    return doc


def _set_state(folder: Path, doc: dict | None) -> tuple[bool, list[str]]:
    """Whether the files named by a manifest form a whole set now, and the names that do not fit."""
    if doc is None or doc.get("state") == "published":
        return True, []
    new: dict = doc["files"]
    previous: dict | None = doc.get("previous") if isinstance(doc.get("previous"), dict) else None
    names = set(new) | set(previous or {})
    current = {name: sha256_of(folder / name) for name in names}
    off_new = sorted(n for n, h in new.items() if current[n] != h)
    if not off_new:
        return True, []
    if previous is not None and all(current[n] == h for n, h in previous.items()):
        return True, []
    return False, off_new


def publish_files(folder: PathLike, files: Mapping[str, bytes], manifest_name: str) -> Path:
    """Publish ``files`` (``{name: bytes}``) into ``folder`` as one set with a manifest ``manifest_name``
    (the protocol in this module's docstring). A failure to write is exit 73/74 naming the file, with the
    previous set left as it was; returns the manifest's path."""
    folder = Path(folder)
    manifest_path = folder / manifest_name
    names = list(files)
    target = folder / names[0] if names else manifest_path  # the file being written, for the error
    prepare_folder(target)
    try:
        with folder_lock(folder):
            for entry in folder.glob(f"{_stage_prefix(manifest_name)}*"):
                remove_entry(entry)  # a killed publish's stage (never followed if a link)
            try:
                whole = _set_state(folder, _read_manifest(manifest_path))[0]
            except InputError:
                whole = False  # something else stands at the manifest's name: replaced, no previous set
            previous = {name: sha256_of(folder / name) for name in names} if whole else None
            hashes = {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}
            final = {"format": MANIFEST_FORMAT, "state": "published", "files": hashes}
            pending = {**final, "state": "publishing", "previous": previous}
            stage = make_stage(folder, _stage_prefix(manifest_name))
            try:
                for name, data in files.items():
                    target = folder / name
                    write_new_file(stage / name, data)
                target = manifest_path
                write_new_file(stage / f"{manifest_name}.publishing", _manifest_bytes(pending))
                write_new_file(stage / manifest_name, _manifest_bytes(final))
                fsync_dir(stage)
                os.replace(stage / f"{manifest_name}.publishing", manifest_path)
                fsync_dir(folder)
                for name in names:
                    target = folder / name
                    os.replace(stage / name, target)
                fsync_dir(folder)
                target = manifest_path
                os.replace(stage / manifest_name, manifest_path)
                fsync_dir(folder)
            finally:
                remove_entry(stage)
    except OSError as exc:
        raise output_error(target, exc) from None
    return manifest_path


def _manifest_bytes(doc: Mapping) -> bytes:
    return (json.dumps(doc, indent=2, sort_keys=True) + "\n").encode("utf-8")


def check_file_set(path: PathLike, manifest_name: str, *, rerun: str = "publish it again") -> None:
    """Refuse (exit 2, one line) a file whose set was left half-published: the manifest ``manifest_name``
    beside it still says ``publishing`` and the files mix the new set and the previous one. A file with no
    manifest beside it, or one the manifest does not name, passes as it is."""
    path = Path(os.path.realpath(path))
    folder = path.parent
    manifest_path = folder / manifest_name
    if not os.path.lexists(manifest_path):
        return
    with folder_lock(folder, shared=True):
        doc = _read_manifest(manifest_path)
        if doc is None or doc.get("state") == "published":
            return
        named = set(doc["files"]) | set(doc.get("previous") or {})
        if path.name not in named:
            return
        whole, off = _set_state(folder, doc)
    if not whole:
        others = ", ".join(off)
        raise InputError(f"{path}: the set it belongs to is half-published ({others} not from the same run as "
                         f"the rest, per {manifest_name}: a publish was interrupted); {rerun}")
