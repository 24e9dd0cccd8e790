"""xplens side by side with other lens-modelling codes (``nox -s bench_peers``).

    python benchmarks/peers/compare.py --env autolens=/path/to/python \\
        --env lenstronomy=/path/to/python --env jaxtronomy=... --env herculens=...
    python benchmarks/peers/compare.py --from-json results/xplens-....json results/...

Each code runs its own script (``<code>_bench.py``; xplens: ``bench_likelihood.py``)
with its own interpreter, variant by variant, codes interleaved, so every figure of one
variant is taken within a few minutes of the others. Prints each code's table, then the
ratio table ``xplens / other`` per path (below 1: xplens is faster), and writes one JSON
with every code's report.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCH = HERE.parent
sys.path.insert(0, str(BENCH))

from common import PATHS, format_table, machine_info  # noqa: E402

SCRIPTS = {
    "xplens": BENCH / "bench_likelihood.py",
    "autolens": HERE / "autolens_bench.py",
    "lenstronomy": HERE / "lenstronomy_bench.py",
    "jaxtronomy": HERE / "jaxtronomy_bench.py",
    "herculens": HERE / "herculens_bench.py",
}


def run_code(name: str, python: str, variant: str, args, out: Path) -> dict | None:
    cmd = [
        python,
        "-W",
        "ignore",
        str(SCRIPTS[name]),
        f"--variants={variant}",
        f"--processes={args.processes}",
        f"--repeats={args.repeats}",
        f"--budget={args.budget}",
        f"--out={out}",
    ]
    if name == "xplens":
        cmd.append("--cases=ref")
    if args.quick:
        cmd.append("--quick")
    print(f"$ {' '.join(cmd)}", file=sys.stderr, flush=True)
    proc = subprocess.run(cmd, text=True, stdout=subprocess.PIPE)
    print(proc.stdout, file=sys.stderr, flush=True)
    if proc.returncode != 0:
        print(f"[compare] {name} {variant}: exit {proc.returncode}", file=sys.stderr)
    if not out.exists():
        return None
    return json.loads(out.read_text())


def merge(reports: list[dict]) -> dict:
    """One report per code from its per-variant reports."""
    merged = dict(reports[0])
    merged["results"] = {}
    for r in reports:
        merged["results"].update(r["results"])
        for key in ("convention_check",):
            if key in r:
                merged.setdefault(key, {}).update(r[key])
    return merged


STATS = {"median": "ms", "best": "ms_best", "cpu": "cpu_ms"}


def ratio_table(reports: dict[str, dict], stat: str = "median") -> tuple[str, list[dict]]:
    """Rows (variant, path): xplens ms and each other code's ms with xplens/other.

    ``stat``: ``median`` (median call), ``best`` (fastest call: least sensitive to other
    load on the machine) or ``cpu`` (process CPU time per call, all threads)."""
    others = [n for n in reports if n != "xplens"]
    rows = []
    keys = sorted({k for r in reports.values() for k in r["results"]})
    for key in keys:
        for path in PATHS + ("compile_jit", "compile_vmap", "compile_grad", "memory"):
            row = {"variant_case": key, "path": path}
            base_path = path.split("_", 1)[1] if path.startswith("compile_") else path

            def figure(report: dict, p=path, b=base_path, k=key):
                res = report.get("results", {}).get(k, {})
                if p == "memory":
                    vals = [r["maxrss_mb"] for r in res.values() if "maxrss_mb" in r]
                    return max(vals) if vals else None
                r = res.get(b)
                if not r or "error" in r:
                    return None
                return r["first_call_s"] if p.startswith("compile_") else r.get(STATS[stat])

            x = figure(reports["xplens"]) if "xplens" in reports else None
            row["xplens"] = x
            for name in others:
                o = figure(reports[name])
                row[name] = o
                row[f"xplens/{name}"] = (x / o) if (x is not None and o) else None
            if any(row.get(n) is not None for n in others) or x is not None:
                rows.append(row)
    unit = {"memory": "MB peak", "compile": "s to 1st result"}
    head = f"{'variant':10} {'path':13} {'xplens':>9}" + "".join(
        f" {n:>11} {'ratio':>6}" for n in others
    )
    lines = [
        f"== xplens / other, {stat} ms per evaluation (compile: s to first result; "
        "memory: peak MB)",
        head,
        "-" * len(head),
    ]
    fmt = lambda v: f"{v:9.3f}" if v is not None else f"{'-':>9}"  # noqa: E731
    for row in rows:
        line = f"{row['variant_case']:10} {row['path']:13} {fmt(row['xplens'])}"
        for n in others:
            ratio = row[f"xplens/{n}"]
            line += f" {fmt(row[n]):>11} " + (f"{ratio:6.2f}" if ratio is not None else f"{'-':>6}")
        lines.append(line)
    lines.append(f"units: {unit}; ratio < 1 means xplens is faster / smaller")
    return "\n".join(lines), rows


def agreement_lines(reports: dict[str, dict]) -> list[str]:
    """Each code's log L at the truth against xplens's NumPy value."""
    lines = ["== log L at the truth vs xplens numpy (other codes' Sersic b_n differs)"]
    xp = reports.get("xplens", {}).get("results", {})
    for name, report in reports.items():
        for key, per_path in report["results"].items():
            ref = xp.get(key, {}).get("numpy", {}).get("log_likelihood")
            for path, r in per_path.items():
                if "log_likelihood" not in r or ref is None:
                    continue
                rel = abs(r["log_likelihood"] - ref) / abs(ref)
                lines.append(
                    f"  {name:12} {key:9} {path:6} {r['log_likelihood']:.8f}  rel diff {rel:.2e}"
                )
        for variant, check in report.get("convention_check", {}).items():
            ref = xp.get(f"{variant}/ref", {}).get("numpy", {}).get("log_likelihood")
            v = check.get("log_l_with_pyautogalaxy_b_n")
            if v is not None and ref is not None:
                lines.append(
                    f"  {name:12} {variant}/ref  with PyAutoGalaxy b_n: {v:.8f}  "
                    f"rel diff {abs(v - ref) / abs(ref):.2e}"
                )
    return lines


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env", action="append", default=[], help="code=python interpreter")
    parser.add_argument("--variants", default="ss1,ss4")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--budget", type=float, default=2.0)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--out", default=None)
    parser.add_argument("--from-json", nargs="*", default=None, help="reports to tabulate")
    args = parser.parse_args(argv)

    started = time.time()
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(started))
    results_dir = BENCH / "results"
    reports: dict[str, dict] = {}
    if args.from_json:
        for path in args.from_json:
            r = json.loads(Path(path).read_text())
            if "codes" in r:
                reports.update(r["codes"])
            else:
                reports[r["code"]] = merge([reports[r["code"]], r]) if r["code"] in reports else r
    else:
        envs = dict(e.split("=", 1) for e in args.env)
        envs = {"xplens": sys.executable} | envs
        unknown = [n for n in envs if n not in SCRIPTS]
        if unknown:
            raise SystemExit(f"unknown codes {unknown}; known: {list(SCRIPTS)}")
        per_code: dict[str, list[dict]] = {n: [] for n in envs}
        for variant in args.variants.split(","):
            for name, python in envs.items():
                out = results_dir / f"peers-{stamp}" / f"{name}-{variant}.json"
                report = run_code(name, python, variant, args, out)
                if report is not None:
                    per_code[name].append(report)
        reports = {n: merge(rs) for n, rs in per_code.items() if rs}

    for name, report in reports.items():
        print(format_table(name, report["results"]))
    rows = {}
    for stat in STATS:
        table, rows[stat] = ratio_table(reports, stat)
        print(table)
    print("\n".join(agreement_lines(reports)))
    out = Path(args.out) if args.out else results_dir / f"peers-{stamp}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    summary = {
        "started": stamp,
        "machine": machine_info(),
        "versions": {n: r.get("versions") for n, r in reports.items()},
        "ratios": rows,
        "codes": reports,
    }
    out.write_text(json.dumps(summary, indent=1, default=str) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
