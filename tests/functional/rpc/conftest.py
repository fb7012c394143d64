"""Fixtures of the RPC tests: configurations and transports, in-process and RabbitMQ."""

import uuid

import pytest
from oslo_config import cfg

from nova_core import conf as nc_conf
from nova_core import rpc
from tests.rabbitmq import rabbit_node  # noqa: F401 (a fixture)
from tests.rabbitmq import shared_vhost  # noqa: F401 (a fixture)


def make_conf(transport_url=None, **overrides):
    """A registered ConfigOpts; *overrides* are ``group.option`` or DEFAULT option values."""
    conf = cfg.ConfigOpts()
    nc_conf.register_opts(conf)
    rpc.register_opts(conf)
    conf([], project='nova_core_test', default_config_files=[],
         default_config_dirs=[])
    if transport_url:
        conf.set_override('transport_url', transport_url)
    for name, value in overrides.items():
        group, _, option = name.rpartition('.')
        conf.set_override(option, value, group=group or None)
    return conf


@pytest.fixture(params=['fake', 'rabbit'])
def transport_url(request):
    """A transport URL of its own: a fresh fake:// bus, or a fresh vhost."""
    if request.param == 'fake':
        url = 'fake://test-%s/' % uuid.uuid4().hex[:12]
    else:
        url = request.getfixturevalue('shared_vhost')
    yield url
    rpc.cleanup_transports(url)
