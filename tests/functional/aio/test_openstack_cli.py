"""The ``openstack`` command (python-openstackclient with osc-placement),
unchanged, against the all-in-one through the clouds.yaml it writes.

Every command the README shows runs here exactly as a user types it:
``OS_CLIENT_CONFIG_FILE=STATE_DIR/clouds.yaml openstack --os-cloud
nova-core ...``. The tests of this module share one all-in-one and run in
order: the over-capacity test needs the servers of the others gone.
"""

import yaml

FLAVORS = ['m1.tiny', 'm1.small', 'm1.medium', 'm1.large']


def test_clouds_yaml_names_the_cloud_and_the_catalog_its_services(aio):
    with open(aio.clouds_yaml) as f:
        cloud = yaml.safe_load(f)['clouds']['nova-core']
    assert cloud['auth']['auth_url'] == aio.identity_url
    assert aio.server.log().count('OS_CLIENT_CONFIG_FILE=%s'
                                  % aio.clouds_yaml) == 1
    token = aio.openstack_json('token', 'issue')
    assert (token['user_id'], token['project_id']) == ('admin', 'admin')
    endpoints = aio.openstack_json('catalog', 'list')
    assert sorted(e['Type'] for e in endpoints) == [
        'compute', 'identity', 'image', 'placement']


def test_first_start_has_the_default_flavors_and_an_image(aio):
    flavors = {f['Name']: f for f in aio.openstack_json('flavor', 'list')}
    assert sorted(flavors) == sorted(FLAVORS)
    assert (flavors['m1.large']['VCPUs'], flavors['m1.large']['RAM'],
            flavors['m1.large']['Disk']) == (4, 8192, 80)
    images = aio.openstack_json('image', 'list')
    assert [(i['Name'], i['Status']) for i in images] == [
        ('cirros', 'active')]


def test_server_lifecycle(aio):
    created = aio.openstack_json(
        'server', 'create', '--flavor', 'm1.tiny', '--image', 'cirros',
        '--wait', 'cli-vm1')
    assert created['status'] == 'ACTIVE'
    assert created['name'] == 'cli-vm1'
    listed = aio.openstack_json('server', 'list')
    assert [(s['ID'], s['Name'], s['Status'], s['Image'], s['Flavor'])
            for s in listed] == [(created['id'], 'cli-vm1', 'ACTIVE',
                                  'cirros', 'm1.tiny')]
    shown = aio.openstack_json('server', 'show', 'cli-vm1')
    assert shown['id'] == created['id']
    assert shown['status'] == 'ACTIVE'
    assert shown['OS-EXT-SRV-ATTR:host'].startswith('cell1-host')
    assert aio.usages() == {'VCPU': 1, 'MEMORY_MB': 512, 'DISK_GB': 1}

    deleted = aio.openstack('server', 'delete', '--wait', 'cli-vm1')
    assert deleted.returncode == 0, deleted.stderr
    assert aio.openstack_json('server', 'list') == []
    assert aio.usages() == {}


def test_flavor_create_and_list(aio):
    created = aio.openstack_json('flavor', 'create', '--vcpus', '2',
                                 '--ram', '256', '--disk', '2', 'cli-flavor')
    assert (created['name'], created['vcpus'], created['ram'],
            created['disk']) == ('cli-flavor', 2, 256, 2)
    listed = {f['Name']: f for f in aio.openstack_json('flavor', 'list')}
    assert listed['cli-flavor']['ID'] == created['id']
    assert sorted(listed) == sorted(FLAVORS + ['cli-flavor'])


def test_hypervisors_and_services(aio):
    hypervisors = aio.openstack_json('hypervisor', 'list')
    assert sorted(h['Hypervisor Hostname'] for h in hypervisors) == [
        'cell1-host1', 'cell1-host2', 'cell1-host3']
    assert {h['State'] for h in hypervisors} == {'up'}
    services = aio.openstack_json('compute', 'service', 'list')
    assert sorted((s['Binary'], s['Host']) for s in services
                  if s['Binary'] == 'nova-compute') == [
        ('nova-compute', 'cell1-host%d' % i) for i in (1, 2, 3)]
    assert {'nova-scheduler', 'nova-conductor'} <= {
        s['Binary'] for s in services}
    assert {s['State'] for s in services} == {'up'}


def test_availability_zones(aio):
    zones = aio.openstack_json('availability', 'zone', 'list')
    assert ('nova', 'available') in {
        (z['Zone Name'], z['Zone Status']) for z in zones}


def test_placement_through_osc_placement(aio):
    providers = aio.openstack_json('resource', 'provider', 'list')
    expected = aio.placement('/resource_providers')['resource_providers']
    assert sorted(p['name'] for p in providers) == sorted(
        p['name'] for p in expected) == [
        'cell1-host1', 'cell1-host2', 'cell1-host3']
    candidates = aio.openstack_json(
        'allocation', 'candidate', 'list', '--resource', 'VCPU=2',
        '--resource', 'MEMORY_MB=1024')
    assert sorted(c['resource provider'] for c in candidates) == sorted(
        p['uuid'] for p in expected)


def test_more_servers_than_capacity_fail_with_a_fault(aio):
    # Each fake host fits one m1.large (RAM): three fit, the fourth not.
    ids = []
    for index in range(3):
        server = aio.openstack_json(
            'server', 'create', '--flavor', 'm1.large', '--image', 'cirros',
            '--wait', 'big%d' % index)
        assert server['status'] == 'ACTIVE'
        ids.append(server['id'])
    result = aio.openstack('server', 'create', '--flavor', 'm1.large',
                           '--image', 'cirros', '--wait', 'big3')
    assert result.returncode != 0
    shown = aio.openstack_json('server', 'show', 'big3')
    assert shown['status'] == 'ERROR'
    fault = shown['fault']
    assert fault['code'] == 500
    assert 'No valid host was found' in fault['message'], fault
    assert aio.usages() == {'VCPU': 12, 'MEMORY_MB': 3 * 8192,
                            'DISK_GB': 240}

    result = aio.openstack('server', 'delete', '--wait',
                           *(ids + [shown['id']]))
    assert result.returncode == 0, result.stderr
    assert aio.openstack_json('server', 'list') == []
    assert aio.usages() == {}
