"""Every limit of the inputs in one place (no NumPy, no Qt), so ``--help`` can state them.

Files and commands beyond a limit are refused with one line naming it (exit code 2).
"""

from __future__ import annotations

#: Scenario files: bytes (checked before reading), nesting of arrays/inline tables and parts
#: of a dotted key, runs, updates per run, examples N.
MAX_FILE_BYTES = 1_000_000
MAX_NESTING = 32
MAX_RUNS = 64
MAX_STEPS = 1_000_000
MAX_EXAMPLES = 100_000
#: Updates of all runs of one scenario together. The record of an update (θ, L, g, L_b, epoch)
#: takes 56 bytes and simulating it about 100 at the peak (measured: 64 runs × 10⁵ updates,
#: 0.70 GB peak resident memory): 10⁷ updates stay near 1 GB, where 64 runs × 10⁶ would have
#: needed about 6.4 GB. Refused before anything is allocated.
MAX_TOTAL_STEPS = 10_000_000

#: ``run --json/--csv``: example indices of every update's batch in one output (about 7 bytes
#: each in JSON; ``--no-batches`` leaves them out).
MAX_BATCH_INDICES = 1_000_000_000

#: ``study``: seeds per batch size, and runs in all (batch sizes × seeds).
MAX_SEEDS = 10_000
MAX_STUDY_RUNS = 200_000

#: ``export``: frames, side of a frame in pixels, frames per second (GIF: delays are 1/100 s).
MAX_FRAMES = 20_000
MIN_SIDE = 64
MAX_SIDE = 4096
MAX_FPS = 120.0
GIF_MAX_FPS = 50.0
#: ``export`` on the command line: frames × width × height at most (about 600 frames of
#: 4096×4096, or 20,000 of 800×600).
MAX_EXPORT_PIXELS = 10_000_000_000
