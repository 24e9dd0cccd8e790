"""Whole-fit benchmark: ``xplens fit`` per bundled example x search strategy.

Each run is the real command in a fresh subprocess (``python -m xplens.cli fit --example E
--search S --no-plots``, default settings unless ``--extra`` adds options), so compile,
sampler bookkeeping and Python overhead all count. From each run's ``summary.json``:
wall time, evaluations, the breakdown (likelihood / compile / checkpoint / sampler), best
log L, the sampler's own convergence verdict, the Einstein radius against the example's
reference and, for the simulated reference example, how many true parameters lie within
3 sigma of the posterior median and which do not (BENCHMARK.md values,
``xplens.cli.presets``).

    python benchmarks/bench_fit.py                                  # reference, staged
    python benchmarks/bench_fit.py --examples reference,slacs2303+1422 --searches staged,nautilus
    python benchmarks/bench_fit.py --backend numpy --out fit.json
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _coverage(summary: dict) -> tuple[str, list[str]]:
    """``k/n`` true parameters within 3 sigma (reference example only), and the others."""
    from xplens.cli.presets import TRUE_VALUES

    inside, total, outside = 0, 0, []
    for name, interval in summary["median_pdf"].items():
        if name not in TRUE_VALUES:
            continue
        low, high = interval["values_3_sigma"]
        total += 1
        if low <= TRUE_VALUES[name] <= high:
            inside += 1
        else:
            outside.append(name)
    return f"{inside}/{total}", outside


def run(example: str, search: str, backend: str, extra: list[str], folder: Path) -> dict:
    out = folder / f"{example}_{search}_{backend}"
    command = [sys.executable, "-m", "xplens.cli", "fit", "--example", example]
    command += ["--search", search, "--backend", backend, "--output", str(out)]
    command += ["--no-plots", "--quiet", "--restart", *extra]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    row = {"example": example, "search": search, "backend": backend, "command_s": seconds}
    if done.returncode != 0:
        return row | {"error": done.stderr.strip().splitlines()[-1:]}
    summary = json.loads((out / "summary.json").read_text())
    info, timing, extras = summary.get("info", {}), summary["timing"], summary["xplens"]
    theta = extras.get("einstein_radius") or {}
    reference = extras.get("einstein_radius_reference") or {}
    return (
        row
        | {
            "wall_s": timing["wall_time"],
            "likelihood_s": timing["likelihood_time"],
            "compile_s": timing["compile_time"],
            "checkpoint_s": timing["checkpoint_time"],
            "sampler_s": timing["sampler_time"],
            "evaluations": summary["n_evaluations"],
            "best_log_likelihood": max(
                summary["max_log_likelihood"]["log_likelihood"],
                info.get("mode_log_likelihood", float("-inf")),
            ),
            "log_evidence": summary.get("log_evidence"),
            "converged": info.get("converged"),
            "einstein_radius": theta.get("median"),
            "einstein_radius_reference": reference.get("value"),
        }
        | _coverage_columns(summary, example)
    )


def _coverage_columns(summary: dict, example: str) -> dict:
    if example != "reference":
        return {"truth_within_3_sigma": None}
    count, outside = _coverage(summary)
    return {"truth_within_3_sigma": count, "truth_outside_3_sigma": outside}


def table(rows: list[dict]) -> str:
    head = (
        f"{'example':16}{'search':10}{'backend':8}{'wall s':>8}{'cmd s':>8}{'evals':>8}"
        f"{'like s':>8}{'compile':>8}{'sampler':>8}{'best logL':>11}{'conv.':>6}"
        f"{'theta_E':>8}{'ref':>6}{'3sig':>6}"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        if "error" in r:
            lines.append(f"{r['example']:16}{r['search']:10}{r['backend']:8} error: {r['error']}")
            continue

        def f(key, fmt, r=r):
            value = r.get(key)
            return format(value, fmt) if isinstance(value, int | float) else "-"

        lines.append(
            f"{r['example']:16}{r['search']:10}{r['backend']:8}{f('wall_s', '8.1f')}"
            f"{f('command_s', '8.1f')}{f('evaluations', '8d')}{f('likelihood_s', '8.1f')}"
            f"{f('compile_s', '8.1f')}{f('sampler_s', '8.1f')}{f('best_log_likelihood', '11.1f')}"
            f"{str(r.get('converged')):>6}{f('einstein_radius', '8.3f')}"
            f"{f('einstein_radius_reference', '6.2f')}{r.get('truth_within_3_sigma') or '-':>6}"
        )
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", default="reference")
    parser.add_argument("--searches", default="staged")
    parser.add_argument("--backend", default="jax")
    parser.add_argument("--extra", default="", help="more fit options, e.g. '--n-live 100'")
    parser.add_argument("--out", type=Path, help="JSON file of the rows")
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for example in args.examples.split(","):
            for search in args.searches.split(","):
                rows.append(run(example, search, args.backend, args.extra.split(), Path(tmp)))
                print(table(rows[-1:]).splitlines()[-1], flush=True)
    print(table(rows))
    for r in rows:
        if r.get("truth_outside_3_sigma"):
            outside = ", ".join(r["truth_outside_3_sigma"])
            print(f"{r['example']} {r['search']}: true value outside 3 sigma: {outside}")
    if args.out:
        args.out.write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
