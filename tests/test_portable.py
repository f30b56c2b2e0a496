"""numba compiles for its generic target, so two machines with other instruction sets find the same themes."""

import os
import subprocess
import sys

from pipeline.portable import PORTABLE_CPU, numba_target, pin_numba_target


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
