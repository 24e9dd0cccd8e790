"""Compile and run time of adaptive over-sampling under JAX, xplens vs PyAutoLens.

    python benchmarks/bench_adaptive_compile.py [--json PATH] [--processes 3] [--clears 4]
        [--problems sersic,likelihood] [--strategies library,grouped,segment_sum]
        [--peer-python /path/to/python-with-autolens | --no-peer]

Problems (adaptive over-sample sizes, one int per unmasked pixel):
``sersic``: a Sersic image on the 100 x 100, 0.1"/px, r = 3" mask, sizes
max([32, 8, 2] within [0.1, 0.3]" of (0, 0), [8, 4, 1] within [0.3, 0.6]" of
(0.1, 0.1)), binned, then sum of squares (a scalar of a non-linear function of the binned
image, so grad needs the binned values); the function of the profile centre (y, x).
``likelihood``: the reference likelihood of ``shared/BENCHMARK.md`` with the lens-light
adaptive over-sampling of the ``xplens`` command (``xplens.cli.dataset``: 8 within 0.3",
4 within 0.6" of the mask centre, 1 elsewhere): ``Fitness.call`` / ``Fitness._grad``.

Paths: ``jit`` (value) and ``grad`` (``jax.grad`` for ``sersic``, value-and-grad for
``likelihood``). Every (problem, strategy, path) runs in fresh worker processes; after a
warm-up jit of a trivial function (so JAX's backend start-up is not counted) the worker
times the first call of a fresh jit (trace + lower + compile + run), then ``--clears``
more first calls after ``jax.clear_caches()``; ``compile s`` is the median of all these,
``run ms`` the median call afterwards (``common.time_calls``).

Strategies (xplens): ``library`` is ``OverSampler`` as it is; ``grouped`` swaps in the
previous binning (sub-pixels grouped by size, reshape-and-mean per size, one gather back
to slim order); ``segment_sum`` a plain ``jax.ops.segment_sum`` over unsorted ids
(PyAutoLens's way, without its second segment sum for the counts). PyAutoLens runs
``benchmarks/peers/autolens_adaptive.py`` in its own interpreter (``--peer-python``,
default ``$XPLENS_PEER_AUTOLENS`` or ``/work/ag312/bin/python`` if present).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import JSON_MARKER, machine_info, run_worker, time_calls  # noqa: E402

PROBLEMS = ("sersic", "likelihood")
JAX_PATHS = ("jit", "grad")
STRATEGIES = ("library", "grouped", "segment_sum")
PEER_SCRIPT = HERE / "peers" / "autolens_adaptive.py"
DEFAULT_PEER_PYTHON = "/work/ag312/bin/python"

#: ``sersic`` problem: two radial-bin size maps, combined with an element-wise maximum.
SERSIC_BINS = (
    {"sub_size_list": [32, 8, 2], "radial_list": [0.1, 0.3], "centre": (0.0, 0.0)},
    {"sub_size_list": [8, 4, 1], "radial_list": [0.3, 0.6], "centre": (0.1, 0.1)},
)
#: The Sersic of the ``sersic`` problem (its centre is the function's argument).
SERSIC = {"ell_comps": (0.05, 0.1), "intensity": 1.0, "effective_radius": 0.6, "sersic_index": 3.0}
SERSIC_CENTRE = (0.01, 0.02)
#: ``likelihood`` problem: the xplens command's adaptive lens-light over-sampling
#: (``xplens.cli.dataset.ADAPTIVE_SUB_SIZES`` / ``ADAPTIVE_RADII``, checked at build).
LIKELIHOOD_SUB_SIZES = (8, 4, 1)
LIKELIHOOD_RADII = (0.3, 0.6)
MASK = {"shape": (100, 100), "radius": 3.0, "pixel_scale": 0.1}


# ----------------------------------------------------------------------------- worker side
def warm_backend() -> None:
    """Start JAX's CPU backend with a trivial jit so its one-off cost is not compile time."""
    import jax
    import jax.numpy as jnp

    jax.config.update("jax_enable_x64", True)
    jax.jit(lambda x: x + 1.0)(jnp.ones(2)).block_until_ready()


def measure(make_run: Callable[[], Callable[[], object]], value_of, clears: int, budget: float):
    """First-call seconds of fresh jits (the first, then ``clears`` after clearing JAX's
    caches) and the run time of the last one. ``make_run()`` returns a fresh ``run()``."""
    import jax

    firsts, cpus = [], []
    for i in range(1 + clears):
        if i:
            jax.clear_caches()
        run = make_run()
        t0, c0 = time.perf_counter(), time.process_time()
        result = run()
        firsts.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    timing = time_calls(run, warmup=3, repeats=5, budget_s=budget)
    return {
        "first_s": firsts[0],
        "compile_all_s": firsts,
        "compile_s": statistics.median(firsts),
        "compile_cpu_all_s": cpus,
        "run_ms": timing["median"],
        "run_best_ms": timing["best"],
        "value": value_of(result),
    }


def worker_main(code: str, make: Callable, argv: list[str]) -> None:
    """``--worker`` entry: ``make(problem, strategy, path)`` -> (make_run, value_of)."""
    p = argparse.ArgumentParser()
    p.add_argument("--worker", action="store_true")
    p.add_argument("--problem", required=True)
    p.add_argument("--strategy", default="library")
    p.add_argument("--path", required=True)
    p.add_argument("--clears", type=int, default=4)
    p.add_argument("--budget", type=float, default=1.0)
    a = p.parse_args(argv)
    warm_backend()
    t0 = time.perf_counter()
    make_run, value_of = make(a.problem, a.strategy, a.path)
    setup_s = time.perf_counter() - t0
    out = {"code": code, "problem": a.problem, "strategy": a.strategy, "path": a.path}
    out |= {"setup_s": setup_s} | measure(make_run, value_of, a.clears, a.budget)
    print(JSON_MARKER + json.dumps(out), flush=True)


# ----------------------------------------------------------------------------- xplens
def _use_strategy(name: str) -> None:
    """Swap the binning (and the sub-pixel layout it needs) of ``OverSampler``."""
    if name == "library":
        return
    import functools

    import jax
    import numpy as np

    from xparray.structures import over_sampling as osm

    cls = osm.OverSampler

    def grouped_order(self):
        return np.concatenate([pix for _, pix in self._groups])

    def grouped_sub_grid(self):
        centres, ps = self.mask.grid_slim, np.asarray(self.mask.pixel_scales)
        parts = [
            (centres[pix][:, None, :] + (osm._sub_offsets(s) * ps)[None]).reshape(-1, 2)
            for s, pix in self._groups
        ]
        return np.concatenate(parts)

    def grouped_binned(self, values, xp=np):
        means, start = [], 0
        for s, pix in self._groups:
            count = pix.size * s * s
            means.append(values[start : start + count].reshape(pix.size, s * s).mean(axis=1))
            start += count
        out = means[0] if len(means) == 1 else xp.concatenate(means)
        return out[np.argsort(grouped_order(self))]

    def segment_sum_binned(self, values, xp=np):
        ids = np.concatenate([np.repeat(pix, s * s) for s, pix in self._groups])
        if xp is np:
            sums = np.bincount(ids, weights=values, minlength=self.sub_sizes.size)
        else:
            sums = jax.ops.segment_sum(values, ids, self.sub_sizes.size)
        return sums / self.sub_sizes.astype(float) ** 2

    prop = functools.cached_property(grouped_sub_grid)
    prop.__set_name__(cls, "sub_grid")
    cls.sub_grid = prop
    cls.binned_array_2d_from = {"grouped": grouped_binned, "segment_sum": segment_sum_binned}[name]


def _mask_and_grid():
    import xplens as al

    mask = al.Mask2D.circular(MASK["shape"], MASK["radius"], MASK["pixel_scale"])
    return mask, al.Grid2D.from_mask(mask, over_sample_size=1)


def xplens_make(problem: str, strategy: str, path: str):
    import jax
    import jax.numpy as jnp
    import numpy as np

    import xplens as al

    _use_strategy(strategy)
    if problem == "sersic":
        mask, grid = _mask_and_grid()
        sizes = np.max(
            [
                al.over_sample_size_via_radial_bins_from(
                    grid, b["sub_size_list"], b["radial_list"], centre_list=[b["centre"]]
                )
                for b in SERSIC_BINS
            ],
            axis=0,
        )
        sampler = grid.with_over_sample_size(sizes).over_sampler
        sub = sampler.sub_grid

        def f(p):
            light = al.lp.Sersic(centre=(p[0], p[1]), **SERSIC)
            values = light.image_2d_from(jnp.asarray(sub), xp=jnp)
            values = getattr(values, "array", values)
            return jnp.sum(sampler.binned_array_2d_from(values, xp=jnp) ** 2)

        p0 = jnp.asarray(SERSIC_CENTRE)

        def make_run():
            fn = jax.jit(f) if path == "jit" else jax.jit(jax.grad(f))
            return lambda: fn(p0).block_until_ready()

        return make_run, (lambda r: float(r) if path == "jit" else float(r[0]))

    from reference import build_model, data_dir, truth_vector

    from xplens.cli import dataset as cli_dataset

    assert cli_dataset.ADAPTIVE_SUB_SIZES == LIKELIHOOD_SUB_SIZES
    assert cli_dataset.ADAPTIVE_RADII == LIKELIHOOD_RADII
    d = data_dir()
    imaging = al.Imaging.from_fits(
        d / "data.fits", MASK["pixel_scale"], d / "noise_map.fits", d / "psf.fits"
    )
    mask, grid = _mask_and_grid()
    sizes = al.over_sample_size_via_radial_bins_from(
        grid, list(LIKELIHOOD_SUB_SIZES), list(LIKELIHOOD_RADII), [(0.0, 0.0)]
    )
    dataset = imaging.apply_mask(mask).apply_over_sampling(sizes)
    model = build_model("ref")
    vector = truth_vector(model, "ref")

    def make_run():
        fitness = al.Fitness(model, al.AnalysisImaging(dataset, use_jax=True), use_log_prior=False)
        if path == "jit":
            return lambda: fitness.call(vector).block_until_ready()
        return lambda: jax.block_until_ready(fitness._grad(vector))

    return make_run, (lambda r: float(r) if path == "jit" else float(r[0]))


# ----------------------------------------------------------------------------- driver
def aggregate(samples: list[dict]) -> dict:
    good = [s for s in samples if "error" not in s]
    if not good:
        return {"error": samples[0].get("error"), "detail": samples}
    return {
        "compile_s": statistics.median(c for s in good for c in s["compile_all_s"]),
        "compile_cpu_s": statistics.median(c for s in good for c in s["compile_cpu_all_s"]),
        "first_s": statistics.median(s["first_s"] for s in good),
        "compile_spread_s": [
            min(c for s in good for c in s["compile_all_s"]),
            max(c for s in good for c in s["compile_all_s"]),
        ],
        "run_ms": statistics.median(s["run_ms"] for s in good),
        "run_best_ms": min(s["run_best_ms"] for s in good),
        "value": good[0]["value"],
        "samples": samples,
    }


def format_rows(results: dict) -> str:
    head = (
        f"{'problem':10} {'path':5} {'code/strategy':22} {'compile s':>9} {'[min - max]':>15} "
        f"{'cpu s':>6} {'1st s':>6} {'run ms':>8} {'best':>8} {'ratio':>6} {'cpu':>5}  value"
    )
    lines = [head, "-" * len(head)]
    for problem, per_path in results.items():
        for path, rows in per_path.items():
            peer = rows.get("autolens", {}).get("compile_s")
            peer_cpu = rows.get("autolens", {}).get("compile_cpu_s")
            for name, r in rows.items():
                if "error" in r:
                    lines.append(f"{problem:10} {path:5} {name:22} ERROR {r['error']}")
                    continue
                ratio = f"{r['compile_s'] / peer:6.2f}" if peer else f"{'-':>6}"
                ratio += f" {r['compile_cpu_s'] / peer_cpu:5.2f}" if peer_cpu else f" {'-':>5}"
                lo, hi = r["compile_spread_s"]
                lines.append(
                    f"{problem:10} {path:5} {name:22} {r['compile_s']:9.3f} "
                    f"{f'[{lo:.3f} - {hi:.3f}]':>15} {r['compile_cpu_s']:6.3f} {r['first_s']:6.3f} "
                    f"{r['run_ms']:8.3f} "
                    f"{r['run_best_ms']:8.3f} {ratio}  {r['value']:.8g}"
                )
    lines.append(
        "compile s: median wall time of the first call (trace+compile+run) of fresh jits; "
        "cpu s: its process CPU time (steadier when other work shares the core); "
        "ratio, cpu: xplens / autolens (< 1: xplens compiles faster)"
    )
    return "\n".join(lines)


def driver(argv: list[str] | None = None, autolens_only: bool = False) -> dict:
    """The driver (``autolens_only``: run by the peer script alone, in its interpreter)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", default=None, help="write the full report here")
    parser.add_argument("--problems", default=",".join(PROBLEMS))
    parser.add_argument("--paths", default=",".join(JAX_PATHS))
    parser.add_argument("--strategies", default=",".join(STRATEGIES))
    parser.add_argument("--processes", type=int, default=3, help="fresh workers per row")
    parser.add_argument("--clears", type=int, default=4, help="extra compiles per worker")
    parser.add_argument("--budget", type=float, default=1.0, help="s of timed calls per worker")
    parser.add_argument("--timeout", type=float, default=600.0)
    default_peer = os.environ.get("XPLENS_PEER_AUTOLENS") or (
        DEFAULT_PEER_PYTHON if Path(DEFAULT_PEER_PYTHON).exists() else None
    )
    parser.add_argument("--peer-python", default=default_peer, help="interpreter with autolens")
    parser.add_argument("--no-peer", action="store_true")
    args = parser.parse_args(argv)
    split = lambda s: [x.strip() for x in s.split(",") if x.strip()]  # noqa: E731
    problems, paths, strategies = split(args.problems), split(args.paths), split(args.strategies)
    runners = [(s, sys.executable, Path(__file__)) for s in strategies]
    if autolens_only:
        runners = [("autolens", sys.executable, PEER_SCRIPT)]
    elif args.peer_python and not args.no_peer:
        runners.append(("autolens", args.peer_python, PEER_SCRIPT))
    started = time.time()
    results: dict = {}
    for problem in problems:
        for path in paths:
            samples: dict[str, list] = {name: [] for name, _, _ in runners}
            # rounds outermost: every code/strategy is measured back to back, interleaved
            for _ in range(args.processes):
                for name, python, script in runners:
                    wargv = [f"--problem={problem}", f"--path={path}", f"--clears={args.clears}"]
                    wargv += [f"--budget={args.budget}", f"--strategy={name}"]
                    samples[name].append(run_worker(script, wargv, args.timeout, python=python))
            rows = results.setdefault(problem, {}).setdefault(path, {})
            for name, _, _ in runners:
                label = name if name == "autolens" else f"xplens/{name}"
                rows[label] = aggregate(samples[name])
                r = rows[label]
                msg = f"{r['compile_s']:.3f} s" if "error" not in r else f"ERROR {r}"
                print(f"[adaptive] {problem} {path} {label}: {msg}", file=sys.stderr, flush=True)
    print(format_rows(results))
    report = {
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(started)),
        "machine": machine_info(),
        "settings": vars(args),
        "results": results,
        "wall_s": time.time() - started,
    }
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(report, indent=1, default=str) + "\n")
        print(f"wrote {args.json}")
    return report


if __name__ == "__main__":
    if "--worker" in sys.argv[1:]:
        worker_main("xplens", xplens_make, sys.argv[1:])
    else:
        driver()
