"""Where the time of one xplens likelihood goes (run by ``bench_likelihood.py --breakdown``).

* ``numpy_pieces``: each stage of ``AnalysisImaging.log_likelihood_function`` timed alone
  on NumPy (instance, tracer, ray tracing, images on the mask and blurring grids, PSF
  convolution by both methods, chi-squared / likelihood).
* ``numpy_profile``: cProfile of many NumPy evaluations, top functions by own time and by
  cumulative time, in ms per evaluation (cProfile's overhead inflates small functions).
* ``jax_stages``: ``jax.jit`` of growing prefixes of the likelihood (vector -> image on
  the mask; + blurring image; + convolution; + likelihood), so differences between rows
  are the cost of each stage; plus the convolution alone by both methods.
* ``jax_cost``: XLA's ``cost_analysis`` (flops, bytes accessed) and ``memory_analysis``
  of the compiled jit and value-and-grad programs.
"""

from __future__ import annotations

import cProfile
import io
import pstats

import numpy as np
from common import time_calls
from reference import problem

import xparray as aa


def _ms(fn, budget_s: float = 0.5) -> dict:
    t = time_calls(fn, warmup=2, repeats=3, budget_s=budget_s)
    return {k: round(t[k], 5) for k in ("median", "lo", "hi", "best")} | {"calls": t["calls"]}


def numpy_pieces(variant: str, case: str = "ref") -> dict:
    p = problem(variant, case, use_jax=False)
    ds, analysis, model, v = p.dataset, p.analysis, p.model, p.vector
    grid, blurring, conv = ds.grids.lp, ds.grids.blurring, ds.convolver
    instance = model.instance_from_vector(v)
    tracer = analysis.tracer_from(instance)
    image = aa.structures.unwrap(tracer.image_2d_from(grid))
    blur = aa.structures.unwrap(tracer.image_2d_from(blurring))
    model_image = conv.convolve_slim(image, blur)
    pieces = {
        "instance_from_vector": lambda: model.instance_from_vector(v),
        "tracer_from": lambda: analysis.tracer_from(instance),
        "ray_trace_mask_grid": lambda: tracer.traced_grid_2d_list_from(grid),
        "image_mask_grid (incl. ray tracing)": lambda: tracer.image_2d_from(grid),
        "image_blurring_grid (incl. ray tracing)": lambda: tracer.image_2d_from(blurring),
        "convolve_direct": lambda: conv.convolve_slim(image, blur, method="direct"),
        "convolve_fft": lambda: conv.convolve_slim(image, blur, method="fft"),
        "fit (chi2, noise norm, log L)": lambda: (
            aa.FitImaging(ds, model_data=model_image).figure_of_merit
        ),
        "TOTAL log_likelihood_function": lambda: analysis.log_likelihood_function(instance),
    }
    out = {name: _ms(fn) for name, fn in pieces.items()}
    return {
        "convolution_method_numpy": conv.method_for(np),
        "pixels_in_mask": conv.pixels_in_mask,
        "pixels_in_blurring": conv.pixels_in_blurring,
        "sub_pixels": int(grid.over_sampled.array.shape[0]),
        "ms": out,
    }


def numpy_profile(variant: str, case: str = "ref", n_calls: int = 200, top: int = 15) -> dict:
    p = problem(variant, case, use_jax=False)
    instance = p.model.instance_from_vector(p.vector)
    p.analysis.log_likelihood_function(instance)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(n_calls):
        p.analysis.log_likelihood_function(instance)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=io.StringIO())
    rows = []
    for (filename, line, func), (_, ncalls, tottime, cumtime, _) in stats.stats.items():
        short = filename.split("/src/")[-1] if "/src/" in filename else filename.split("/")[-1]
        rows.append(
            {
                "function": f"{short}:{line}({func})",
                "calls_per_eval": ncalls / n_calls,
                "own_ms": 1e3 * tottime / n_calls,
                "cum_ms": 1e3 * cumtime / n_calls,
            }
        )
    total = 1e3 * stats.total_tt / n_calls
    by_own = sorted(rows, key=lambda r: -r["own_ms"])[:top]
    by_cum = sorted(rows, key=lambda r: -r["cum_ms"])[:top]
    return {"evals": n_calls, "total_ms_per_eval": total, "top_own": by_own, "top_cum": by_cum}


def jax_stages(variant: str, case: str = "ref") -> dict:
    import jax
    import jax.numpy as jnp

    p = problem(variant, case, use_jax=True)
    ds, analysis, model = p.dataset, p.analysis, p.model
    grid, blurring, conv = ds.grids.lp, ds.grids.blurring, ds.convolver
    v = jnp.asarray(p.vector)
    unwrap = aa.structures.unwrap

    def tracer_of(vec):
        return analysis.tracer_from(model.instance_from_vector(vec, xp=jnp))

    def image(vec):
        return unwrap(tracer_of(vec).image_2d_from(grid, xp=jnp))

    def both(vec):
        tracer = tracer_of(vec)
        return (
            unwrap(tracer.image_2d_from(grid, xp=jnp)),
            unwrap(tracer.image_2d_from(blurring, xp=jnp)),
        )

    def convolved(vec):
        return conv.convolve_slim(*both(vec), xp=jnp)

    def log_l(vec):
        return analysis.log_likelihood_function(model.instance_from_vector(vec, xp=jnp))

    stages = {
        "image on mask grid": image,
        "+ image on blurring grid": both,
        "+ PSF convolution": convolved,
        "+ likelihood (= full log L)": log_l,
    }
    out = {}
    for name, fn in stages.items():
        jitted = jax.jit(fn)
        out[name] = _ms(lambda j=jitted: jax.block_until_ready(j(v)))
    img, blur = (np.asarray(a) for a in jax.jit(both)(v))
    img, blur = jnp.asarray(img), jnp.asarray(blur)
    for method in ("direct", "fft"):
        jitted = jax.jit(lambda a, b, m=method: conv.convolve_slim(a, b, xp=jnp, method=m))
        out[f"convolution alone ({method})"] = _ms(
            lambda j=jitted: jax.block_until_ready(j(img, blur))
        )
    return {"convolution_method_jax": conv.method_for(jnp), "ms": out}


def _cost_dict(compiled) -> dict:
    out = {}
    try:
        cost = compiled.cost_analysis()
        if isinstance(cost, list):
            cost = cost[0] if cost else {}
        for key in ("flops", "transcendentals", "bytes accessed", "optimal_seconds"):
            if cost and key in cost:
                out[key] = float(cost[key])
    except Exception as error:  # cost analysis is backend-dependent
        out["cost_error"] = repr(error)
    try:
        mem = compiled.memory_analysis()
        for key in (
            "temp_size_in_bytes",
            "argument_size_in_bytes",
            "output_size_in_bytes",
            "generated_code_size_in_bytes",
        ):
            if hasattr(mem, key):
                out[key] = int(getattr(mem, key))
    except Exception as error:
        out["memory_error"] = repr(error)
    return out


def jax_cost(variant: str, case: str = "ref") -> dict:
    import jax
    import jax.numpy as jnp

    p = problem(variant, case, use_jax=True)
    fitness = aa.Fitness(p.model, p.analysis, use_log_prior=False)
    v = jnp.asarray(p.vector)
    batch = jnp.tile(v, (64, 1))
    programs = {
        "jit": (jax.jit(fitness._jax_value), v),
        "vmap64": (jax.jit(jax.vmap(fitness._jax_value)), batch),
        "grad": (jax.jit(jax.value_and_grad(fitness._jax_value)), v),
    }
    return {name: _cost_dict(fn.lower(arg).compile()) for name, (fn, arg) in programs.items()}


def breakdown(variants: list[str], case: str = "ref") -> dict:
    out = {}
    for variant in variants:
        out[variant] = {
            "numpy_pieces": numpy_pieces(variant, case),
            "numpy_profile": numpy_profile(variant, case, n_calls=200 if variant == "ss1" else 50),
            "jax_stages": jax_stages(variant, case),
            "jax_cost": jax_cost(variant, case),
        }
    return out


def format_breakdown(report: dict) -> str:
    lines = []
    for variant, b in report.items():
        lines.append(f"== breakdown {variant}: NumPy pieces (ms)")
        for name, t in b["numpy_pieces"]["ms"].items():
            lines.append(f"  {name:42} {t['median']:9.3f}  [{t['lo']:.3f} - {t['hi']:.3f}]")
        lines.append(f"-- NumPy profile, top own time (ms/eval of {b['numpy_profile']['evals']})")
        for r in b["numpy_profile"]["top_own"][:10]:
            lines.append(f"  {r['own_ms']:8.3f} {r['cum_ms']:8.3f}  {r['function']}")
        lines.append(
            f"-- JAX jit stages (ms), convolution {b['jax_stages']['convolution_method_jax']}"
        )
        for name, t in b["jax_stages"]["ms"].items():
            lines.append(f"  {name:42} {t['median']:9.3f}  [{t['lo']:.3f} - {t['hi']:.3f}]")
        lines.append("-- XLA cost analysis")
        for name, c in b["jax_cost"].items():
            flops = c.get("flops", float("nan"))
            nbytes = c.get("bytes accessed", float("nan"))
            temp = c.get("temp_size_in_bytes", 0) / 2**20
            lines.append(
                f"  {name:8} {flops / 1e6:10.2f} MFLOP {nbytes / 2**20:10.2f} MiB accessed "
                f"{temp:8.2f} MiB temp"
            )
    return "\n".join(lines)
