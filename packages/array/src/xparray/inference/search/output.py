"""The result folder of a search: atomic files, identity check, checkpoints, samples.csv.

Layout of ``<output_path>/<path_prefix>/<name>/``:

``model.json``      the model (``model_to_dict``), written before sampling starts;
``search.json``     the search type and settings;
``checkpoint.pkl``  the sampler state of an unfinished run (plus evaluation/timing ledger);
``samples.csv``     one row per sample (parameters, weight, log_likelihood, log_prior);
``summary.json``    written last: its presence with ``"completed": true`` marks a finished
                    run, which a new ``fit`` call loads instead of sampling again.

Every file is written to a temporary file in the same folder and moved into place with
``os.replace`` (atomic on POSIX and Windows), so a killed run leaves either the previous or
the new version of each file, never a truncated one.
"""

from __future__ import annotations

import csv
import io
import json
import os
import pickle
import tempfile
import time
from pathlib import Path

import numpy as np

from xparray.errors import InputError

__all__ = [
    "Checkpointer",
    "SearchOutput",
    "atomic_write_bytes",
    "atomic_write_json",
    "atomic_write_text",
    "read_samples_csv",
    "samples_csv_text",
]

#: Columns that follow the parameters in ``samples.csv``.
EXTRA_COLUMNS = ("weight", "log_likelihood", "log_prior")


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file, fsync and ``os.replace``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(tmp, path)
    except BaseException:
        # Also on KeyboardInterrupt: never leave the temporary file behind.
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def atomic_write_text(path: str | os.PathLike, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def _json_default(value):
    if isinstance(value, np.integer | np.bool_):
        return value.item()
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def atomic_write_json(path: str | os.PathLike, data) -> None:
    # allow_nan: a log evidence may legitimately be -inf; Python's json reads it back.
    atomic_write_text(path, json.dumps(data, indent=2, default=_json_default) + "\n")


def samples_csv_text(names, parameters, weights, log_likelihood, log_prior) -> str:
    """CSV text: header ``names + weight,log_likelihood,log_prior``; floats as ``repr``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*names, *EXTRA_COLUMNS])
    columns = np.column_stack(
        [
            np.asarray(parameters, float).reshape(len(weights), len(names)),
            weights,
            log_likelihood,
            log_prior,
        ]
    )
    for row in columns:
        writer.writerow([repr(float(v)) for v in row])
    return buffer.getvalue()


def read_samples_csv(path: str | os.PathLike) -> dict:
    """Read ``samples.csv`` back: ``names``, ``parameters`` (n, p) and the extra columns."""
    with open(path, newline="", encoding="utf-8") as stream:
        rows = list(csv.reader(stream))
    header, body = rows[0], rows[1:]
    if tuple(header[-3:]) != EXTRA_COLUMNS:
        raise InputError(f"{path}: last columns must be {EXTRA_COLUMNS}; got {header[-3:]}.")
    table = np.array(body, dtype=float).reshape(len(body), len(header))
    n_par = len(header) - 3
    return {
        "names": header[:n_par],
        "parameters": table[:, :n_par],
        "weight": table[:, n_par],
        "log_likelihood": table[:, n_par + 1],
        "log_prior": table[:, n_par + 2],
    }


def _canonical_model(data):
    """``model_to_dict`` output with prior ids renumbered by first appearance.

    Prior ids come from a process-wide creation counter, so the same model built in a new
    process has other ids; only their pattern (which slots are tied) identifies the model.
    """
    mapping: dict[int, int] = {}

    def walk(node):
        if isinstance(node, dict):
            out = {k: walk(v) for k, v in node.items()}
            if node.get("type") == "Prior":
                old = int(node["prior"]["id"])
                out["prior"] = dict(out["prior"], id=mapping.setdefault(old, len(mapping)))
            return out
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(data)


class Checkpointer:
    """Decides when a checkpoint is due.

    ``interval`` seconds: at most one checkpoint per interval (0: after every batch/step).
    ``None``: adaptive, so that writing checkpoints costs at most ~10% of the run: the
    next one is due once 10x the duration of the previous write has elapsed.
    """

    def __init__(self, interval: float | None) -> None:
        self.interval = interval
        self.last = time.perf_counter()
        self.last_duration = 0.0
        self.total_time = 0.0

    def due(self) -> bool:
        wait = 10.0 * self.last_duration if self.interval is None else self.interval
        return time.perf_counter() - self.last >= wait

    def record(self, started: float) -> None:
        now = time.perf_counter()
        self.last_duration = now - started
        self.total_time += self.last_duration
        self.last = now


class SearchOutput:
    """Paths and atomic I/O of one search's result folder."""

    def __init__(self, folder: str | os.PathLike, checkpoint_interval: float | None = None):
        self.folder = Path(folder)
        self.checkpointer = Checkpointer(checkpoint_interval)

    # ------------------------------------------------------------- paths
    @property
    def model_path(self) -> Path:
        return self.folder / "model.json"

    @property
    def search_path(self) -> Path:
        return self.folder / "search.json"

    @property
    def samples_path(self) -> Path:
        return self.folder / "samples.csv"

    @property
    def summary_path(self) -> Path:
        return self.folder / "summary.json"

    @property
    def checkpoint_path(self) -> Path:
        return self.folder / "checkpoint.pkl"

    # ------------------------------------------------------------- identity
    def prepare(self, model_dict: dict, search_dict: dict) -> None:
        """Write model.json / search.json, or check an existing folder holds the same run."""
        if self.model_path.exists() and self.search_path.exists():
            old_model = json.loads(self.model_path.read_text(encoding="utf-8"))
            old_search = json.loads(self.search_path.read_text(encoding="utf-8"))
            same_model = _canonical_model(old_model) == _canonical_model(model_dict)
            new_search = json.loads(json.dumps(search_dict, default=_json_default))
            same_search = {k: old_search.get(k) for k in ("search", "settings")} == {
                k: new_search.get(k) for k in ("search", "settings")
            }
            if not (same_model and same_search):
                what = "model" if not same_model else "search settings"
                raise InputError(
                    f"{self.folder} holds a run with a different {what}; give the search "
                    "another name/path_prefix, or delete the folder to start again."
                )
            return
        atomic_write_json(self.model_path, model_dict)
        atomic_write_json(self.search_path, search_dict)

    @property
    def is_complete(self) -> bool:
        if not (self.summary_path.exists() and self.samples_path.exists()):
            return False
        return bool(self.load_summary().get("completed", False))

    def load_summary(self) -> dict:
        return json.loads(self.summary_path.read_text(encoding="utf-8"))

    # ------------------------------------------------------------- checkpoints
    def save_checkpoint(self, state: dict, objective) -> None:
        """Pickle ``state`` with the objective's ledger (evaluations, timing) atomically."""
        started = time.perf_counter()
        payload = {"state": state, "ledger": objective.ledger()}
        atomic_write_bytes(self.checkpoint_path, pickle.dumps(payload, protocol=5))
        self.checkpointer.record(started)

    def maybe_checkpoint(self, state_fn, objective) -> None:
        """Call ``state_fn()`` and save it when a checkpoint is due."""
        if self.checkpointer.due():
            self.save_checkpoint(state_fn(), objective)

    def load_checkpoint(self, objective) -> dict | None:
        """The saved state (restoring the objective's ledger), or None for a fresh run."""
        if not self.checkpoint_path.exists():
            return None
        # The checkpoint is this search's own file in its own folder (trusted pickle).
        payload = pickle.loads(self.checkpoint_path.read_bytes())
        objective.restore_ledger(payload["ledger"])
        return payload["state"]

    # ------------------------------------------------------------- results
    def write_result(self, names, samples, summary: dict) -> None:
        """samples.csv first, summary.json (the completion marker) last."""
        text = samples_csv_text(
            names,
            samples.parameters,
            samples.weight_list,
            samples.log_likelihood_list,
            samples.log_prior_list,
        )
        atomic_write_text(self.samples_path, text)
        atomic_write_json(self.summary_path, summary)
