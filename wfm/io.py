"""File helpers shared by every stage: CSV reading with located errors, atomic writes, timestamps, JSON.

Each file format has one reader, in the stage that owns it (``wfm.history.read_history``,
``wfm.roster.rows.read_roster``, ``wfm.roster.read_staffing``, :func:`read_forecast` here, ...), built on
:func:`read_csv`; the stages' pure functions take frames, and the job functions (``wfm.plan.run``) read
and write the files around them.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from wfm.errors import InputError

TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M"
FIRST_DATE = pd.Timestamp("1900-01-01")
END_DATE = pd.Timestamp("2200-01-01")  # exclusive: every date wfm reads lies in 1900-01-01 .. 2199-12-31
DATE_RANGE = "1900-01-01 to 2199-12-31"
MAX_CALLS_PER_INTERVAL = 1_000_000.0  # calls offered per queue and interval wfm sizes (exact Erlang up to here)


def check_date(value: Any, what: str) -> None:
    """InputError naming ``what`` when a date or timestamp lies outside the dates wfm plans (``DATE_RANGE``:
    well inside what its clocks hold, so that a horizon of weeks after it still fits)."""
    ts = pd.Timestamp(value)
    if not FIRST_DATE <= ts < END_DATE:
        raise InputError(f"{what}: {ts:%Y-%m-%d} is outside the dates wfm plans ({DATE_RANGE})")


def first_out_of_range(parsed: pd.Series) -> int | None:
    """The position of the first timestamp outside ``DATE_RANGE`` (None when all are inside)."""
    values = parsed.dt.tz_localize(None) if getattr(parsed.dt, "tz", None) is not None else parsed
    bad = ((values < FIRST_DATE) | (values >= END_DATE)).to_numpy()
    return int(np.flatnonzero(bad)[0]) if bad.any() else None


# --------------------------------------------------------------------------- atomic writes
def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically: a temp file in the same folder, fsync, then rename.

    A process killed at any moment leaves either the old file or the new one, never half of one; the temp
    files such kills leave (``.<name>.<random>.tmp``) are removed by the next write of ``path``. The temp's
    name cannot be predicted (``mkstemp``), and a link standing at ``path`` is replaced, never followed. A
    failed write (no space left, ...) is an OutputError naming ``path`` (exit 74; 73 when it cannot be created
    there), with the old file intact and no temp left.
    """
    from wfm import outputs

    path = Path(path)
    outputs.prepare_folder(path)
    outputs.clean_stale_temps(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=outputs.temp_prefix(path), suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise outputs.output_error(path, exc) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            if outputs.lock_temp(fh.fileno()) and os.fstat(fh.fileno()).st_nlink == 0:
                # a cleaner took it for a dead writer's between mkstemp and the lock: start again
                return atomic_write_bytes(path, data)
            fh.write(data)
            fh.flush()
            os.fchmod(fh.fileno(), 0o666 & ~outputs.umask())  # mkstemp makes 0600; give the usual mode
            os.fsync(fh.fileno())
            os.replace(tmp, path)  # while the temp is still locked: no cleaner takes it for a dead writer's
        outputs.fsync_dir(path.parent)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise outputs.output_error(path, exc) from None
        raise
    return path


def atomic_write_text(path: str | os.PathLike[str], text: str) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_json(path: str | os.PathLike[str], obj: Any) -> Path:
    return atomic_write_text(path, json.dumps(obj, indent=2, sort_keys=True, default=_json_default) + "\n")


def csv_text(frame: pd.DataFrame, float_format: str = "%.4f") -> str:
    """A frame as wfm's CSV text: no index, ``\\n`` line ends, timestamps as ``YYYY-MM-DD HH:MM``."""
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime(TIMESTAMP_FORMAT)
    buf = io.StringIO()
    out.to_csv(buf, index=False, float_format=float_format, lineterminator="\n")
    return buf.getvalue()


def atomic_write_csv(path: str | os.PathLike[str], frame: pd.DataFrame, float_format: str = "%.4f") -> Path:
    """Write a frame as CSV (:func:`csv_text`) atomically."""
    return atomic_write_text(path, csv_text(frame, float_format))


def _json_default(obj: Any) -> Any:
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.floating):
        return None if not np.isfinite(obj) else float(obj)
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, pd.Timestamp):
        return obj.strftime(TIMESTAMP_FORMAT)
    if isinstance(obj, Path):
        return str(obj)
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


def json_number(value: Any, digits: int = 4) -> float | None:
    """A figure for JSON: rounded to ``digits``, None when missing, NaN or infinite (never ``-0.0``)."""
    if value is None:
        return None
    value = float(value)
    return round(value, digits) + 0.0 if math.isfinite(value) else None


def to_json(obj: Any) -> str:
    """JSON text for ``--json`` output: sorted keys, NaN/inf as null, numpy types handled."""
    return json.dumps(_clean_json(obj), indent=2, sort_keys=True, default=_json_default)


def _clean_json(obj: Any) -> Any:
    if isinstance(obj, float) and not np.isfinite(obj):
        return None
    if isinstance(obj, Mapping):
        return {str(k): _clean_json(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean_json(v) for v in obj]
    if isinstance(obj, np.floating):
        return _clean_json(float(obj))
    return obj


# --------------------------------------------------------------------------- reading CSV
def read_csv(
    path: str | os.PathLike[str],
    required: Iterable[str] = (),
    aliases: Mapping[str, Iterable[str]] | None = None,
) -> pd.DataFrame:
    """Read a CSV with a header row into a frame of strings-or-numbers, with located errors.

    - ``required``: columns that must be present (after applying ``aliases``).
    - ``aliases``: ``{"volume": ["calls", "offered"]}`` renames the first alias found.
    Column names are lower-cased and stripped. The frame gets a ``_line`` column holding the
    1-based line number in the file of each row (header is line 1), for error messages.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: file not found")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, expected a CSV file")
    lines = _check_fields(path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, skip_blank_lines=True, index_col=False)
    except pd.errors.EmptyDataError:
        raise InputError(f"{path}: file is empty (expected a header row)") from None
    except pd.errors.ParserError as exc:
        raise InputError(f"{path}: malformed CSV: {_short_parser_error(exc)}") from None
    if len(lines) != len(frame):  # cannot happen after _check_fields; keep the numbering honest anyway
        lines = np.arange(2, len(frame) + 2)
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    for canonical, names in (aliases or {}).items():
        if canonical not in frame.columns:
            for name in names:
                if name in frame.columns:
                    frame = frame.rename(columns={name: canonical})
                    break
    missing = [c for c in required if c not in frame.columns]
    if missing:
        have = ", ".join(frame.columns) or "none"
        raise InputError(f"{path}: missing column(s) {', '.join(missing)} (columns found: {have})")
    frame = frame.reset_index(drop=True)
    frame["_line"] = lines
    for col in frame.columns:
        if col != "_line":
            frame[col] = frame[col].astype(str).str.strip()
    return frame


def _short_parser_error(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[-1]
    # pandas says "Expected 4 fields in line 7, saw 5"
    return text


def _check_fields(path: Path) -> np.ndarray:
    """Check every data row has as many fields as the header; return each data row's line number.

    pandas would silently shift a row with one field too many into an index column, so rows are
    counted here first. Blank lines are skipped, as pandas does.
    """
    if path.stat().st_size == 0:
        raise InputError(f"{path}: file is empty (expected a header row)")
    line_numbers: list[int] = []
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            width = None
            start = 1
            for row in reader:
                if not row or (len(row) == 1 and not row[0].strip()):
                    start = reader.line_num + 1
                    continue
                if width is None:
                    width = len(row)
                elif len(row) != width:
                    raise InputError(
                        f"{path}, line {start}: malformed CSV: expected {width} fields (as in the header), "
                        f"found {len(row)}"
                    )
                else:
                    line_numbers.append(start)
                start = reader.line_num + 1
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not a UTF-8 text file ({exc.reason} at byte {exc.start})") from None
    except csv.Error as exc:
        raise InputError(f"{path}: malformed CSV: {exc}") from None
    return np.asarray(line_numbers, dtype=np.int64)


def checked_forecast(forecast: pd.DataFrame, queue_names: list[str]) -> pd.DataFrame:
    """A copy of a forecast frame (``timestamp, queue, volume[, aht]``) with typed columns (``aht`` NaN where
    missing); an InputError for a missing column, no rows, a queue not in ``queue_names`` or a volume that is
    not a finite number of 0 or more."""
    missing = [c for c in ("timestamp", "queue", "volume") if c not in forecast.columns]
    if missing:
        raise InputError(f"forecast is missing column(s) {', '.join(missing)}")
    if forecast.empty:
        raise InputError("forecast has no rows")
    fc = forecast.copy()
    fc["timestamp"] = pd.to_datetime(fc["timestamp"]).astype("datetime64[ns]")
    fc["queue"] = fc["queue"].astype(str)
    fc["volume"] = pd.to_numeric(fc["volume"], errors="coerce").astype(float)
    fc["aht"] = pd.to_numeric(fc["aht"], errors="coerce").astype(float) if "aht" in fc.columns else np.nan
    unknown = sorted(set(fc["queue"]) - set(queue_names))
    if unknown:
        raise InputError(f"forecast has unknown queue {unknown[0]!r} (the config has: {', '.join(queue_names)})")
    if fc["volume"].isna().any() or (fc["volume"] < 0).any() or np.isinf(fc["volume"]).any():
        raise InputError("forecast volume must be a non-negative number in every row")
    return fc


def parse_numbers(
    frame: pd.DataFrame,
    column: str,
    path: str | os.PathLike[str],
    *,
    allow_blank: bool = False,
    min_value: float | None = None,
    exclusive_min: bool = False,
    max_value: float | None = None,
) -> np.ndarray:
    """Parse ``frame[column]`` as floats; raise an InputError naming file, line and field on the first bad cell.

    Blank cells become NaN when ``allow_blank``; otherwise they are errors.
    """
    raw = frame[column].astype(str)
    blank = raw.str.len() == 0
    values = pd.to_numeric(raw.where(~blank, None), errors="coerce").to_numpy(dtype=float)
    bad = np.isnan(values) & ~blank.to_numpy()
    bad |= np.isinf(values)
    if not allow_blank:
        bad |= blank.to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        cell = raw.iloc[i]
        what = "is blank" if cell == "" else f"is not a number: {cell!r}"
        raise InputError(f"{path}, line {frame['_line'].iloc[i]}, field '{column}': {what}")
    if min_value is not None:
        with np.errstate(invalid="ignore"):
            low = values <= min_value if exclusive_min else values < min_value
        if low.any():
            i = int(np.flatnonzero(low)[0])
            rel = "must be greater than" if exclusive_min else "must be at least"
            raise InputError(
                f"{path}, line {frame['_line'].iloc[i]}, field '{column}': {raw.iloc[i]} {rel} {min_value:g}"
            )
    if max_value is not None:
        with np.errstate(invalid="ignore"):
            high = values > max_value
        if high.any():
            i = int(np.flatnonzero(high)[0])
            raise InputError(f"{path}, line {frame['_line'].iloc[i]}, field '{column}': {raw.iloc[i]} is above "
                             f"{max_value:,.0f}, the most wfm sizes")
    return values


def parse_timestamps(frame: pd.DataFrame, column: str, path: str | os.PathLike[str]) -> pd.Series:
    """Parse local interval-start timestamps (``YYYY-MM-DD HH:MM[:SS]``, naive local time)."""
    raw = frame[column].astype(str)
    parsed = pd.to_datetime(raw, errors="coerce", format="mixed")
    bad = parsed.isna().to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        cell = raw.iloc[i]
        what = "is blank" if cell == "" else f"is not a timestamp: {cell!r} (expected YYYY-MM-DD HH:MM)"
        raise InputError(f"{path}, line {frame['_line'].iloc[i]}, field '{column}': {what}")
    i = first_out_of_range(parsed)
    if i is not None:
        raise InputError(f"{path}, line {frame['_line'].iloc[i]}, field '{column}': {raw.iloc[i]!r} is outside "
                         f"the dates wfm plans ({DATE_RANGE})")
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_localize(None)
    return parsed.astype("datetime64[ns]")


def format_timestamp(ts: pd.Timestamp | np.datetime64) -> str:
    return pd.Timestamp(ts).strftime(TIMESTAMP_FORMAT)


def read_forecast(path: str | os.PathLike[str], queues: Iterable[str] | None = None) -> pd.DataFrame:
    """Read a forecast CSV (``timestamp,queue,volume[,aht,...]``) with located errors.

    Volume must be a number >= 0; AHT, when present, > 0 (blank AHT takes the queue's config ``aht_s``).
    ``queues``: the known queue names; a row naming another queue is an error.
    """
    frame = read_csv(path, required=("timestamp", "queue", "volume"), aliases={"volume": ("calls", "offered")})
    if frame.empty:
        raise InputError(f"{path}: no data rows")
    out = pd.DataFrame({"timestamp": parse_timestamps(frame, "timestamp", path), "queue": frame["queue"]})
    out["volume"] = parse_numbers(frame, "volume", path, min_value=0.0, max_value=MAX_CALLS_PER_INTERVAL)
    if "aht" in frame.columns:
        out["aht"] = parse_numbers(frame, "aht", path, allow_blank=True, min_value=0.0, exclusive_min=True)
    else:
        out["aht"] = np.nan
    blank_q = (frame["queue"] == "").to_numpy()
    if blank_q.any():
        i = int(np.flatnonzero(blank_q)[0])
        raise InputError(f"{path}, line {frame['_line'].iloc[i]}, field 'queue': is blank")
    if queues is not None:
        known = list(queues)
        bad = ~frame["queue"].isin(known).to_numpy()
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InputError(
                f"{path}, line {frame['_line'].iloc[i]}, field 'queue': unknown queue {frame['queue'].iloc[i]!r} "
                f"(the config has: {', '.join(known)})"
            )
    dup = out.duplicated(["timestamp", "queue"]).to_numpy()
    if dup.any():
        i = int(np.flatnonzero(dup)[0])
        raise InputError(
            f"{path}, line {frame['_line'].iloc[i]}: duplicate row for queue {out['queue'].iloc[i]!r} "
            f"at {format_timestamp(out['timestamp'].iloc[i])}"
        )
    return out


@contextlib.contextmanager
def redirect_stdout_fd(to: str = "null") -> Iterator[None]:
    """Redirect file descriptor 1 for a while: ``to="null"`` discards, ``to="stderr"`` sends it to fd 2.

    Solver libraries (highspy) print banners straight to fd 1, which must stay clean for ``--json``.
    Where there is no real fd 1 (output captured in memory), nothing is redirected.
    """
    try:
        sys.stdout.flush()
        saved = os.dup(1)
    except (OSError, ValueError):
        yield
        return
    try:
        if to == "stderr":
            os.dup2(2, 1)
        else:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.close(devnull)
        yield
    finally:
        with contextlib.suppress(OSError, ValueError):
            sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)
