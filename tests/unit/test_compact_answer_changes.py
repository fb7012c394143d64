"""placement_client.answer: which providers of two compact answers differ,
found by halving, is what comparing every provider's figures finds."""

import array
import random

from nova_core.placement_client import answer


def _compact(uuids, triples):
    """A _Compact with only what changed_since reads: the uuids, the byte
    offsets of each provider's triples and the bytes of them all."""
    compact = answer._Compact.__new__(answer._Compact)
    compact.uuids = uuids
    flat = array.array('q', [v for figures in triples for v in figures])
    offsets, at = [0], 0
    for figures in triples:
        at += 8 * len(figures)
        offsets.append(at)
    compact.res_off = array.array('i', offsets)
    compact.res_bytes = flat.tobytes()
    return compact


def test_halving_finds_every_changed_provider():
    rnd = random.Random(2)
    for size in (1, 2, 3, 7, 100, 1000):
        uuids = ['%036d' % i for i in range(size)]
        triples = [[0, rnd.randint(1, 64), rnd.randint(0, 64)] * rnd.choice(
            [1, 2]) for _ in range(size)]
        before = _compact(uuids, triples)
        for changes in (0, 1, 2, 5, size):
            after_triples = [list(t) for t in triples]
            for k in rnd.sample(range(size), min(changes, size)):
                after_triples[k][2] += 1
            after = _compact(uuids, after_triples)
            after.res_off = before.res_off      # the same sizes: shared
            expected = [k for k in range(size)
                        if after_triples[k] != triples[k]]
            assert sorted(after.changed_since(before)) == expected


def test_other_providers_or_sizes_are_not_compared():
    before = _compact(['a' * 36], [[0, 1, 0]])
    other = _compact(['b' * 36], [[0, 1, 0]])
    assert other.changed_since(before) is None      # other uuids
    same_uuids = _compact(before.uuids, [[0, 1, 0, 1, 2, 0]])
    assert same_uuids.changed_since(before) is None  # other offsets
    assert before.changed_since(None) is None
