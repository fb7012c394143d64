"""The sample config and policy files come out of the oslo generators."""

import pathlib

import yaml

from nova_core.placement import policies
from tests import servers

ROOT = pathlib.Path(__file__).resolve().parents[3]


def test_config_generator_namespace():
    result = servers.run(servers.script('oslo-config-generator'),
                         '--namespace', 'nova_core')
    assert result.returncode == 0, result.stderr
    sample = '\n' + result.stdout
    for section, option in (('placement_database', 'connection'),
                            ('placement_database', 'sync_on_startup'),
                            ('api', 'auth_strategy'),
                            ('placement', 'max_allocation_candidates'),
                            ('DEFAULT', 'state_path')):
        body = sample.split('\n[%s]\n' % section, 1)[1].split('\n[', 1)[0]
        assert '\n#%s = ' % option in body, (section, option)


def test_config_generator_file_covers_the_libraries(tmp_path):
    out = tmp_path / 'nova_core.conf.sample'
    result = servers.run(
        servers.script('oslo-config-generator'), '--config-file',
        str(ROOT / 'etc/nova_core/nova-core-config-generator.conf'),
        '--output-file', str(out), cwd=str(ROOT))
    assert result.returncode == 0, result.stderr
    sample = out.read_text()
    for section in ('[placement_database]', '[api]', '[keystone_authtoken]',
                    '[oslo_policy]', '[cors]', '[oslo_middleware]'):
        assert section in sample
    # nova_core's defaults for the CORS headers placement clients send
    assert '#allow_headers = X-Auth-Token,X-Openstack-Request-Id,' \
        'OpenStack-API-Version' in sample


def test_policy_sample_lists_every_rule(tmp_path):
    out = tmp_path / 'policy.yaml'
    result = servers.run(servers.script('oslopolicy-sample-generator'),
                         '--namespace', 'nova_core.placement',
                         '--output-file', str(out))
    assert result.returncode == 0, result.stderr
    # The sample comments every rule out; uncommented it is a policy file.
    text = '\n'.join(line[1:] if line.startswith('#"') else line
                     for line in out.read_text().splitlines())
    listed = set(yaml.safe_load(text))
    names = {rule.name for rule in policies.list_rules()}
    assert listed == names
    assert 'placement:resource_providers:create' in names


def test_policy_generator_uses_the_enforcer_entry_point(tmp_path):
    result = servers.run(servers.script('oslopolicy-policy-generator'),
                         '--namespace', 'nova_core.placement',
                         env={'HOME': str(tmp_path)})
    assert result.returncode == 0, result.stderr
    effective = yaml.safe_load(result.stdout)
    assert effective['placement:reshaper:reshape'] == 'rule:service_api'
