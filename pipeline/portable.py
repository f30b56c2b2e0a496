"""The same themes on every x86-64 machine: numba compiles UMAP's code for a generic CPU, not the host's.

numba compiles UMAP's and pynndescent's loops for the CPU it runs on, with fast-math: an AVX-512 machine and an
AVX2 one add the same floats in another order and fuse other multiply-adds, and UMAP and HDBSCAN turn those last
bits into other themes (the bundled sample gave 14 / 13 / 13 themes on seeds 0-2 on an AVX2 machine, 12 / 15 / 13
on an AVX-512 one). Compiled for numba's `generic` target (baseline x86-64, no host features) every machine runs
the same instructions; on the sample the whole run took the same time (56.1 s against 56.9 s) and repeats
exactly. docs/themes.md, "The same sample on another CPU".

numba reads its target when it is imported, so this runs when teema is (pipeline/__init__.py), before anything
imports umap (a program that imported umap first is warned: numba has compiled for the host by then). A target
the user sets (NUMBA_CPU_NAME, NUMBA_CPU_FEATURES) wins.

numba also compiled UMAP's kernels again in every process: umap (unlike pynndescent) does not ask numba to keep
the machine code on disk, and compiling them took about 11 s of every `teema themes` on a 2-core machine, as long
as the sample's whole clustering. `cache_umap_kernels` asks numba to keep them (in umap's `__pycache__`, or
NUMBA_CACHE_DIR), keyed by the source, the signature and the target above: a later process loads the same machine
code and finds the same themes, bit for bit (tests/test_portable.py).
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Mapping, MutableMapping

PORTABLE_CPU = "generic"


def pin_numba_target(environ: MutableMapping[str, str] = os.environ,
                     modules: Mapping[str, object] = sys.modules) -> bool:
    """Ask numba for its generic target unless the user chose one; True when teema's choice is in effect (or will
    be, when numba is imported later). `modules`: what the process has imported (sys.modules)."""
    if "NUMBA_CPU_NAME" in environ or "NUMBA_CPU_FEATURES" in environ:
        return environ.get("NUMBA_CPU_NAME") == PORTABLE_CPU and not environ.get("NUMBA_CPU_FEATURES")
    environ["NUMBA_CPU_NAME"] = PORTABLE_CPU  # numba then reads no host features either
    config = modules.get("numba.core.config")
    if config is not None:  # imported before teema: effective for code numba has not compiled yet
        config.CPU_NAME, config.CPU_FEATURES = PORTABLE_CPU, ""
    compiled = sorted(name for name in ("umap", "pynndescent") if name in modules)
    if compiled:  # they compile at import, for the host: numba keeps that target for the process
        warnings.warn(f"{' and '.join(compiled)} imported before teema: numba compiles for this CPU, so the themes "
                      "may differ from another machine's; import teema first (pipeline/portable.py)", stacklevel=2)
        return False
    return True


def keep_compiled(kernel) -> bool:
    """Ask numba to keep a kernel's machine code on disk; False where numba may write no cache folder (the kernel is
    then compiled in every process, as before)."""
    try:
        kernel.enable_caching()
    except RuntimeError:
        return False
    return True


def cache_umap_kernels(modules: Mapping[str, object] = sys.modules) -> int:
    """Keep the machine code of every numba kernel of the imported umap modules on disk, as pynndescent does; the
    number of kernels newly cached. Call it after importing umap and before its first fit."""
    from numba.core.caching import NullCache
    from numba.core.registry import CPUDispatcher

    cached = 0
    for name in sorted(name for name in modules if name == "umap" or name.startswith("umap.")):
        for kernel in vars(modules[name]).values():
            if isinstance(kernel, CPUDispatcher) and isinstance(kernel._cache, NullCache):
                if not keep_compiled(kernel):  # no folder numba may write: none of the others can be kept either
                    return cached
                cached += 1
    return cached


def numba_target(environ: Mapping[str, str] = os.environ) -> str:
    """The CPU numba compiles for, as the themes' result cache keys it: a result computed for another target is
    other themes."""
    name, features = environ.get("NUMBA_CPU_NAME"), environ.get("NUMBA_CPU_FEATURES")
    if name is None:
        from llvmlite import binding

        name = f"host:{binding.get_host_cpu_name()}"
    return f"{name} ({features})" if features else name
