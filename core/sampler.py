"""Mini-batches and epochs.

The N examples are shuffled before every epoch and split into batches of size B; one epoch is
every batch once (the lecture's "common scheme"). With ``drop_last`` a smaller final batch is
dropped, as in ``torch.utils.data.DataLoader``. The permutation of epoch e comes from an explicit
``np.random.Generator`` seeded by ``(seed, e)``, so the batch of any update t can be recomputed on
its own: a run of a million updates stores no batch indices at all.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

#: Epochs shuffled per generator: epochs 64j .. 64j+63 come from one generator seeded (seed, j).
EPOCHS_PER_DRAW = 64


#: Bytes of shuffle tables kept for reuse (every re-simulation of a run needs its tables again).
TABLE_CACHE_BYTES = 16 * 2**20
_tables: OrderedDict[tuple[int, int, int], np.ndarray] = OrderedDict()
_tables_lock = threading.Lock()


def epoch_permutations(n: int, seed: int, block: int) -> np.ndarray:
    """Shuffled orders of epochs ``64·block .. 64·block+63``: shape (64, n), read-only.

    One ``np.random.Generator`` seeded by ``SeedSequence(seed, spawn_key=(block,))`` shuffles
    each row of a (64, n) table of ``arange(n)`` independently (``Generator.permuted``).
    Tables are a pure function of (n, seed, block): the most recently used ones (up to
    :data:`TABLE_CACHE_BYTES`) are kept and shared, also between threads.
    """
    key = (int(n), int(seed), int(block))
    with _tables_lock:
        table = _tables.get(key)
        if table is not None:
            _tables.move_to_end(key)
            return table
    rng = np.random.default_rng(np.random.SeedSequence(key[1], spawn_key=(key[2],)))
    table = rng.permuted(np.tile(np.arange(key[0]), (EPOCHS_PER_DRAW, 1)), axis=1)
    table.flags.writeable = False
    with _tables_lock:
        _tables[key] = table
        total = sum(t.nbytes for t in _tables.values())
        while total > TABLE_CACHE_BYTES and len(_tables) > 1:
            _, old = _tables.popitem(last=False)
            total -= old.nbytes
    return table


def gen_batches(n: int, batch_size: int, drop_last: bool = False) -> list[slice]:
    """Slices ``[0:B], [B:2B], ...`` covering ``range(n)`` (like sklearn's ``gen_batches``)."""
    stop = n - n % batch_size if drop_last else n
    return [slice(s, min(s + batch_size, n)) for s in range(0, stop, batch_size)]


@dataclass(frozen=True)
class BatchSchedule:
    """Which examples each update uses.

    Update t (0-based) belongs to epoch ``t // batches_per_epoch`` and is batch
    ``t % batches_per_epoch`` of that epoch. A batch's indices are returned sorted, so its mean
    loss and gradient are summed in a fixed order.
    """

    n: int
    batch_size: int
    seed: int = 0
    drop_last: bool = False

    def __post_init__(self) -> None:
        if self.n < 1:
            raise ValueError(f"the data set needs at least one example (got N = {self.n})")
        if not 1 <= self.batch_size <= self.n:
            raise ValueError(f"batch size must be in 1..{self.n} (got {self.batch_size})")

    @property
    def slices(self) -> list[slice]:
        return gen_batches(self.n, self.batch_size, self.drop_last)

    @property
    def batches_per_epoch(self) -> int:
        """Updates per epoch: ⌈N / B⌉, or ⌊N / B⌋ with ``drop_last`` (= ``len(slices)``, without
        building them: an ensemble asks it for every run)."""
        n, b = self.n, self.batch_size
        return n // b if self.drop_last else -(-n // b)

    @property
    def full_batch(self) -> bool:
        """True when every update sees all N examples (batch size N): no shuffling matters."""
        return self.batch_size == self.n

    def permutations(self, first: int, last: int) -> np.ndarray:
        """Shuffled orders of epochs ``first .. last-1``: shape (last − first, N)."""
        blocks = range(first // EPOCHS_PER_DRAW, (last - 1) // EPOCHS_PER_DRAW + 1)
        tables = [epoch_permutations(self.n, self.seed, b) for b in blocks]
        offset = blocks[0] * EPOCHS_PER_DRAW
        return np.concatenate(tables)[first - offset : last - offset]

    def permutation(self, epoch: int) -> np.ndarray:
        """The shuffled order of the N examples in ``epoch``."""
        return self.permutations(epoch, epoch + 1)[0]

    def batch(self, t: int) -> np.ndarray:
        """Sorted example indices of update t's batch."""
        if t < 0:
            raise IndexError(f"update index must be ≥ 0 (got {t})")
        if self.full_batch:
            return np.arange(self.n)
        epoch, b = divmod(int(t), self.batches_per_epoch)
        return np.sort(self.permutation(epoch)[self.slices[b]])

    def index_block(self, start: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
        """Batches of updates ``start..stop-1`` as indices ``(T, B)`` and sizes ``(T,)``.

        Row r holds the sorted batch of update ``start + r`` in its first ``sizes[r]`` entries;
        the rest (only in an epoch's smaller last batch) repeat its first index and must be
        ignored by the caller. Vectorized over epochs: one sort call for the whole block.
        """
        count = stop - start
        n, width = self.n, self.batch_size
        if self.full_batch:
            return np.tile(np.arange(n), (count, 1)), np.full(count, n, dtype=np.intp)
        bpe = self.batches_per_epoch
        e0, e1 = start // bpe, (stop - 1) // bpe + 1
        perms = self.permutations(e0, e1)  # (E, N)
        n_full = n // width
        used = min(bpe, n_full)
        rows = np.empty((e1 - e0, bpe, width), dtype=np.intp)
        sizes = np.full(bpe, width, dtype=np.intp)
        rows[:, :used] = np.sort(perms[:, : used * width].reshape(e1 - e0, used, width), axis=-1)
        if bpe > n_full:  # the smaller last batch of each epoch
            rest = np.sort(perms[:, n_full * width :], axis=-1)
            k = rest.shape[1]
            rows[:, -1, :k] = rest
            rows[:, -1, k:] = rest[:, :1]
            sizes[-1] = k
        flat = rows.reshape(-1, width)
        lo = start - e0 * bpe
        return flat[lo : lo + count], np.tile(sizes, e1 - e0)[lo : lo + count]
