"""A request's server group hosts, as the host manager sets them from the
members' records it reads."""

from nova_core.scheduler import host_manager


def _spec(members, hosts=(), instance_uuid=None):
    spec = {'instance_group': {'uuid': 'g', 'policy': 'affinity',
                               'members': list(members),
                               'hosts': list(hosts)}}
    if instance_uuid:
        spec['instance_uuid'] = instance_uuid
    return spec


def test_hosts_are_where_members_are_in_every_cell():
    spec = _spec(['a', 'b', 'c'], hosts=['h0'])
    host_manager._note_group_hosts(spec, {
        'cell1': [{'uuid': 'a', 'host': 'h1'}, {'uuid': 'b', 'host': None}],
        'cell2': [{'uuid': 'c', 'host': 'h2'},
                  # A same_host hint's instance, not a member.
                  {'uuid': 'x', 'host': 'h9'}]})
    assert spec['instance_group']['hosts'] == ['h0', 'h1', 'h2']


def test_the_instance_being_placed_does_not_count():
    spec = _spec(['a', 'b'], instance_uuid='a')
    host_manager._note_group_hosts(spec, {
        'cell1': [{'uuid': 'a', 'host': 'h1'}, {'uuid': 'b', 'host': 'h2'}]})
    assert spec['instance_group']['hosts'] == ['h2']


def test_no_group_no_change():
    spec = {}
    host_manager._note_group_hosts(spec, {'cell1': [{'uuid': 'a',
                                                     'host': 'h1'}]})
    assert spec == {}
