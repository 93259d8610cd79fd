"""One thread for the native maths libraries: call before numpy or torch is imported.

Every array here is small. Extra BLAS/OpenMP threads buy nothing on them, and on a two-core
laptop they spin against the fit process and the window, slowing both.
"""

import os

VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def limit_native_threads() -> None:
    """Ask the native libraries for one thread each, unless the user chose otherwise; the fit
    process inherits the setting."""
    for name in VARIABLES:
        os.environ.setdefault(name, "1")
