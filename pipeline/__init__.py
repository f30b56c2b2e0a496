"""teema: code customer-experience research material into journey-stage themes and ranked issues."""

from pipeline.portable import pin_numba_target

__version__ = "0.1.0"

pin_numba_target()  # before anything imports umap: the same themes on every x86-64 CPU (pipeline/portable.py)
