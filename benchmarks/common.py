"""Code-independent pieces of the benchmark harness (numpy + the standard library only).

Every benchmark script (xplens's ``bench_likelihood.py`` and each script in ``peers/``)
describes its code as a :class:`Bench` and hands it to :func:`main`. The same driver then
runs every (variant, case, path) in a fresh worker subprocess of that script, so

* ``compile`` is the wall time from the first call to its first result in a process
  whose JAX caches are empty (no persistent compilation cache is used);
* ``memory`` is that worker's peak resident set size (``resource.getrusage`` maxrss);
* timings are medians of many calls after warm-up, over several repeats.

The reference problem (data, mask, PSF, model, true parameters) is in
``/work/shared/BENCHMARK.md``; :data:`TRUTH` holds its true parameters in PyAutoLens
conventions (ell_comps, einstein_radius, intensity at the effective radius), from which
each code's script converts to its own conventions.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

__all__ = [
    "BATCH_SIZE",
    "Bench",
    "CASES",
    "EXTRA_SOURCES",
    "JSON_MARKER",
    "PATHS",
    "TRUTH",
    "VARIANTS",
    "data_dir",
    "machine_info",
    "main",
    "time_calls",
]

HERE = Path(__file__).resolve().parent
#: Environment variable that overrides where the reference FITS files are read from.
DATA_ENV = "XPLENS_BENCH_DATA"
#: Every path name, in table order. ``numpy`` is the code's non-JAX likelihood.
PATHS = ("numpy", "jit", "vmap", "grad")
#: Over-sampling of light profiles per variant (uniform sub-grid of size n x n).
VARIANTS = {"ss1": 1, "ss4": 4}
#: Problem sizes. ``ref``: the reference problem of BENCHMARK.md. ``big``: 200 x 200 pixels
#: at 0.1"/px with a 6" circular mask (same PSF, ~4x the masked pixels), simulated from
#: the true model. ``src2``/``src4``: the reference data fitted with 2 / 4 Sersic sources
#: in the z = 1 plane (21 + 7 per extra source free parameters).
CASES = ("ref", "big", "src2", "src4")
#: Rows per vmap batch (time per vector = batch time / BATCH_SIZE).
BATCH_SIZE = 64
#: Prefix of the one stdout line a worker prints its JSON result on.
JSON_MARKER = "BENCH_JSON "

# True parameters of the reference problem (BENCHMARK.md), PyAutoLens conventions:
# (y, x) centres in arcsec, ell_comps = (e1, e2) with e1 along y, intensity at R_eff (e-/s).
TRUTH = {
    "lens_light": {
        "centre": (0.0, 0.0),
        "ell_comps": (0.05, 0.1),
        "intensity": 2.0,
        "effective_radius": 0.6,
        "sersic_index": 3.0,
    },
    "lens_mass": {"centre": (0.0, 0.0), "ell_comps": (0.05, 0.1), "einstein_radius": 1.6},
    "shear": {"gamma_1": 0.05, "gamma_2": 0.05},
    "source_light": {
        "centre": (0.1, 0.1),
        "ell_comps": (0.1, 0.0),
        "intensity": 0.3,
        "effective_radius": 0.1,
        "sersic_index": 1.0,
    },
}

# Extra source galaxies for the src2 / src4 cases (same plane, z = 1.0). Values chosen
# to be lensed inside the mask; they are not in the data, which only affects the
# likelihood's value, not the work per call.
EXTRA_SOURCES = (
    {
        "centre": (-0.15, 0.2),
        "ell_comps": (0.0, 0.15),
        "intensity": 0.2,
        "effective_radius": 0.15,
        "sersic_index": 1.5,
    },
    {
        "centre": (0.2, -0.1),
        "ell_comps": (-0.1, 0.05),
        "intensity": 0.15,
        "effective_radius": 0.2,
        "sersic_index": 2.0,
    },
    {
        "centre": (-0.05, -0.2),
        "ell_comps": (0.05, -0.05),
        "intensity": 0.1,
        "effective_radius": 0.12,
        "sersic_index": 0.8,
    },
)


def n_sources(case: str) -> int:
    """Number of source galaxies of ``case``."""
    return {"src2": 2, "src4": 4}.get(case, 1)


def source_truths(case: str) -> list[dict]:
    """True parameters of every source of ``case`` (the reference source first)."""
    return [TRUTH["source_light"], *EXTRA_SOURCES[: n_sources(case) - 1]]


def data_dir() -> Path:
    """Folder of the reference FITS files: ``$XPLENS_BENCH_DATA`` or ``shared/data/reference``
    beside the checkout (``<checkout>/../shared/data/reference``)."""
    override = os.environ.get(DATA_ENV)
    path = Path(override) if override else HERE.parents[1] / "shared" / "data" / "reference"
    missing = [n for n in ("data.fits", "noise_map.fits", "psf.fits") if not (path / n).is_file()]
    if missing:
        raise SystemExit(f"reference data not found: {path} lacks {missing}; set ${DATA_ENV}.")
    return path


# ----------------------------------------------------------------------------- timing
def time_calls(
    fn: Callable[[], object],
    *,
    warmup: int = 3,
    repeats: int = 5,
    calls: int | None = None,
    budget_s: float = 1.0,
    per: int = 1,
) -> dict:
    """Time ``fn()`` (which must block until its result is ready) call by call.

    ``calls`` per repeat (default: as many as fit ``budget_s``, between 5 and 2000).
    Times are divided by ``per`` (the batch size for vmap) and given in milliseconds:
    ``median`` is the median over repeats of each repeat's median call, ``lo``/``hi`` the
    smallest/largest repeat median, ``q1``/``q3`` the quartiles of all calls pooled,
    ``best`` the fastest single call, ``cpu`` the median over repeats of the process CPU
    time per call (all threads: less sensitive to other processes than wall time, but
    counts every core a multi-threaded call keeps busy).
    """
    for _ in range(warmup):
        fn()
    if calls is None:
        t0 = time.perf_counter()
        fn()
        one = max(time.perf_counter() - t0, 1e-7)
        calls = int(min(2000, max(5, budget_s / repeats / one)))
    medians, pooled, cpu = [], [], []
    for _ in range(repeats):
        times = []
        c0 = time.process_time()
        for _ in range(calls):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        cpu.append((time.process_time() - c0) / calls)
        medians.append(statistics.median(times))
        pooled.extend(times)
    pooled.sort()
    scale = 1e3 / per
    quartiles = statistics.quantiles(pooled, n=4) if len(pooled) > 1 else [pooled[0]] * 3
    return {
        "median": statistics.median(medians) * scale,
        "lo": min(medians) * scale,
        "hi": max(medians) * scale,
        "q1": quartiles[0] * scale,
        "q3": quartiles[2] * scale,
        "best": pooled[0] * scale,
        "cpu": statistics.median(cpu) * scale,
        "calls": calls,
        "repeats": repeats,
    }


def maxrss_mb() -> float:
    """Peak resident memory of this process in MB (Linux reports KiB)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1024.0 if sys.platform != "darwin" else rss / 2**20


# ----------------------------------------------------------------------------- machine
def machine_info() -> dict:
    """CPU model, cores, memory and load, so figures from different runs can be told apart."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_gb = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "cores_usable": affinity,
        "memory_gb": mem_gb,
        "platform": platform.platform(),
        "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "python": platform.python_version(),
    }


def module_version(name: str) -> str | None:
    try:
        from importlib.metadata import version

        return version(name)
    except Exception:
        return None


# ----------------------------------------------------------------------------- the driver
class Bench:
    """One code's benchmark. Subclasses set ``name`` and ``paths`` and implement
    :meth:`build` and :meth:`make`.

    ``build(variant, case)`` sets the problem up (not timed as compile).
    ``make(path)`` returns ``(run, log_likelihood_of)``: ``run()`` does one evaluation of
    the path and blocks until its result is ready; ``log_likelihood_of(result)`` extracts
    the log likelihood at the true parameters from it (row 0 of a vmap batch, the value of
    a value-and-grad pair) as a Python float.
    """

    name = "code"
    paths: tuple[str, ...] = PATHS
    cases: tuple[str, ...] = ("ref",)
    batch_size = BATCH_SIZE

    def build(self, variant: str, case: str) -> None:
        raise NotImplementedError

    def make(self, path: str) -> tuple[Callable[[], object], Callable[[object], float]]:
        raise NotImplementedError

    def versions(self) -> dict:
        return {"python": platform.python_version(), "numpy": module_version("numpy")}

    def notes(self) -> dict:
        """Anything a reader needs to interpret this code's figures (conventions, options)."""
        return {}

    def extra(self, args: argparse.Namespace, variants: list[str]) -> dict:
        """Extra sections of the JSON report (breakdowns); run in the driver process."""
        return {}


def worker(bench: Bench, args: argparse.Namespace) -> None:
    """Run one path of one variant/case in this (fresh) process and print its JSON."""
    t0 = time.perf_counter()
    bench.build(args.variant, args.case)
    setup_s = time.perf_counter() - t0
    run, log_likelihood_of = bench.make(args.path)
    t0 = time.perf_counter()
    result = run()
    first_s = time.perf_counter() - t0
    value = log_likelihood_of(result)
    per = bench.batch_size if args.path == "vmap" else 1
    timing = time_calls(
        run,
        warmup=args.warmup,
        repeats=args.repeats,
        calls=args.calls,
        budget_s=args.budget,
        per=per,
    )
    out = {
        "code": bench.name,
        "variant": args.variant,
        "case": args.case,
        "path": args.path,
        "setup_s": setup_s,
        "first_call_s": first_s,
        "log_likelihood": value,
        "timing_ms": timing,
        "maxrss_mb": maxrss_mb(),
    }
    print(JSON_MARKER + json.dumps(out), flush=True)


def _worker_env() -> dict:
    env = dict(os.environ)
    env.setdefault("JAX_PLATFORMS", "cpu")
    env["JAX_ENABLE_X64"] = "1"
    # compile time must be measured cold: never read a persistent compilation cache
    for key in ("JAX_COMPILATION_CACHE_DIR", "JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS"):
        env.pop(key, None)
    return env


def run_worker(script: str, argv: list[str], timeout: float, python: str | None = None) -> dict:
    """Run ``script --worker argv`` in a fresh interpreter and parse its JSON.

    ``python``: the interpreter (default this one; a peer code's own environment)."""
    cmd = [python or sys.executable, "-W", "ignore", str(script), "--worker", *argv]
    try:
        proc = subprocess.run(
            cmd, capture_output=True, text=True, env=_worker_env(), timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    for line in proc.stdout.splitlines():
        if line.startswith(JSON_MARKER):
            return json.loads(line[len(JSON_MARKER) :])
    tail = (proc.stderr or proc.stdout).strip().splitlines()[-15:]
    return {"error": f"worker exit {proc.returncode}", "stderr_tail": tail}


def aggregate(samples: list[dict]) -> dict:
    """Merge the results of several worker processes of the same path."""
    good = [s for s in samples if "error" not in s]
    if not good:
        return {"error": samples[0].get("error"), "detail": samples[0]}
    pick = lambda key: [s[key] for s in good]  # noqa: E731
    tm = [s["timing_ms"] for s in good]
    medians = [t["median"] for t in tm]
    first = pick("first_call_s")
    return {
        "log_likelihood": good[0]["log_likelihood"],
        "log_likelihood_all": pick("log_likelihood"),
        "ms": statistics.median(medians),
        "ms_lo": min(t["lo"] for t in tm),
        "ms_hi": max(t["hi"] for t in tm),
        "ms_q1": statistics.median(t["q1"] for t in tm),
        "ms_q3": statistics.median(t["q3"] for t in tm),
        "ms_best": min(t["best"] for t in tm),
        "cpu_ms": statistics.median(t["cpu"] for t in tm),
        "first_call_s": statistics.median(first),
        "first_call_s_lo": min(first),
        "first_call_s_hi": max(first),
        "setup_s": statistics.median(pick("setup_s")),
        "maxrss_mb": max(pick("maxrss_mb")),
        "processes": len(good),
        "calls": tm[0]["calls"],
        "repeats": tm[0]["repeats"],
        "errors": [s for s in samples if "error" in s],
    }


def check_agreement(results: dict, rtol: float = 1e-8) -> list[str]:
    """Every path of a (variant, case) must give the same log likelihood at the truth as its
    ``numpy`` path (or, without one, its first path): relative difference <= ``rtol``."""
    problems = []
    for key, per_path in results.items():
        done = [(p, r) for p, r in per_path.items() if "log_likelihood_all" in r]
        if not done:
            continue
        ref_path, ref_r = next(((p, r) for p, r in done if p == "numpy"), done[0])
        ref = ref_r["log_likelihood_all"][0]
        for path, r in done:
            rel = max(abs(v - ref) / max(abs(ref), 1e-300) for v in r["log_likelihood_all"])
            r["rel_diff"] = rel
            r["agrees"] = bool(rel <= rtol)
            if not r["agrees"]:
                problems.append(
                    f"{key} {path}: log L {r['log_likelihood_all']} vs {ref_path} "
                    f"{ref!r} (rel {rel:.2e} > {rtol})"
                )
    return problems


def format_table(bench_name: str, results: dict) -> str:
    """Terminal table: one row per (variant, case, path)."""
    head = (
        f"{'variant':7} {'case':5} {'path':6} {'ms/eval':>9} {'[lo - hi]':>19} "
        f"{'IQR':>19} {'best':>8} {'first s':>8} {'MB':>6}  log L"
    )
    lines = [f"== {bench_name}", head, "-" * len(head)]
    for key, per_path in results.items():
        variant, case = key.split("/")
        for path, r in per_path.items():
            if "error" in r:
                lines.append(f"{variant:7} {case:5} {path:6}  ERROR {r['error']}")
                continue
            flag = "" if r.get("agrees", True) else "  MISMATCH"
            spread = "[{:.3f} - {:.3f}]".format(r["ms_lo"], r["ms_hi"])
            iqr = "[{:.3f} - {:.3f}]".format(r["ms_q1"], r["ms_q3"])
            lines.append(
                f"{variant:7} {case:5} {path:6} {r['ms']:9.3f} {spread:>19} {iqr:>19} "
                f"{r['ms_best']:8.3f} {r['first_call_s']:8.2f} {r['maxrss_mb']:6.0f}  "
                f"{r['log_likelihood']:.6f}{flag}"
            )
    return "\n".join(lines)


def build_parser(bench: Bench, description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--variants", default=",".join(VARIANTS), help="comma list of ss1,ss4 (default both)"
    )
    parser.add_argument(
        "--paths", default=",".join(bench.paths), help=f"comma list of {','.join(bench.paths)}"
    )
    parser.add_argument(
        "--cases",
        default=",".join(bench.cases),
        help=f"comma list of problem sizes {','.join(bench.cases)} (see common.CASES)",
    )
    parser.add_argument(
        "--processes", type=int, default=2, help="fresh worker processes per path (default 2)"
    )
    parser.add_argument("--repeats", type=int, default=5, help="timing repeats per process")
    parser.add_argument("--calls", type=int, default=None, help="calls per repeat (default auto)")
    parser.add_argument(
        "--budget", type=float, default=2.0, help="seconds of timed calls per process (auto calls)"
    )
    parser.add_argument("--warmup", type=int, default=3, help="untimed calls after the first")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per worker")
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: ss1, one process, few calls (< 60 s)"
    )
    parser.add_argument("--out", default=None, help="JSON output file (default results/...)")
    parser.add_argument("--no-json", action="store_true", help="print the table only")
    # worker mode (internal): one path of one variant/case in this process
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--variant", default="ss1", help=argparse.SUPPRESS)
    parser.add_argument("--case", default="ref", help=argparse.SUPPRESS)
    parser.add_argument("--path", default="numpy", help=argparse.SUPPRESS)
    return parser


def _split(text: str, allowed, what: str) -> list[str]:
    items = [s.strip() for s in text.split(",") if s.strip()]
    bad = [s for s in items if s not in allowed]
    if bad:
        raise SystemExit(f"unknown {what}: {bad}; choose from {list(allowed)}")
    return items


def main(
    bench: Bench,
    script: str,
    argv: list[str] | None = None,
    description: str = "",
    quick_paths: tuple[str, ...] | None = None,
    configure: Callable[[argparse.ArgumentParser], None] | None = None,
) -> dict | None:
    """Command line of a benchmark script: the driver, or ``--worker`` for one path."""
    parser = build_parser(bench, description or f"likelihood benchmark of {bench.name}")
    if configure is not None:
        configure(parser)
    args = parser.parse_args(argv)
    if args.worker:
        worker(bench, args)
        return None
    if args.quick:
        args.variants = "ss1"
        args.cases = "ref"
        if quick_paths is not None and args.paths == ",".join(bench.paths):
            args.paths = ",".join(quick_paths)
        args.processes, args.repeats, args.warmup = 1, 3, 1
        args.budget = min(args.budget, 0.3)
    variants = _split(args.variants, VARIANTS, "variants")
    paths = _split(args.paths, bench.paths, "paths")
    cases = _split(args.cases, bench.cases, "cases")

    started = time.time()
    report = {
        "code": bench.name,
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(started)),
        "machine": machine_info(),
        "versions": bench.versions(),
        "notes": bench.notes(),
        "settings": {
            "batch_size": bench.batch_size,
            "processes": args.processes,
            "repeats": args.repeats,
            "calls": args.calls,
            "budget_s": args.budget,
            "warmup": args.warmup,
            "quick": args.quick,
        },
        "results": {},
    }
    for case in cases:
        for variant in variants:
            key = f"{variant}/{case}"
            per_path = report["results"].setdefault(key, {})
            for path in paths:
                wargv = [
                    f"--variant={variant}",
                    f"--case={case}",
                    f"--path={path}",
                    f"--repeats={args.repeats}",
                    f"--warmup={args.warmup}",
                    f"--budget={args.budget}",
                ]
                if args.calls is not None:
                    wargv.append(f"--calls={args.calls}")
                samples = [run_worker(script, wargv, args.timeout) for _ in range(args.processes)]
                per_path[path] = aggregate(samples)
                r = per_path[path]
                msg = (
                    f"{r['ms']:.3f} ms, first {r['first_call_s']:.2f} s"
                    if "error" not in r
                    else f"ERROR {r['error']} {r.get('detail', {}).get('stderr_tail', '')}"
                )
                print(f"[{bench.name}] {key} {path}: {msg}", file=sys.stderr, flush=True)
    problems = check_agreement(report["results"])
    report["agreement_problems"] = problems
    report.update(bench.extra(args, variants) if not args.quick else {})
    report["machine"]["load_average_end"] = (
        list(os.getloadavg()) if hasattr(os, "getloadavg") else None
    )
    report["wall_s"] = time.time() - started
    print(format_table(bench.name, report["results"]))
    if problems:
        print("LOG-LIKELIHOOD MISMATCH between paths (rel > 1e-8):")
        print("\n".join("  " + p for p in problems))
    if not args.no_json:
        out = Path(args.out) if args.out else default_out(bench.name, started)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, indent=1, default=str) + "\n")
        print(f"wrote {out}")
    errors = [
        f"{k} {p}" for k, pp in report["results"].items() for p, r in pp.items() if "error" in r
    ]
    if errors or problems:
        # a smoke run (CI) must fail when a path breaks or the paths disagree
        print(f"FAILED: errors in {errors}" if errors else "FAILED: log L mismatch")
        raise SystemExit(1)
    return report


def default_out(name: str, started: float) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(started))
    return HERE / "results" / f"{name}-{stamp}.json"
