"""Mini-batches and epochs: every example once per epoch, a new shuffle every epoch."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.sampler import BatchSchedule, gen_batches


@given(n=st.integers(1, 60), data=st.data(), seed=st.integers(0, 2**32), drop=st.booleans())
@settings(max_examples=150, deadline=None)
def test_each_epoch_is_a_partition(n, data, seed, drop):
    b = data.draw(st.integers(1, n))
    s = BatchSchedule(n, b, seed, drop)
    bpe = s.batches_per_epoch
    assert bpe == (n // b if drop else -(-n // b))
    for epoch in range(3):
        batches = [s.batch(epoch * bpe + k) for k in range(bpe)]
        seen = np.concatenate(batches)
        if drop:
            assert all(len(x) == b for x in batches)
            assert len(seen) == bpe * b
        else:
            assert sorted(seen.tolist()) == list(range(n))
            assert all(len(x) == b for x in batches[:-1])
        assert len(set(seen.tolist())) == len(seen)
        assert all(np.all(np.diff(x) > 0) for x in batches)


def test_lecture_example_n20():
    """N = 20: batch size 20 → 1 update per epoch; batch size 1 → 20 updates per epoch."""
    assert BatchSchedule(20, 20).batches_per_epoch == 1
    assert BatchSchedule(20, 5).batches_per_epoch == 4
    assert BatchSchedule(20, 1).batches_per_epoch == 20
    assert BatchSchedule(20, 6).batches_per_epoch == 4
    assert BatchSchedule(20, 6, drop_last=True).batches_per_epoch == 3
    assert [len(BatchSchedule(20, 6).batch(t)) for t in range(4)] == [6, 6, 6, 2]


def test_shuffled_differently_each_epoch_and_reproducible():
    s = BatchSchedule(20, 5, seed=3)
    e0 = [s.batch(t).tolist() for t in range(4)]
    e1 = [s.batch(t).tolist() for t in range(4, 8)]
    assert e0 != e1
    again = BatchSchedule(20, 5, seed=3)
    assert [again.batch(t).tolist() for t in range(8)] == e0 + e1
    other = BatchSchedule(20, 5, seed=4)
    assert [other.batch(t).tolist() for t in range(4)] != e0


def test_batch_of_any_update_without_history():
    """Update 10,000's batch is the same whether or not earlier ones were asked for."""
    a = BatchSchedule(20, 3, seed=7)
    b = BatchSchedule(20, 3, seed=7)
    for t in range(0, 10_001, 7):
        a.batch(t)
    assert a.batch(10_000).tolist() == b.batch(10_000).tolist()


@pytest.mark.parametrize(("n", "b", "drop"), [(20, 6, False), (20, 6, True), (7, 7, False),
                                               (20, 1, False), (13, 4, False)])
def test_index_block_matches_batch(n, b, drop):
    s = BatchSchedule(n, b, seed=11, drop_last=drop)
    idx, sizes = s.index_block(3, 40)
    for r, t in enumerate(range(3, 40)):
        assert idx[r, : sizes[r]].tolist() == s.batch(t).tolist()


def test_full_batch_is_all_examples_in_order():
    s = BatchSchedule(9, 9, seed=1)
    assert s.full_batch
    assert all(s.batch(t).tolist() == list(range(9)) for t in range(5))


@pytest.mark.parametrize(("n", "b"), [(0, 1), (5, 0), (5, 6)])
def test_invalid(n, b):
    with pytest.raises(ValueError, match=r"batch size|at least one"):
        BatchSchedule(n, b)


def test_gen_batches():
    assert gen_batches(7, 3) == [slice(0, 3), slice(3, 6), slice(6, 7)]
    assert gen_batches(7, 3, drop_last=True) == [slice(0, 3), slice(3, 6)]


def test_shuffle_tables_are_shared_read_only_and_bounded(monkeypatch):
    from collections import OrderedDict

    from core import sampler

    # a cache of its own: tables left by earlier tests (up to the real 16 MiB budget, e.g.
    # from the monkey test's windows) are no part of what this test counts
    monkeypatch.setattr(sampler, "_tables", OrderedDict())

    a = sampler.epoch_permutations(20, 7, 0)
    assert sampler.epoch_permutations(20, 7, 0) is a  # kept: re-simulating reuses it
    assert not a.flags.writeable
    with pytest.raises(ValueError):
        a[0, 0] = 1
    # the same numbers as a fresh generator would give
    rng = np.random.default_rng(np.random.SeedSequence(7, spawn_key=(0,)))
    np.testing.assert_array_equal(a, rng.permuted(np.tile(np.arange(20), (64, 1)), axis=1))
    # the cache stays within its byte budget, dropping the least recently used tables
    monkeypatch.setattr(sampler, "TABLE_CACHE_BYTES", 3 * a.nbytes)
    for seed in range(100, 110):
        sampler.epoch_permutations(20, seed, 0)
    assert sum(t.nbytes for t in sampler._tables.values()) <= 3 * a.nbytes
    assert sampler.epoch_permutations(20, 7, 0) is not a  # evicted, recomputed


def test_batches_per_epoch_is_the_number_of_slices():
    for n in range(1, 40):
        for b in range(1, n + 1):
            for drop in (False, True):
                s = BatchSchedule(n, b, 0, drop)
                assert s.batches_per_epoch == len(s.slices), (n, b, drop)
