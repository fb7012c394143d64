"""``[network] networks`` of the local network plugin: parsed at start, a
bad entry stops the service with a message naming it."""

import ipaddress
import uuid as uuidlib

from oslo_config import cfg
import pytest

from nova_core import conf as nova_conf
from nova_core import exception
from nova_core import loading
from nova_core import network
from nova_core.network import local


def test_defaults_of_an_entry():
    net = local.parse_network('name=private,cidr=10.0.0.0/24')
    assert net.name == 'private'
    assert net.cidr == ipaddress.ip_network('10.0.0.0/24')
    assert net.gateway == ipaddress.ip_address('10.0.0.1')
    # The same uuid wherever it is computed (every API worker agrees).
    assert net.uuid == local.parse_network(
        'name=private, cidr=10.0.0.0/24').uuid
    uuidlib.UUID(net.uuid)


def test_every_key():
    uuid = str(uuidlib.uuid4())
    net = local.parse_network(
        'name=s,cidr=192.168.5.0/24,uuid=%s,gateway=192.168.5.254' % uuid)
    assert (net.uuid, str(net.gateway)) == (uuid, '192.168.5.254')


@pytest.mark.parametrize('entry, reason', [
    ('private', 'expected name='),
    ('name=x', 'name and cidr are required'),
    ('cidr=10.0.0.0/24', 'name and cidr are required'),
    ('name=x,cidr=10.0.0.0/33', 'does not appear to be'),
    ('name=x,cidr=10.0.0.1/24', 'has host bits set'),
    ('name=x,cidr=10.0.0.0/31', 'too small'),
    ('name=x,cidr=10.0.0.0/24,gateway=10.1.0.1', 'outside the range'),
    ('name=x,cidr=10.0.0.0/24,gateway=nope', 'does not appear to be'),
    ('name=x,cidr=10.0.0.0/24,uuid=nope', 'is not a uuid'),
    ('name=x,cidr=10.0.0.0/24,colour=blue', 'expected name='),
])
def test_bad_entries(entry, reason):
    with pytest.raises(exception.ConfigurationError) as info:
        local.parse_network(entry)
    assert reason in str(info.value)
    assert '[network] networks' in str(info.value)


def test_clashing_networks():
    with pytest.raises(exception.ConfigurationError) as info:
        local.parse_networks(['name=a,cidr=10.0.0.0/24',
                              'name=a,cidr=10.1.0.0/24'])
    assert 'name a is used twice' in str(info.value)


def _conf(**network):
    conf = cfg.ConfigOpts()
    nova_conf.register_opts(conf, databases=False)
    conf([], default_config_files=[])
    for name, value in network.items():
        conf.set_override(name, value, group='network')
    return conf


def test_the_embedded_default_loads_by_name():
    plugin = network.load(_conf(), database=None)
    assert isinstance(plugin, local.LocalNetwork)
    assert [net.name for net in plugin.networks] == ['private']
    assert plugin.network(None).name == 'private'
    with pytest.raises(exception.NetworkNotFound):
        plugin.network(str(uuidlib.uuid4()))


def test_a_bad_network_entry_stops_loading():
    with pytest.raises(exception.ConfigurationError) as info:
        network.load(_conf(networks=['name=x']), database=None)
    assert 'name and cidr are required' in str(info.value)


def test_unknown_or_foreign_backends_fail_fast():
    with pytest.raises(exception.PluginLoadError) as info:
        network.load(_conf(backend='neutron'), database=None)
    assert 'nova_core.network' in str(info.value)
    assert 'local' in str(info.value)

    class NotABackend:
        pass

    with pytest.raises(exception.PluginLoadError) as info:
        network.load(_conf(backend='odd'), database=None,
                     extensions=[loading.extension('odd', NotABackend)])
    assert 'not a subclass of nova_core.network.NetworkBackend' in str(
        info.value)
