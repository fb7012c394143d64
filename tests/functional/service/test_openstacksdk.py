"""openstacksdk's placement proxy, unchanged, against our server.

The SDK runs in-process, as a cloud without keystone: ``admin_token`` with
the endpoint given; it negotiates its microversions from the root document.
What it reads and writes is compared with what the API itself answers.
"""

import uuid

from openstack import connection
from openstack import exceptions as sdk_exceptions
import pytest

ADMIN = {'X-Auth-Token': 'admin'}
MISSING = '00000000-0000-4000-8000-000000000000'


@pytest.fixture
def sdk(noauth_placement, monkeypatch):
    """openstacksdk's placement proxy on the server, as a noauth cloud."""
    for name in ('http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY'):
        monkeypatch.delenv(name, raising=False)
    conn = connection.Connection(
        auth_type='admin_token',
        auth={'endpoint': noauth_placement.url, 'token': 'admin'})
    yield conn.placement
    conn.close()


def _sdk_provider(rp):
    return {'uuid': rp.id, 'name': rp.name, 'generation': rp.generation,
            'root_provider_uuid': rp.root_provider_id,
            'parent_provider_uuid': rp.parent_provider_id}


def _api_provider(server, uuid):
    body = server.admin_json('/resource_providers/%s' % uuid)
    return {key: body[key] for key in (
        'uuid', 'name', 'generation', 'root_provider_uuid',
        'parent_provider_uuid')}


# The SDK's warnings about its own deprecated internals are not ours.
@pytest.mark.filterwarnings('ignore::PendingDeprecationWarning:openstack')
def test_openstacksdk_placement_proxy(noauth_placement, sdk):
    server = noauth_placement
    n = uuid.uuid4().hex[:8].upper()
    root = sdk.create_resource_provider(name='sdk-root-%s' % n)
    child = sdk.create_resource_provider(name='sdk-child-%s' % n,
                                         parent_provider_uuid=root.id)
    assert _sdk_provider(child) == _api_provider(server, child.id)
    assert _api_provider(server, child.id)['root_provider_uuid'] == root.id
    assert _sdk_provider(sdk.get_resource_provider(root.id)) == \
        _api_provider(server, root.id)
    assert sdk.find_resource_provider('sdk-root-%s' % n).id == root.id
    assert sorted(rp.id for rp in sdk.resource_providers(in_tree=root.id)) \
        == sorted([root.id, child.id])
    renamed = sdk.update_resource_provider(root, name='sdk-top-%s' % n)
    assert _sdk_provider(renamed) == _api_provider(server, root.id)
    assert _api_provider(server, root.id)['name'] == 'sdk-top-%s' % n

    gold = sdk.create_resource_class(name='CUSTOM_SDK_%s' % n)
    assert sdk.get_resource_class(gold.name).name == gold.name
    assert gold.name in {rc.name for rc in sdk.resource_classes()}
    assert {rc['name'] for rc in server.admin_json('/resource_classes')[
        'resource_classes']} == {rc.name for rc in sdk.resource_classes()}
    trait = sdk.create_trait('CUSTOM_SDK_%s' % n)
    assert sdk.get_trait(trait.name).id == trait.name
    assert [t.name for t in sdk.traits(name='startswith:CUSTOM_SDK_%s' % n)] \
        == server.admin_json(
            '/traits?name=startswith:CUSTOM_SDK_%s' % n)['traits']

    _sdk_inventories_and_traits(server, sdk, root, child, gold, trait)
    _sdk_allocations(server, sdk, root, child, gold)
    _sdk_refusals(sdk, root, child)

    sdk.delete_resource_provider(child)
    sdk.delete_resource_provider(root)
    sdk.delete_resource_class(gold)
    sdk.delete_trait(trait)
    assert sdk.find_resource_provider('sdk-top-%s' % n) is None
    for path in ('/resource_providers/%s' % root.id,
                 '/resource_classes/%s' % gold.name,
                 '/traits/%s' % trait.name):
        assert server.get(path, headers=ADMIN).status == 404


def _sdk_inventories_and_traits(server, sdk, root, child, gold, trait):
    vcpu = sdk.create_resource_provider_inventory(
        root, resource_class='VCPU', total=8, allocation_ratio=2.0)
    sdk.create_resource_provider_inventory(child, resource_class=gold.name,
                                           total=4)
    rows = [{'resource_class': inv.resource_class, 'total': inv.total,
             'reserved': inv.reserved, 'min_unit': inv.min_unit,
             'max_unit': inv.max_unit, 'step_size': inv.step_size,
             'allocation_ratio': inv.allocation_ratio}
            for inv in sdk.resource_provider_inventories(root)]
    truth = server.admin_json('/resource_providers/%s/inventories' % root.id)
    assert rows == [dict(fields, resource_class=rc)
                    for rc, fields in truth['inventories'].items()]
    # The SDK sends the changed fields only: a PUT resets the others to
    # their defaults, upstream's placement does the same.
    sdk.update_resource_provider_inventory(
        vcpu, resource_provider=root, total=10,
        resource_provider_generation=vcpu.resource_provider_generation)
    got = sdk.get_resource_provider_inventory('VCPU', resource_provider=root)
    truth = server.admin_json(
        '/resource_providers/%s/inventories/VCPU' % root.id)
    assert (got.total, got.allocation_ratio) == (
        truth['total'], truth['allocation_ratio']) == (10, 1.0)

    aggregate = str(uuid.uuid4())
    # The SDK sends the generation of the object it is given: a stale one
    # is refused, as it must be.
    with pytest.raises(sdk_exceptions.ConflictException):
        sdk.set_resource_provider_aggregates(root, aggregate)
    sdk.set_resource_provider_aggregates(
        sdk.get_resource_provider(root.id), aggregate)
    assert sdk.fetch_resource_provider_aggregates(root).aggregates == [
        aggregate] == server.admin_json('/resource_providers/%s/aggregates'
                          % root.id)['aggregates']
    traits = sdk.get_resource_provider_trait(root)
    assert traits.traits == []
    sdk.set_resource_provider_trait(traits, traits=[trait.name])
    assert sdk.get_resource_provider_trait(root).traits == [trait.name] == \
        server.admin_json('/resource_providers/%s/traits' % root.id)['traits']


def _sdk_allocations(server, sdk, root, child, gold):
    consumer, other = str(uuid.uuid4()), str(uuid.uuid4())
    sdk.update_allocation(
        consumer, allocations={root.id: {'resources': {'VCPU': 2}},
                               child.id: {'resources': {gold.name: 1}}},
        project_id='sdk-project', user_id='sdk-user',
        consumer_generation=None, consumer_type='INSTANCE')
    got = sdk.get_allocation(consumer)
    truth = server.admin_json('/allocations/%s' % consumer)
    assert got.allocations == truth['allocations']
    assert (got.consumer_generation, got.project_id, got.consumer_type) == (
        truth['consumer_generation'], 'sdk-project', 'INSTANCE')
    sdk.create_allocations({other: {
        'allocations': {root.id: {'resources': {'VCPU': 3}}},
        'project_id': 'sdk-project', 'user_id': 'sdk-user',
        'consumer_generation': None, 'consumer_type': 'MIGRATION'}})
    assert sdk.fetch_resource_provider_usages(root).usages == {'VCPU': 5} \
        == server.admin_json(
            '/resource_providers/%s/usages' % root.id)['usages']
    assert {u.consumer_type: dict(u.resources, consumer_count=u.consumer_count)
            for u in sdk.usages('sdk-project')} == server.admin_json(
        '/usages?project_id=sdk-project', '1.38')['usages']
    assert {a.consumer_id: a.resources
            for a in sdk.resource_provider_allocations(root)} == {
        consumer: {'VCPU': 2}, other: {'VCPU': 3}}
    query = 'resources=VCPU:1,%s:1' % gold.name
    candidates = list(sdk.allocation_candidates(
        resources='VCPU:1,%s:1' % gold.name))
    truth = server.admin_json('/allocation_candidates?' + query)
    assert [c.allocations for c in candidates] == [
        r['allocations'] for r in truth['allocation_requests']]
    assert candidates[0].provider_summaries == truth['provider_summaries']
    sdk.delete_allocation(consumer)
    sdk.delete_allocation(other)
    assert server.admin_json('/resource_providers/%s/usages' % root.id)[
        'usages'] == {'VCPU': 0}


def _sdk_refusals(sdk, root, child):
    with pytest.raises(sdk_exceptions.NotFoundException):
        sdk.get_resource_provider(MISSING)
    with pytest.raises(sdk_exceptions.ConflictException):
        sdk.create_resource_provider(name=child.name)
    with pytest.raises(sdk_exceptions.ConflictException):
        sdk.delete_resource_provider(root)
