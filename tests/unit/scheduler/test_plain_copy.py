"""The scheduler's copy of request specs and allocation requests."""

import collections
import datetime

from nova_core.scheduler import manager


def _shares_mutable(a, b):
    if isinstance(a, (dict, list, set, tuple)) and a is b and not (
            isinstance(a, tuple) and not a):
        return True
    if isinstance(a, dict):
        return any(_shares_mutable(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return any(_shares_mutable(x, y) for x, y in zip(a, b))
    return False


def test_a_copy_equals_and_shares_nothing_mutable():
    spec = {
        'flavor': {'vcpus': 1, 'memory_mb': 512, 'ratio': 1.5,
                   'extra_specs': {'trait:HW_CPU_X86_AVX': 'required'}},
        'image': {'properties': {'hw_machine_type': 'q35'}, 'min_disk': 0},
        'scheduler_hints': {'group': ['g1'], 'same_host': []},
        'ignore_hosts': None, 'force': False, 'num_instances': 2,
        # Not JSON-shaped: copied by copy.deepcopy.
        'when': datetime.datetime(2026, 11, 22), 'tags': {'a', 'b'},
        'pairs': (['x'], 1), 'ordered': collections.OrderedDict(a=[1]),
    }
    copied = manager._plain_copy(spec)
    assert copied == spec
    assert type(copied['ordered']) is collections.OrderedDict
    assert not _shares_mutable(copied, spec)
    copied['flavor']['extra_specs']['x'] = 'y'
    copied['scheduler_hints']['group'].append('g2')
    copied['pairs'][0].append('z')
    assert 'x' not in spec['flavor']['extra_specs']
    assert spec['scheduler_hints']['group'] == ['g1']
    assert spec['pairs'] == (['x'], 1)
