"""Scheduler inputs without a cloud: configurations, host states, specs.

For nova_core's own tests (``tests/scheduler_fixtures.py`` re-exports this
module) and for authors of filter and weigher plugins::

    from nova_core.testing import scheduler as sf

    conf = sf.make_conf(my_plugin.register_opts,
                        filter_scheduler__ram_weight_multiplier=-1.0,
                        my_group__my_option='value')
    hosts = [sf.host_state('h1', memory_mb=4096), sf.host_state('h2')]
    spec = sf.request_spec(memory_mb=2048, extra_specs={'capabilities:x': 'y'})
    assert MyFilter(conf).host_passes(hosts[0], spec)

    # What the scheduler would do with them, explanation records included:
    passed, records = sf.run_filters(conf, [MyFilter], hosts, spec)
    ranked = sf.weigh(conf, [MyWeigher], passed, spec)

    # The entry points of the installed distribution resolve:
    assert sf.load_filters(['MyFilter']) == [MyFilter]

``StubHostManager`` serves given host states to a ``SchedulerManager`` (no
cell database), and ``add_compute_node`` creates the matching provider in an
in-process placement (``nova_core.placement.direct.PlacementDirect``).
"""

import uuid as uuidlib

from oslo_config import cfg

from nova_core import conf as nova_conf
from nova_core import loading
from nova_core import rpc
from nova_core.scheduler import filters as filters_base
from nova_core.scheduler import host_state as host_state_mod
from nova_core.scheduler import weighers as weighers_base

CELL1 = '11111111-1111-1111-1111-111111111111'
CELL2 = '22222222-2222-2222-2222-222222222222'


def make_conf(*register, **overrides):
    """nova_core and oslo.messaging options (no database groups), with
    *overrides* ``group__option=value``.

    *register*: callables ``f(conf)`` registering more option groups (a
    plugin's ``register_opts``) before the overrides are applied, so that a
    plugin's own options can be overridden too.
    """
    conf = cfg.ConfigOpts()
    nova_conf.register_opts(conf, databases=False)
    rpc.register_opts(conf)
    for hook in register:
        hook(conf)
    conf([], project='nova_core', default_config_files=[])
    for key, value in overrides.items():
        group, _sep, name = key.rpartition('__')
        conf.set_override(name, value, group=group or None)
    return conf


def host_state(host='host1', node=None, uuid=None, cell_uuid=CELL1,
               vcpus=8, memory_mb=8192, disk_gb=100, vcpus_used=0,
               memory_mb_used=0, disk_gb_used=0, cpu_allocation_ratio=1.0,
               service_up=True, disabled=False, disabled_reason=None,
               hypervisor_type='fake', hypervisor_version=1000,
               supported_instances=(('x86_64', 'fake', 'hvm'),),
               stats=None, instances=(), **attributes):
    """A HostState as the host manager would build it.

    Any other attribute is set as given, e.g. ``aggregates=[{"name": "a",
    "hosts": ["h1"], "metadata": {"k": "v"}}]``, ``num_io_ops=3``,
    ``host_ip='10.0.0.5'``, ``metrics={'cpu.percent': 0.5}``.
    """
    state = host_state_mod.HostState(
        host, node or host, uuid or str(uuidlib.uuid4()), cell_uuid)
    state.update_from_compute_node({
        'host': host, 'hypervisor_hostname': node or host,
        'vcpus': vcpus, 'vcpus_used': vcpus_used,
        'memory_mb': memory_mb, 'memory_mb_used': memory_mb_used,
        'local_gb': disk_gb, 'local_gb_used': disk_gb_used,
        'cpu_allocation_ratio': cpu_allocation_ratio,
        'hypervisor_type': hypervisor_type,
        'hypervisor_version': hypervisor_version,
        'supported_instances': [list(s) for s in supported_instances],
        'stats': dict(stats or {}),
    })
    state.service_up = service_up
    state.service_disabled = disabled
    state.disabled_reason = disabled_reason
    state.instances = {uuid_: {'uuid': uuid_, 'host': host}
                       for uuid_ in instances}
    state.num_instances = len(state.instances)
    for name, value in attributes.items():
        setattr(state, name, value)
    return state


def aggregate(name, hosts=(), metadata=None, uuid=None):
    """A host aggregate as ``host_state.aggregates`` holds them."""
    return {'id': None, 'uuid': uuid or str(uuidlib.uuid4()), 'name': name,
            'hosts': list(hosts), 'metadata': dict(metadata or {})}


def instance_group(policy, members=(), hosts=(), rules=None):
    return {'uuid': str(uuidlib.uuid4()), 'name': 'group-' + policy,
            'policy': policy, 'rules': dict(rules or {}),
            'members': list(members), 'hosts': list(hosts)}


def request_spec(vcpus=1, memory_mb=512, root_gb=1, ephemeral_gb=0, swap=0,
                 extra_specs=None, image_properties=None,
                 instance_group=None, num_instances=1, **fields):
    """A request spec dict (SPEC.md "request_spec"); *fields* override."""
    spec = {
        'instance_uuid': str(uuidlib.uuid4()),
        'project_id': 'project', 'user_id': 'user',
        'flavor': {'id': 1, 'flavorid': 'f1', 'name': 'f1',
                   'memory_mb': memory_mb, 'vcpus': vcpus,
                   'root_gb': root_gb, 'ephemeral_gb': ephemeral_gb,
                   'swap': swap, 'rxtx_factor': 1.0, 'is_public': True,
                   'disabled': False, 'extra_specs': dict(extra_specs or {})},
        'image': {'id': str(uuidlib.uuid4()), 'name': 'image',
                  'properties': dict(image_properties or {})},
        'num_instances': num_instances, 'availability_zone': None,
        'scheduler_hints': {}, 'instance_group': instance_group,
        'ignore_hosts': [], 'force_hosts': [], 'force_nodes': [],
        'requested_destination': None, 'is_bfv': False,
        'request_level_params': {'root_required': [], 'root_forbidden': []},
    }
    spec.update(fields)
    return spec


def run_filters(conf, filter_classes, hosts, spec):
    """(hosts that pass, records) as the scheduler runs *filter_classes*:
    in order, each built with *conf*; a record is ``{"name", "hosts_in",
    "hosts_out", "removed": [{"host", "node", "reason"}]}``, the reason
    being the filter's ``why()`` (what NoValidHost explanations show)."""
    return filters_base.run_filters(
        [cls(conf) for cls in filter_classes], list(hosts), spec)


def weigh(conf, weigher_classes, hosts, spec):
    """[(host name, total weight)] best first, as the scheduler weighs
    *hosts* with *weigher_classes* (normalised, multiplied, summed)."""
    weighed = weighers_base.weigh_hosts(
        [cls(conf) for cls in weigher_classes], list(hosts), spec)
    return [(entry.obj.host, entry.weight) for entry in weighed]


def load_filters(names):
    """The filter classes installed under *names* (entry points of
    ``nova_core.scheduler.filters``), as a scheduler would load them;
    raises PluginLoadError as it would."""
    return loading.load_filters(names, filters_base.BaseHostFilter)


def load_weighers(names):
    """The weigher classes installed under *names* (``nova_core.scheduler.
    weighers``), as a scheduler would load them."""
    return loading.load_weighers(names, weighers_base.BaseHostWeigher)


class StubHostManager:
    """Serves fixed host states, refreshed from placement's summaries.

    What the real HostManager does minus the cell databases: the states
    whose uuid placement returned, with current capacity and usage.
    """

    def __init__(self, states):
        self.states = list(states)
        self.calls = 0

    def get_host_states(self, ctx, compute_uuids, spec,
                        provider_summaries=None, read_only=False):
        # The same states every time, read_only or not (as HostManager's
        # signature; the caller of a read_only request changes none).
        self.calls += 1
        wanted = set(compute_uuids)
        result = []
        for state in self.states:
            if state.uuid in wanted:
                summary = (provider_summaries or {}).get(state.uuid)
                if summary:
                    state.update_from_provider_summary(summary)
                result.append(state)
        return result

    def compute_node_uuid(self, ctx, host, node=None):
        for state in self.states:
            if state.host == host and node in (None, state.nodename):
                return state.uuid
        return None

    def refresh_cells(self):
        pass


def _check(resp):
    if resp.status_code != 200:
        raise AssertionError('placement answered %s: %s'
                             % (resp.status_code, resp.text))
    return resp


def add_compute_node(client, name, uuid=None, vcpus=8, memory_mb=8192,
                     disk_gb=100, cpu_ratio=1.0, traits=()):
    """A root provider with VCPU / MEMORY_MB / DISK_GB inventory; its uuid.

    *client* is a PlacementDirect.
    """
    uuid = uuid or str(uuidlib.uuid4())
    _check(client.post('/resource_providers', json={'name': name,
                                                    'uuid': uuid},
                       microversion='1.20'))
    resp = _check(client.put('/resource_providers/%s/inventories' % uuid,
                             json={
        'resource_provider_generation': 0,
        'inventories': {
            'VCPU': {'total': vcpus, 'allocation_ratio': cpu_ratio},
            'MEMORY_MB': {'total': memory_mb},
            'DISK_GB': {'total': disk_gb},
        }}))
    if traits:
        generation = resp.json()['resource_provider_generation']
        _check(client.put('/resource_providers/%s/traits' % uuid, json={
            'resource_provider_generation': generation,
            'traits': list(traits)}))
    return uuid
