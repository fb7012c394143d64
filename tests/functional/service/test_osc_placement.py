"""The ``openstack`` command with osc-placement, unchanged, against our server.

python-openstackclient and its osc-placement plugin run as child processes,
authenticated the way a deployment without keystone does it: ``admin_token``
with the endpoint given. One process reads a whole batch of commands on
stdin (the client's interactive mode), because each start of the client
costs about a second. Its ``-f json`` output is compared with what the API
itself answers.
"""

import json
import os
import subprocess
import uuid

from tests import servers

ADMIN = {'X-Auth-Token': 'admin'}
MISSING = '00000000-0000-4000-8000-000000000000'


def api_status(server, path):
    return server.get(path, headers=ADMIN).status


def _client_env(server, version):
    """The environment of the client: ours, without any other cloud's."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith('OS_')}
    for name in ('http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY'):
        env.pop(name, None)
    env.update(OS_AUTH_TYPE='admin_token', OS_TOKEN='admin',
               OS_ENDPOINT=server.url, PYTHONWARNINGS='ignore')
    if version:
        env['OS_PLACEMENT_API_VERSION'] = version
    return env


def _json_documents(text):
    decoder, docs, index = json.JSONDecoder(), [], 0
    while True:
        while index < len(text) and text[index].isspace():
            index += 1
        if index == len(text):
            return docs
        doc, index = decoder.raw_decode(text, index)
        docs.append(doc)


def openstack_batch(server, commands, version='1.39'):
    """Run ``[(key, command)]`` in one ``openstack`` process.

    A command with a key gets ``-f json`` and its output is returned under
    the key; returns ``(outputs, stderr lines)``.
    """
    lines = [command + (' -f json' if key else '')
             for key, command in commands]
    result = subprocess.run(
        [servers.script('openstack')], input='\n'.join(lines) + '\n',
        capture_output=True, text=True, timeout=120,
        env=_client_env(server, version))
    docs = _json_documents(result.stdout)
    keys = [key for key, _command in commands if key]
    assert len(docs) == len(keys), (result.stdout, result.stderr)
    return dict(zip(keys, docs)), result.stderr.splitlines()


def openstack_command(server, *argv):
    """One ``openstack`` run with the options on its command line."""
    env = _client_env(server, None)
    for name in ('OS_AUTH_TYPE', 'OS_TOKEN', 'OS_ENDPOINT'):
        del env[name]
    return subprocess.run(
        [servers.script('openstack'), '--os-auth-type', 'admin_token',
         '--os-token', 'admin', '--os-endpoint', server.url, *argv],
        capture_output=True, text=True, timeout=120, env=env)


def _names(n):
    hexes = {key: str(uuid.uuid4()) for key in (
        'cn', 'numa', 'pool', 'agg', 'c1', 'c2', 'project', 'user')}
    return dict(hexes, n=n, gold='CUSTOM_GOLD_%s' % n,
                fast='CUSTOM_FAST_%s' % n, missing=MISSING)


# A compute node with a NUMA child holding a custom class, and a disk pool
# shared with the compute through an aggregate.
BUILD = [
    (None, 'resource class create {gold}'),
    (None, 'trait create {fast}'),
    ('cn', 'resource provider create --uuid {cn} cn-{n}'),
    ('numa', 'resource provider create --uuid {numa} --parent-provider {cn} '
             'numa-{n}'),
    ('pool', 'resource provider create --uuid {pool} pool-{n}'),
    ('cn_inv', 'resource provider inventory set {cn} --resource VCPU=8 '
               '--resource VCPU:allocation_ratio=2.0 '
               '--resource MEMORY_MB=4096'),
    ('numa_inv', 'resource provider inventory set {numa} '
                 '--resource {gold}=4'),
    ('pool_inv', 'resource provider inventory set {pool} '
                 '--resource DISK_GB=100 --resource DISK_GB:reserved=10'),
    ('cn_traits', 'resource provider trait set {cn} '
                  '--trait HW_CPU_X86_AVX2 --trait {fast}'),
    ('pool_traits', 'resource provider trait set {pool} '
                    '--trait MISC_SHARES_VIA_AGGREGATE'),
    ('cn_aggs', 'resource provider aggregate set {cn} --aggregate {agg} '
                '--generation 2'),
    ('pool_aggs', 'resource provider aggregate set {pool} '
                  '--aggregate {agg} --generation 2'),
    ('claim', 'resource provider allocation set {c1} '
              '--allocation rp={cn},VCPU=2,MEMORY_MB=512 '
              '--allocation rp={pool},DISK_GB=10 --project-id {project} '
              '--user-id {user} --consumer-type INSTANCE'),
    ('shared', 'allocation candidate list --resource VCPU=2 '
               '--resource DISK_GB=10 --required {fast} --member-of {agg}'),
    ('nested', 'allocation candidate list --resource VCPU=1 '
               '--resource {gold}=1'),
    ('alloc', 'resource provider allocation show {c1}'),
    ('cn_usage', 'resource provider usage show {cn}'),
    ('project_usage', 'resource usage show {project}'),
    ('cn_inv_list', 'resource provider inventory list {cn}'),
    ('cn_trait_list', 'resource provider trait list {cn}'),
    ('cn_agg_list', 'resource provider aggregate list {cn}'),
    ('by_resource', 'resource provider list --resource VCPU=10 '
                    '--required {fast}'),
    ('by_aggregate', 'resource provider list --member-of {agg}'),
    ('tree', 'resource provider list --in-tree {numa}'),
    ('cn_show', 'resource provider show {cn} --allocations'),
    ('gold', 'resource class show {gold}'),
    ('fast', 'trait list --name startswith:{fast}'),
]


def _format(commands, names):
    return [(key, command.format(**names)) for key, command in commands]


def _inventory_rows(server, rp, with_used=False):
    inventories = server.admin_json('/resource_providers/%s/inventories' % rp)
    usages = server.admin_json('/resource_providers/%s/usages' % rp)['usages']
    rows = []
    for rc, fields in inventories['inventories'].items():
        row = dict(fields, resource_class=rc)
        if with_used:
            row['used'] = usages[rc]
        rows.append(row)
    return sorted(rows, key=lambda row: row['resource_class'])


def _by(rows, key):
    return sorted(rows, key=lambda row: row[key])


def _allocation_rows(server, consumer):
    body = server.admin_json('/allocations/%s' % consumer)
    return _by([{'resource_provider': rp, 'generation': alloc['generation'],
                 'resources': alloc['resources'],
                 'project_id': body['project_id'], 'user_id': body['user_id'],
                 'consumer_type': body['consumer_type']}
                for rp, alloc in body['allocations'].items()],
               'resource_provider')


def _candidate_rows(server, query, version='1.39'):
    """The API's candidates as osc-placement's columns, order aside."""
    body = server.admin_json('/allocation_candidates?' + query, version)
    summaries = body['provider_summaries']
    rows = []
    for index, request in enumerate(body['allocation_requests']):
        for rp, alloc in request['allocations'].items():
            rows.append((index + 1, _pairs(alloc['resources']), rp,
                         _pairs({rc: '%s/%s' % (v['used'], v['capacity'])
                                 for rc, v in summaries[rp]['resources']
                                 .items()}),
                         frozenset(summaries[rp]['traits'])))
    return sorted(rows, key=repr)


def _pairs(mapping):
    return frozenset('%s=%s' % item for item in mapping.items())


def _cli_candidate_rows(rows):
    return sorted(((row['#'], frozenset(row['allocation'].split(',')),
                    row['resource provider'],
                    frozenset(row['inventory used/capacity'].split(',')),
                    frozenset(filter(None, row['traits'].split(','))))
                   for row in rows), key=repr)


def _provider_rows(server, query):
    body = server.admin_json('/resource_providers?' + query)
    return _by([{key: rp[key] for key in (
        'uuid', 'name', 'generation', 'root_provider_uuid',
        'parent_provider_uuid')} for rp in body['resource_providers']],
        'uuid')


def _check_built(server, names, out):
    cn, numa, pool = names['cn'], names['numa'], names['pool']
    for key in ('cn', 'numa', 'pool'):
        assert out[key] == {
            'uuid': names[key], 'name': '%s-%s' % (key, names['n']),
            'generation': 0, 'root_provider_uuid': cn if key == 'numa'
            else names[key],
            'parent_provider_uuid': cn if key == 'numa' else None}
    for key, rp in (('cn_inv', cn), ('numa_inv', numa), ('pool_inv', pool)):
        assert _by(out[key], 'resource_class') == _inventory_rows(server, rp)
    assert _by(out['cn_inv_list'], 'resource_class') == _inventory_rows(
        server, cn, with_used=True)
    for key, rp in (('cn_traits', cn), ('pool_traits', pool),
                    ('cn_trait_list', cn)):
        assert sorted(row['name'] for row in out[key]) == sorted(
            server.admin_json('/resource_providers/%s/traits' % rp)['traits'])
    for key, rp in (('cn_aggs', cn), ('pool_aggs', pool),
                    ('cn_agg_list', cn)):
        assert [row['uuid'] for row in out[key]] == server.admin_json(
            '/resource_providers/%s/aggregates' % rp)['aggregates']
    assert out['cn_agg_list'] == [{'uuid': names['agg']}]
    for key in ('claim', 'alloc'):
        assert _by(out[key], 'resource_provider') == _allocation_rows(
            server, names['c1'])
    assert {row['resource_provider']: row['resources']
            for row in out['alloc']} == {
        cn: {'VCPU': 2, 'MEMORY_MB': 512}, pool: {'DISK_GB': 10}}


def _check_read(server, names, out):
    cn, numa, pool = names['cn'], names['numa'], names['pool']
    shared = _cli_candidate_rows(out['shared'])
    assert shared == _candidate_rows(
        server, 'resources=VCPU:2,DISK_GB:10&required=%s&member_of=in:%s'
        % (names['fast'], names['agg']))
    assert {(row[2], row[1]) for row in shared} == {
        (cn, frozenset(['VCPU=2'])), (pool, frozenset(['DISK_GB=10']))}
    nested = _cli_candidate_rows(out['nested'])
    assert nested == _candidate_rows(
        server, 'resources=VCPU:1,%s:1' % names['gold'])
    assert {(row[2], row[1]) for row in nested} == {
        (cn, frozenset(['VCPU=1'])), (numa, frozenset([names['gold'] + '=1']))}
    assert {row['resource_class']: row['usage']
            for row in out['cn_usage']} == server.admin_json(
        '/resource_providers/%s/usages' % cn)['usages']
    # From 1.38 usages come per consumer type; the client lists the types.
    assert {row['resource_class']: row['usage']
            for row in out['project_usage']} == server.admin_json(
        '/usages?project_id=%s' % names['project'])['usages']
    assert out['project_usage'][0]['usage'] == {
        'consumer_count': 1, 'VCPU': 2, 'MEMORY_MB': 512, 'DISK_GB': 10}
    assert _by(out['by_resource'], 'uuid') == _provider_rows(
        server, 'resources=VCPU:10&required=%s' % names['fast'])
    assert [row['uuid'] for row in out['by_resource']] == [cn]
    assert _by(out['by_aggregate'], 'uuid') == _provider_rows(
        server, 'member_of=in:%s' % names['agg'])
    assert {row['uuid'] for row in out['by_aggregate']} == {cn, pool}
    assert _by(out['tree'], 'uuid') == _provider_rows(
        server, 'in_tree=%s' % numa)
    shown = dict(out['cn_show'])
    assert shown.pop('allocations') == server.admin_json(
        '/resource_providers/%s/allocations' % cn)['allocations']
    assert shown == _provider_rows(server, 'uuid=%s' % cn)[0]
    assert out['gold'] == {'name': names['gold']}
    assert out['fast'] == [{'name': names['fast']}]


# Refusals, each one line on stderr, then the cloud taken apart.
TEARDOWN = [
    (None, 'resource provider allocation set {c2} '
           '--allocation rp={cn},VCPU=20 --project-id {project} '
           '--user-id {user} --consumer-type INSTANCE'),
    (None, 'resource provider delete {cn}'),
    (None, 'resource class delete {gold}'),
    (None, 'trait delete {fast}'),
    (None, 'resource provider show {missing}'),
    (None, 'resource provider aggregate set {cn} --aggregate {agg} '
           '--generation 1'),
    ('unset', 'resource provider allocation unset {c1} --provider {pool}'),
    (None, 'resource provider allocation delete {c1}'),
    (None, 'resource provider trait delete {cn}'),
    (None, 'resource provider inventory delete {numa} '
           '--resource-class {gold}'),
    (None, 'resource provider delete {numa}'),
    (None, 'resource provider delete {cn}'),
    (None, 'resource provider delete {pool}'),
    (None, 'resource class delete {gold}'),
    (None, 'trait delete {fast}'),
    ('left', 'resource provider list --name cn-{n}'),
]
TEARDOWN_ERRORS = [
    "Unable to allocate inventory: Unable to create allocation for 'VCPU' "
    "on resource provider '{cn}'. The requested amount would exceed the "
    "capacity. (HTTP 409)",
    'Unable to delete parent resource provider {cn}: It has child resource '
    'providers. (HTTP 409)',
    'Error in delete resource class: Cannot delete resource class {gold}. '
    'Class is in use in inventory. (HTTP 409)',
    'The trait {fast} is in use by a resource provider. (HTTP 409)',
    'No resource provider with uuid {missing} found (HTTP 404)',
    "Resource provider's generation already changed. Please update the "
    "generation and try again. (HTTP 409)",
]


def test_openstack_client_builds_reads_and_takes_apart(noauth_placement):
    server = noauth_placement
    names = _names(uuid.uuid4().hex[:8].upper())
    out, errors = openstack_batch(server, _format(BUILD, names))
    assert errors == []
    _check_built(server, names, out)
    _check_read(server, names, out)

    # Options on the command line, microversion negotiated: the client
    # asks for its newest gap-free version (1.29) and gets it.
    result = openstack_command(
        server, 'allocation candidate list', '--resource', 'VCPU=1',
        '--member-of', names['agg'], '-f', 'json')
    assert result.returncode == 0, result.stderr
    assert _cli_candidate_rows(json.loads(result.stdout)) == _candidate_rows(
        server, 'resources=VCPU:1&member_of=in:%s' % names['agg'], '1.29')
    assert any('"GET /allocation_candidates?' in line and
               'microversion: 1.29' in line
               for line in server.log().splitlines())

    out, errors = openstack_batch(server, _format(TEARDOWN, names))
    assert errors == [line.format(**names) for line in TEARDOWN_ERRORS]
    assert [row['resource_provider'] for row in out['unset']] == [names['cn']]
    assert out['unset'][0]['resources'] == {'VCPU': 2, 'MEMORY_MB': 512}
    assert out['left'] == []
    for path in ('/resource_providers/%s' % names['cn'],
                 '/resource_classes/%s' % names['gold'],
                 '/traits/%s' % names['fast']):
        assert api_status(server, path) == 404
    assert server.admin_json('/allocations/%s' % names['c1']) == {
        'allocations': {}}
