"""Random provider forests and allocation-candidate queries for
placement_candidates_diff.py (two profiles: any shape, and nova-like)."""

import uuid as uuidlib

CLASSES = ['VCPU', 'MEMORY_MB', 'DISK_GB', 'SRIOV_NET_VF', 'CUSTOM_MAGIC']
TRAITS = ['HW_CPU_X86_AVX', 'HW_CPU_X86_SSE', 'HW_NUMA_ROOT',
          'STORAGE_DISK_SSD', 'CUSTOM_FOO', 'CUSTOM_BAR']
SHARING = 'MISC_SHARES_VIA_AGGREGATE'
VERSIONS = ['1.10', '1.12', '1.16', '1.17', '1.21', '1.22', '1.24', '1.25',
            '1.26', '1.27', '1.28', '1.29', '1.31', '1.32', '1.33', '1.34',
            '1.35', '1.36', '1.37', '1.38', '1.39']
UNKNOWN = '00000000-0000-0000-0000-00000000dead'
AGGREGATES = ['aaaaaaaa-0000-0000-0000-00000000000%d' % i for i in range(1, 4)]


# -- random forests -------------------------------------------------------------

def random_forest(rng):
    """A list of provider dicts (parents before children)."""
    providers = []

    def add(parent=None, sharing=False):
        provider = {'uuid': str(uuidlib.UUID(int=rng.getrandbits(128))),
                    'parent': parent, 'inventories': {}, 'traits': set(),
                    'aggregates': set()}
        provider['name'] = 'rp-' + provider['uuid'][:13]
        for rc in rng.sample(CLASSES, rng.randint(0, 3)):
            total = rng.randint(1, 8)
            max_unit = rng.randint(1, total)
            provider['inventories'][rc] = {
                'total': total, 'reserved': rng.choice([0, 0, 0, 1]),
                'min_unit': rng.choice([1, 1, 1, 2]), 'max_unit': max_unit,
                'step_size': rng.choice([1, 1, 1, 2]),
                'allocation_ratio': rng.choice([1.0, 1.0, 1.5, 2.0])}
            inv = provider['inventories'][rc]
            inv['min_unit'] = min(inv['min_unit'], max_unit)
            inv['reserved'] = min(inv['reserved'], total - 1)
        provider['traits'] = set(rng.sample(TRAITS, rng.randint(0, 2)))
        if sharing:
            provider['traits'].add(SHARING)
        provider['aggregates'] = set(rng.sample(AGGREGATES, rng.randint(0, 2)))
        providers.append(provider)
        return provider['uuid']

    def grow(parent, depth):
        for _ in range(rng.randint(0, 3 if depth < 2 else 1)):
            child = add(parent, sharing=rng.random() < 0.03)
            if depth < 3:
                grow(child, depth + 1)

    for _ in range(rng.randint(1, 5)):
        root = add()
        if rng.random() < 0.7:
            grow(root, 1)
    for _ in range(rng.randint(0, 2)):
        add(sharing=True)
    return providers


def random_allocations(rng, providers):
    """Some consumers, each using the smallest allowed unit of one class."""
    allocations = {}
    for p in providers:
        for rc, inv in p['inventories'].items():
            if rng.random() < 0.3:
                amount = inv.get('min_unit', 1)
                usable = (inv['total'] - inv.get('reserved', 0)) * inv.get(
                    'allocation_ratio', 1.0)
                if amount % inv.get('step_size', 1) == 0 and amount <= usable:
                    allocations[str(uuidlib.UUID(int=rng.getrandbits(128)))] = {
                        p['uuid']: {rc: amount}}
    return allocations


# -- random queries ----------------------------------------------------------------

def _at_least(version, wanted):
    return tuple(map(int, version.split('.'))) >= wanted


def _traits_value(rng, version, group_has_any):
    parts = []
    for trait in rng.sample(TRAITS + [SHARING], rng.randint(1, 2)):
        if _at_least(version, (1, 22)) and rng.random() < 0.3:
            trait = '!' + trait
        parts.append(trait)
    if rng.random() < 0.02:
        parts.append('CUSTOM_NOPE')
    if group_has_any and rng.random() < 0.3:
        return 'in:' + ','.join(rng.sample(TRAITS, 2))
    return ','.join(parts)


def _member_of_value(rng, version):
    aggs = rng.sample(AGGREGATES + [UNKNOWN], rng.randint(1, 2))
    forbid = _at_least(version, (1, 32)) and rng.random() < 0.3
    if len(aggs) == 1:
        return ('!' if forbid else '') + aggs[0]
    return ('!in:' if forbid else 'in:') + ','.join(aggs)


def _group_params(rng, version, providers, suffix, resourceless=False):
    params = []
    if not resourceless:
        res = ','.join('%s:%d' % (rc, rng.choice([1, 1, 1, 2, 3]))
                       for rc in rng.sample(CLASSES, rng.randint(1, 3)))
        params.append(('resources' + suffix, res))
    any_ok = _at_least(version, (1, 39))
    if _at_least(version, (1, 17)) and (resourceless or rng.random() < 0.35):
        for _ in range(2 if any_ok and rng.random() < 0.3 else 1):
            params.append(('required' + suffix,
                           _traits_value(rng, version, any_ok)))
    if _at_least(version, (1, 21)) and (resourceless and not params
                                        or rng.random() < 0.25):
        repeat = 2 if _at_least(version, (1, 24)) and rng.random() < 0.3 else 1
        for _ in range(repeat):
            params.append(('member_of' + suffix, _member_of_value(rng, version)))
    if _at_least(version, (1, 31)) and rng.random() < 0.15:
        choice = rng.choice(providers)['uuid'] if rng.random() < 0.9 else UNKNOWN
        params.append(('in_tree' + suffix, choice))
    return params


def random_query(rng, version, providers):
    params = []
    if rng.random() < 0.85 or not _at_least(version, (1, 25)):
        params += _group_params(rng, version, providers, '')
    suffixes = []
    if _at_least(version, (1, 25)):
        for n in range(rng.choice([0, 0, 1, 1, 2, 2, 3])):
            if _at_least(version, (1, 33)) and rng.random() < 0.4:
                suffix = rng.choice(['_NET', '_GPU', 'A', 'b-1', '_X'])
            else:
                suffix = str(n + 1)
            if suffix in suffixes:
                continue
            suffixes.append(suffix)
            resourceless = _at_least(version, (1, 36)) and rng.random() < 0.25
            params += _group_params(rng, version, providers, suffix,
                                    resourceless)
        if len(suffixes) > 1 or rng.random() < 0.2:
            params.append(('group_policy', rng.choice(['none', 'isolate'])))
    if _at_least(version, (1, 36)) and len(suffixes) > 1 and rng.random() < 0.6:
        params.append(('same_subtree', ','.join(
            rng.sample(suffixes, rng.randint(2, len(suffixes))))))
    elif _at_least(version, (1, 36)) and suffixes and rng.random() < 0.1:
        params.append(('same_subtree', suffixes[0]))
    if _at_least(version, (1, 35)) and rng.random() < 0.2:
        params.append(('root_required', _traits_value(rng, '1.22', False)))
    if _at_least(version, (1, 16)) and rng.random() < 0.1:
        params.append(('limit', str(rng.randint(1, 3))))
    rng.shuffle(params)
    return '/allocation_candidates?' + '&'.join(
        '%s=%s' % (k, v) for k, v in params)




# -- nova-like profile -----------------------------------------------------------

NOVA_TRAITS = ['HW_CPU_X86_AVX2', 'COMPUTE_VOLUME_MULTI_ATTACH',
               'CUSTOM_PHYSNET_A', 'CUSTOM_PHYSNET_B',
               'CUSTOM_VNIC_TYPE_DIRECT', 'STORAGE_DISK_SSD']
BW = 'NET_BW_EGR_KILOBIT_PER_SEC'


def _uuid(rng):
    return str(uuidlib.UUID(int=rng.getrandbits(128)))


def _nova_provider(rng, providers, parent, inventories, traits, aggregates):
    uuid = _uuid(rng)
    providers.append({'uuid': uuid, 'name': 'n-' + uuid[:13],
                      'parent': parent, 'inventories': inventories,
                      'traits': set(traits), 'aggregates': set(aggregates)})
    return uuid


def nova_forest(rng):
    """Compute nodes (some with NUMA nodes and PFs) and shared disks."""
    providers = []
    for _ in range(rng.randint(2, 6)):
        root_inv = {}
        if rng.random() < 0.6:
            root_inv['DISK_GB'] = {'total': rng.choice([50, 100]),
                                   'reserved': rng.choice([0, 10])}
        numa = rng.random() < 0.6
        if not numa:
            root_inv['VCPU'] = {'total': rng.choice([4, 8]),
                                'allocation_ratio': 4.0}
            root_inv['MEMORY_MB'] = {'total': 8192, 'max_unit': 4096}
        root = _nova_provider(
            rng, providers, None, root_inv,
            rng.sample(NOVA_TRAITS[:2], rng.randint(0, 2)),
            rng.sample(AGGREGATES, rng.randint(0, 2)))
        for _node in range(rng.randint(1, 2) if numa else 0):
            node = _nova_provider(rng, providers, root, {
                'VCPU': {'total': rng.choice([2, 4])},
                'MEMORY_MB': {'total': 4096}}, ['HW_NUMA_ROOT'], [])
            for _pf in range(rng.randint(0, 2)):
                _nova_provider(rng, providers, node, {
                    'SRIOV_NET_VF': {'total': rng.choice([1, 4])},
                    BW: {'total': 10000}}, [
                        rng.choice(NOVA_TRAITS[2:4]),
                        'CUSTOM_VNIC_TYPE_DIRECT'], [])
    for _ in range(rng.randint(0, 2)):
        _nova_provider(rng, providers, None, {'DISK_GB': {'total': 1000}},
                       [SHARING] + rng.sample(['STORAGE_DISK_SSD'],
                                              rng.randint(0, 1)),
                       rng.sample(AGGREGATES, rng.randint(1, 2)))
    return providers


def _nova_port(rng, suffix):
    params = [('resources' + suffix, '%s:%d,SRIOV_NET_VF:1' % (
        BW, rng.choice([1000, 6000])))]
    params.append(('required' + suffix, rng.choice(NOVA_TRAITS[2:4])))
    return params


def nova_query(rng, version, providers):
    """What nova asks: flavor in the unsuffixed group, ports and NUMA
    cells in granular groups, same_subtree between them."""
    if not _at_least(version, (1, 36)):
        version = '1.36'
    params = [('resources', 'DISK_GB:%d' % rng.choice([10, 60]))]
    numa_cells = rng.choice([0, 0, 1, 2])
    if numa_cells == 0:
        params[0] = ('resources', params[0][1] + ',VCPU:2,MEMORY_MB:2048')
    suffixes = []
    for cell in range(numa_cells):
        suffix = '_NUMA%d' % cell
        suffixes.append(suffix)
        params.append(('resources' + suffix, 'VCPU:%d,MEMORY_MB:1024'
                       % rng.choice([1, 2])))
        params.append(('required' + suffix, 'HW_NUMA_ROOT'))
    for port in range(rng.choice([0, 1, 1, 2])):
        suffix = '_PORT%d' % port
        params += _nova_port(rng, suffix)
        if suffixes and rng.random() < 0.6:
            params.append(('same_subtree', '%s,%s' % (
                rng.choice(suffixes[:numa_cells] or [suffix]), suffix)))
        suffixes.append(suffix)
    if suffixes and rng.random() < 0.2:
        params.append(('required_ANY', 'HW_NUMA_ROOT'))
        params.append(('same_subtree', '_ANY,%s' % rng.choice(suffixes)))
    if len(suffixes) > 1 or rng.random() < 0.3:
        params.append(('group_policy', rng.choice(['none', 'isolate'])))
    if rng.random() < 0.3:
        params.append(('required', rng.choice(
            ['HW_CPU_X86_AVX2', '!COMPUTE_VOLUME_MULTI_ATTACH',
             'in:HW_CPU_X86_AVX2,STORAGE_DISK_SSD'])))
    if rng.random() < 0.2:
        params.append(('root_required', rng.choice(NOVA_TRAITS[:2])))
    if rng.random() < 0.2:
        params.append(('member_of', _member_of_value(rng, version)))
    if rng.random() < 0.1:
        params.append(('limit', str(rng.randint(1, 3))))
    rng.shuffle(params)
    return version, '/allocation_candidates?' + '&'.join(
        '%s=%s' % (k, v) for k, v in params)


def generic_query(rng, version, providers):
    return version, random_query(rng, version, providers)


FORESTS = {'generic': random_forest, 'nova': nova_forest}
QUERIES = {'generic': generic_query, 'nova': nova_query}
