"""The compute's late server group check, through the real object proxy.

A cell database and an API database on SQLite, the conductor's object
actions dispatched straight into ``object_api`` (as test_object_proxy
does): members of a group that reach a host the policy forbids are handed
back for a reschedule, or fail when no alternate is left; racing builds of
one host are judged one after the other.
"""

import pytest

from nova_core.compute import manager as compute_manager
from nova_core.compute import states
from nova_core.conductor import object_api
from nova_core.db import engine
from nova_core.db import instance as db_instance
from nova_core.db import instance_fault as db_instance_fault
from nova_core.db import migration
from nova_core.db import server_group as db_server_group
from nova_core import exception
from nova_core import placement_client
from nova_core.virt import fake
from tests.functional.compute import test_object_proxy
from tests.unit.compute import fixtures

ALTERNATE = {'service_host': 'host2', 'nodename': 'host2',
             'allocation_request': {'allocations': {}}}


class ProxyConductor:
    """ConductorAPI's surface: object actions on a cell and an API
    database, reschedules recorded."""

    def __init__(self, cell, api):
        self.cell = cell
        self.api = api
        self.reschedules = []

    def object_action(self, ctx, objname, method, **kwargs):
        return object_api.dispatch(ctx, self.cell, objname, method, kwargs,
                                   caller_host='host1',
                                   api_database=self.api)

    def build_instances(self, ctx, instance, request_spec, host_list,
                        reason=None):
        self.reschedules.append((instance['uuid'], host_list, reason))


@pytest.fixture
def databases(tmp_path):
    cell = engine.Database.for_url('sqlite:///%s' % (tmp_path / 'cell.db'))
    api = engine.Database.for_url('sqlite:///%s' % (tmp_path / 'api.db'))
    migration.sync(cell, 'main')
    migration.sync(api, 'api')
    yield cell, api
    cell.dispose()
    api.dispose()


def _manager(databases, placement, **overrides):
    conf = fixtures.make_conf(**overrides)
    conductor = ProxyConductor(*databases)
    mgr = compute_manager.ComputeManager(
        conf, 'host1', fake.FakeDriver(conf, 'host1'), conductor,
        placement_client.from_direct(placement))
    mgr.init_host(fixtures.make_context())
    return mgr, conductor


def _instance(cell, ctx, **values):
    return test_object_proxy._instance(cell, ctx, **values)


def _group(api, ctx, policy, members, rules=None):
    with api.writer(ctx) as conn:
        group = db_server_group.create(conn, 'g', 'p', 'u', policy,
                                       rules=rules,
                                       members=[m['uuid'] for m in members])
    # What the API puts in the request spec: the members at the time.
    return {'uuid': group['uuid'], 'policy': policy, 'rules': rules or {},
            'members': [], 'hosts': []}


def _state(cell, ctx, uuid):
    with cell.reader(ctx) as conn:
        return db_instance.get_by_uuid(conn, uuid)['vm_state']


def _second_anti_affinity_member(databases, placement, **overrides):
    """Build a member of an anti-affinity group on host1, which holds an
    ACTIVE one already; (the manager's conductor, first, second)."""
    cell, api = databases
    mgr, conductor = _manager(databases, placement, **overrides)
    ctx = fixtures.make_context()
    first = _instance(cell, ctx, vm_state='active', task_state=None)
    second = _instance(cell, ctx)
    spec = {'instance_group': _group(api, ctx, 'anti-affinity',
                                     [first, second])}
    mgr.build_and_run_instance(ctx, second, spec, [ALTERNATE], node='host1')
    assert mgr.wait_for_builds(10)
    return conductor, first, second


def test_anti_affinity_member_goes_back_to_an_alternate(databases,
                                                        placement):
    conductor, first, second = _second_anti_affinity_member(databases,
                                                            placement)
    [(uuid, alternates, reason)] = conductor.reschedules
    assert uuid == second['uuid'] and alternates == [ALTERNATE]
    assert 'anti-affinity' in reason and first['uuid'] in reason
    assert 'max_server_per_host is 1' in reason


def test_no_alternate_left_ends_in_error_with_the_reason(databases,
                                                         placement):
    cell, api = databases
    mgr, conductor = _manager(databases, placement)
    ctx = fixtures.make_context()
    # Its member elsewhere: an affinity group lives on host2.
    there = _instance(cell, ctx, host='host2', node='host2',
                      vm_state='active', task_state=None)
    here = _instance(cell, ctx)
    spec = {'instance_group': _group(api, ctx, 'affinity', [there, here])}
    mgr.build_and_run_instance(ctx, here, spec, [], node='host1')
    assert mgr.wait_for_builds(10)
    assert conductor.reschedules == []
    assert _state(cell, ctx, here['uuid']) == states.ERROR
    with cell.reader(ctx) as conn:
        fault = db_instance_fault.get_latest_for_instance(conn, here['uuid'])
    assert 'affinity): its members are on host2, not on host1' in fault[
        'message']


def test_racing_members_on_one_host_one_is_admitted(databases, placement):
    # Two schedulers chose host1 for both (the conductor named the host of
    # each): the compute admits the first it judges and sends the other
    # back, whatever the order.
    cell, api = databases
    mgr, conductor = _manager(databases, placement)
    ctx = fixtures.make_context()
    members = [_instance(cell, ctx) for _ in range(2)]
    spec = {'instance_group': _group(api, ctx, 'anti-affinity', members)}
    for member in members:
        mgr.build_and_run_instance(ctx, member, spec, [ALTERNATE],
                                   node='host1')
    assert mgr.wait_for_builds(10)
    active = [m['uuid'] for m in members
              if _state(cell, ctx, m['uuid']) == states.ACTIVE]
    assert len(active) == 1
    [(uuid, _alternates, reason)] = conductor.reschedules
    assert uuid not in active and active[0] in reason


def test_rules_members_not_admitted_and_soft_policies(databases, placement):
    cell, api = databases
    mgr, conductor = _manager(databases, placement)
    ctx = fixtures.make_context()
    # max_server_per_host 2: one member here leaves room for another; a
    # member the conductor sent here that its compute has not admitted
    # yet does not count.
    members = [_instance(cell, ctx, vm_state='active', task_state=None),
               _instance(cell, ctx), _instance(cell, ctx)]
    spec = {'instance_group': _group(api, ctx, 'anti-affinity', members,
                                     rules={'max_server_per_host': 2})}
    mgr.build_and_run_instance(ctx, members[1], spec, [ALTERNATE],
                               node='host1')
    assert mgr.wait_for_builds(10)
    assert _state(cell, ctx, members[1]['uuid']) == states.ACTIVE
    # Soft anti-affinity is a preference of the weighers only.
    more = [_instance(cell, ctx, vm_state='active', task_state=None),
            _instance(cell, ctx)]
    spec = {'instance_group': _group(api, ctx, 'soft-anti-affinity', more)}
    mgr.build_and_run_instance(ctx, more[1], spec, [ALTERNATE], node='host1')
    assert mgr.wait_for_builds(10)
    assert _state(cell, ctx, more[1]['uuid']) == states.ACTIVE
    assert conductor.reschedules == []


def test_the_workaround_skips_the_check(databases, placement):
    conductor, _first, second = _second_anti_affinity_member(
        databases, placement,
        workarounds__disable_group_policy_check_upcall=True)
    assert _state(databases[0], fixtures.make_context(),
                  second['uuid']) == states.ACTIVE
    assert conductor.reschedules == []


def test_the_group_action_needs_the_api_database(databases):
    cell, _api = databases
    ctx = fixtures.make_context()
    with pytest.raises(exception.ObjectActionNotAllowed):
        object_api.dispatch(ctx, cell, 'instance_group',
                            'get_by_instance_uuid', {'instance_uuid': 'x'})
    with pytest.raises(exception.ObjectActionNotAllowed):
        object_api.dispatch(ctx, cell, 'instance_group',
                            'get_by_instance_uuid',
                            {'instance_uuid': 'x', 'api_conn': None},
                            api_database=_api)
