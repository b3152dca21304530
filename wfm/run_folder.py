"""A `wfm plan` run folder read back (``wfm review``, ``wfm outbound --run``): its ``manifest.json`` checked, and
each file it names only with the sha256 the manifest gives, so a reader never mixes an edited or half-written
file into a run."""

from __future__ import annotations

import json
import os
from pathlib import Path

from wfm.errors import InputError
from wfm.outputs import sha256_of

PathLike = str | os.PathLike[str]


def run_manifest(run: PathLike) -> dict:
    """A `wfm plan` run folder's ``manifest.json``, checked: a folder, a manifest that names ``forecast.csv``,
    written by a compatible wfm (same major version; :data:`wfm.__version__`). InputError otherwise."""
    from wfm import __version__

    folder = Path(run)
    manifest = folder / "manifest.json"
    if not folder.is_dir():
        raise InputError(f"{folder}: not a folder (give a `wfm plan` run folder, e.g. forecasts/runs/2026-11-30)")
    try:
        doc = json.loads(manifest.read_text())
    except FileNotFoundError:
        raise InputError(f"{folder}: not a wfm plan run folder (no manifest.json)") from None
    except (OSError, ValueError) as exc:
        raise InputError(f"{manifest}: not a wfm plan manifest ({exc})") from None
    files = doc.get("files") if isinstance(doc, dict) else None
    if not isinstance(files, dict) or "forecast.csv" not in files:
        raise InputError(f"{manifest}: names no forecast.csv (not a whole wfm plan run)")
    version = doc.get("wfm_version")
    if version is not None and str(version).split(".")[0] != __version__.split(".")[0]:
        raise InputError(f"{manifest}: written by wfm {version}, which this wfm {__version__} cannot read "
                         "(plan the week again with this version)")
    return doc


def run_file(run: PathLike, name: str, doc: dict | None = None) -> Path:
    """A file of a whole run folder: named in its manifest, with the sha256 the manifest gives."""
    folder = Path(run)
    doc = run_manifest(run) if doc is None else doc
    files = doc["files"]
    path = folder / name
    if name not in files:
        raise InputError(f"{folder / 'manifest.json'}: names no {name} (not a whole wfm plan run)")
    if sha256_of(path) != files[name]:
        raise InputError(f"{path}: is not the {name} {folder / 'manifest.json'} names (edited, or a run that did "
                         "not finish); read a whole run")
    return path
