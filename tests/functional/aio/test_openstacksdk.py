"""openstacksdk, unchanged, against the all-in-one: ``openstack.connect(
cloud='nova-core')`` with the clouds.yaml the all-in-one wrote."""

import openstack
import pytest


@pytest.fixture
def conn(aio, monkeypatch):
    for name in ('http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY'):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv('OS_CLIENT_CONFIG_FILE', aio.clouds_yaml)
    connection = openstack.connect(cloud='nova-core')
    yield connection
    connection.close()


# The SDK's warnings about its own deprecated internals are not ours.
pytestmark = pytest.mark.filterwarnings('ignore::DeprecationWarning')


def test_servers(aio, conn):
    flavor = conn.compute.find_flavor('m1.small', ignore_missing=False)
    image = conn.image.find_image('cirros', ignore_missing=False)
    # From 2.37 a server names its networks ('auto': the default one).
    server = conn.compute.create_server(name='sdk-vm1', flavor_id=flavor.id,
                                        image_id=image.id, networks='auto')
    server = conn.compute.wait_for_server(server, wait=120)
    assert server.status == 'ACTIVE'
    assert [s.name for s in conn.compute.servers()] == ['sdk-vm1']
    shown = conn.compute.get_server(server.id)
    assert (shown.name, shown.status, shown.flavor.name, shown.image.id) == (
        'sdk-vm1', 'ACTIVE', 'm1.small', image.id)
    assert shown.compute_host.startswith('cell1-host')
    assert aio.usages() == {'VCPU': 1, 'MEMORY_MB': 2048, 'DISK_GB': 20}

    conn.compute.delete_server(server)
    conn.compute.wait_for_delete(server, wait=120)
    assert list(conn.compute.servers()) == []
    assert aio.usages() == {}


def test_flavors(conn):
    created = conn.compute.create_flavor(name='sdk-flavor', vcpus=1,
                                         ram=128, disk=1)
    assert conn.compute.find_flavor('sdk-flavor').id == created.id
    assert {'m1.tiny', 'm1.small', 'm1.medium', 'm1.large',
            'sdk-flavor'} <= {f.name for f in conn.compute.flavors()}


def test_hypervisors_services_and_zones(conn):
    assert sorted(h.name for h in conn.compute.hypervisors()) == [
        'cell1-host1', 'cell1-host2', 'cell1-host3']
    computes = [s for s in conn.compute.services()
                if s.binary == 'nova-compute']
    assert sorted(s.host for s in computes) == [
        'cell1-host1', 'cell1-host2', 'cell1-host3']
    assert {s.state for s in computes} == {'up'}
    assert 'nova' in {z.name for z in conn.compute.availability_zones()}


def test_placement(aio, conn):
    providers = list(conn.placement.resource_providers())
    assert sorted(p.name for p in providers) == [
        'cell1-host1', 'cell1-host2', 'cell1-host3']
    inventory = {i.resource_class: i.total
                 for i in conn.placement.resource_provider_inventories(
                     providers[0])}
    assert inventory == {'VCPU': 4, 'MEMORY_MB': 12288, 'DISK_GB': 100}
