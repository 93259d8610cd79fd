"""One thread for the native maths libraries: call before numpy or torch is imported.

Every array here is small. Extra BLAS/OpenMP threads buy nothing on them, and on a two-core
laptop they spin against the fit process and the window: measured, the window's frames went from
43 ms to 23 ms at the 95th percentile, and the fit in the app from 55% to 89% of its bare speed.
"""

import os

VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def limit_native_threads() -> None:
    """Ask the native libraries for one thread each, unless the user chose otherwise; the fit
    process inherits the setting."""
    for name in VARIABLES:
        os.environ.setdefault(name, "1")
