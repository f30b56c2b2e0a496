"""numba compiles for its generic target, so two machines with other instruction sets find the same themes."""

import os
import subprocess
import sys

import numpy as np

from pipeline.portable import PORTABLE_CPU, cache_umap_kernels, numba_target, pin_numba_target


def test_teema_asks_numba_for_the_generic_target():
    environ = {"PATH": "/usr/bin"}
    assert pin_numba_target(environ, modules={})
    assert environ["NUMBA_CPU_NAME"] == PORTABLE_CPU and "NUMBA_CPU_FEATURES" not in environ


def test_a_target_the_user_chose_wins():
    environ = {"NUMBA_CPU_NAME": "znver2"}
    assert not pin_numba_target(environ, modules={})
    assert environ == {"NUMBA_CPU_NAME": "znver2"}
    features = {"NUMBA_CPU_FEATURES": "+avx2"}
    assert not pin_numba_target(features, modules={})
    assert features == {"NUMBA_CPU_FEATURES": "+avx2"}


def test_the_result_cache_keys_themes_by_the_target():
    assert numba_target({"NUMBA_CPU_NAME": "generic"}) == "generic"
    assert numba_target({"NUMBA_CPU_NAME": "haswell", "NUMBA_CPU_FEATURES": "+avx2"}) == "haswell (+avx2)"
    host = numba_target({})
    assert host.startswith("host:") and len(host) > len("host:")


def test_umap_is_compiled_for_the_generic_cpu_after_importing_teema():
    # A fresh interpreter, as a user's: numba reads its target once, when umap first imports it.
    env = {k: v for k, v in os.environ.items() if not k.startswith("NUMBA_CPU")}
    code = ("import pipeline, umap\n"
            "from numba.core.registry import cpu_target\n"
            "codegen = cpu_target.target_context.codegen()\n"
            "print(codegen._get_host_cpu_name(), repr(codegen._get_host_cpu_features()))\n")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["generic", "''"]


def test_a_program_that_imported_umap_first_is_told():
    env = {k: v for k, v in os.environ.items() if not k.startswith("NUMBA_CPU")}
    out = subprocess.run([sys.executable, "-W", "always", "-c", "import umap, pipeline"], env=env,
                         capture_output=True, text=True, check=True)
    assert "pynndescent and umap imported before teema" in out.stderr and "import teema first" in out.stderr


_REDUCE = ("import sys, numpy as np, pipeline\n"
           "from pipeline.themes import reduce\n"
           "points = np.random.default_rng(0).normal(size=(240, 16)).astype(np.float32)\n"
           "np.save(sys.argv[1], reduce(points, 5, 15, 0))\n")


def test_umap_kernels_are_kept_on_disk_and_a_later_process_finds_the_same_places(tmp_path):
    # umap does not keep its compiled kernels (about 11 s of every run on two cores); teema asks numba to.
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("NUMBA_CPU")},
           "NUMBA_CACHE_DIR": str(tmp_path / "numba")}
    first, second = tmp_path / "first.npy", tmp_path / "second.npy"
    subprocess.run([sys.executable, "-c", _REDUCE, str(first)], env=env, check=True, capture_output=True)
    kept = sorted(p.name for p in (tmp_path / "numba").rglob("*.nbi"))
    assert any(name.startswith(("umap_.", "layouts.")) for name in kept), kept
    subprocess.run([sys.executable, "-c", _REDUCE, str(second)], env=env, check=True, capture_output=True)
    assert np.array_equal(np.load(first), np.load(second))


def test_caching_umap_kernels_twice_changes_nothing():
    import umap  # noqa: F401  (the modules whose kernels are cached)

    cache_umap_kernels()
    assert cache_umap_kernels() == 0


def test_models_warm_compiles_umaps_kernels_for_the_first_study(tmp_path):
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("NUMBA_CPU")},
           "NUMBA_CACHE_DIR": str(tmp_path / "numba")}
    code = "import pipeline\nfrom pipeline.themes import warm_kernels\nwarm_kernels()\n"
    subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True)
    assert any(p.name.startswith("umap_.") for p in (tmp_path / "numba").rglob("*.nbi"))


def test_where_numba_may_write_nowhere_the_kernels_are_compiled_as_before(monkeypatch):
    import umap  # noqa: F401
    from numba.core.caching import NullCache
    from numba.core.registry import CPUDispatcher

    def nowhere(self):
        raise RuntimeError("cannot cache function: no locator available")

    monkeypatch.setattr(CPUDispatcher, "enable_caching", nowhere)
    kernel = CPUDispatcher.__new__(CPUDispatcher)  # an uncached kernel, as umap's are
    kernel._cache = NullCache()
    module = type("FakeUmapModule", (), {"kernel": kernel})
    assert cache_umap_kernels({"umap.fake": module}) == 0  # no error: teema compiles them per process
