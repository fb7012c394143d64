"""``nova-core-aio``: a whole cloud in one process, for trying nova_core out.

    nova-core-aio [--state-dir DIR] [--compute-port 8774] [--placement-port 8778]
                  [--listen 127.0.0.1] [--computes 3]
                  [--transport-url URL] [--database-connection URL]
                  [--config-file FILE]

Placement, the compute API (with the image catalogue at ``/image``), the
scheduler, the conductors and a few fake computes, on the embedded default:
SQLite files under the state directory and the in-process transport. The
first start creates the databases, the flavors m1.tiny to m1.large and the
image ``cirros``; later starts reuse the state. ``STATE_DIR/clouds.yaml``
names the cloud ``nova-core`` for the standard clients::

    export OS_CLIENT_CONFIG_FILE=STATE_DIR/clouds.yaml
    openstack --os-cloud nova-core server list

Authentication is noauth2 unless a config file says otherwise (the token
``admin`` is an admin); ``/identity/v3`` on the compute port is a Keystone
stand-in that hands out such tokens with a service catalog, for the
clients. SIGTERM and Ctrl-C stop it cleanly (exit status 0);
a start-up failure exits with status 1, a bad command line with 2.
"""

import logging
import os
import sys

from oslo_config import cfg

from nova_core.api import noauth_identity
from nova_core.api import urlmap
from nova_core.cmd import allinone
from nova_core.cmd import config
from nova_core.cmd import httpserver
from nova_core import conf as nova_conf
from nova_core import exception
from nova_core import rpc

LOG = logging.getLogger(__name__)
NAME = 'nova-core-aio'
CLOUD = 'nova-core'
# Where the compute port serves the image API (Glance v2 under it) and
# the identity stand-in the clients log in to.
IMAGE_PATH = '/image'
IDENTITY_PATH = '/identity'
REGION = 'RegionOne'
# The fake computes' capacity: small enough that "more servers than fit"
# is a handful (per host: 16 VCPU at the default 4.0 ratio, 12 GiB of RAM
# less 512 MiB reserved, 100 GiB of disk: one m1.large, five m1.small).
FAKE_HOST = {'vcpus': 4, 'memory_mb': 12288, 'local_gb': 100}

cli_opts = [
    cfg.PortOpt('compute-port', default=8774, metavar='PORT',
                help='Port of the compute API (and the image API at '
                     '%s); default 8774.' % IMAGE_PATH),
    cfg.PortOpt('placement-port', default=8778, metavar='PORT',
                help='Port of the placement API; default 8778.'),
    cfg.StrOpt('listen', default='127.0.0.1', metavar='ADDRESS',
               help='Address both APIs listen on; default 127.0.0.1.'),
    cfg.IntOpt('computes', default=3, min=1, metavar='N',
               help='Fake compute hosts (cell1-host1, ...); default 3.'),
    cfg.IntOpt('threads', default=16, min=1, metavar='N',
               help='Worker threads per HTTP port; default 16.'),
    cfg.StrOpt('database-connection', dest='aio_database_connection',
               metavar='URL', help='A real database for cell1 (e.g. '
                    'mysql+pymysql://nova:pw@db/nova); the API database, '
                    'cell0 and placement are its siblings nova_api, '
                    'nova_cell0, nova_placement, which must exist. '
                    'Default: SQLite files in the state directory.'),
    cfg.StrOpt('transport-url', dest='aio_transport_url', metavar='URL',
               help='A real message bus (rabbit://...) for every service; '
                    'default: in-process.'),
]


def _conf_maker(files):
    """``make_conf(overrides, databases)`` reading the same *files*."""
    def make_conf(overrides, databases):
        conf = cfg.ConfigOpts()
        nova_conf.register_opts(conf, databases=databases)
        rpc.register_opts(conf)
        nova_conf.set_defaults(conf)
        conf([], project='nova_core', default_config_files=list(files))
        for (group, name), value in overrides.items():
            conf.set_override(name, value, group=group)
        return conf
    return make_conf


def clouds_yaml(urls, user='admin'):
    """The text of a clouds.yaml naming this cloud for the clients.

    A password login at the identity stand-in (``api.noauth_identity``) on
    the compute port: any password, the token is noauth2's ``user:project``
    and the catalog names compute, image and placement, like a Keystone's
    would, so that every client finds each service the usual way (and
    finds no block storage or network service).
    """
    return '\n'.join([
        '# Written by nova-core-aio on every start; for the standard clients:',
        '#   export OS_CLIENT_CONFIG_FILE=<this file>',
        '#   openstack --os-cloud %s server list' % CLOUD,
        '# No Keystone: %s is a stand-in that gives any password the noauth2'
        % urls['identity'],
        '# token "user:project" (the user named admin is an admin).',
        'clouds:',
        '  %s:' % CLOUD,
        '    auth_type: password',
        '    auth:',
        '      auth_url: %s' % urls['identity'],
        '      username: %s' % user,
        '      password: %s' % user,
        '      project_name: %s' % user,
        '      user_domain_name: Default',
        '      project_domain_name: Default',
        '    identity_api_version: 3',
        '    region_name: %s' % REGION,
        '',
    ])


def catalog(urls):
    """The services the identity stand-in lists."""
    return [noauth_identity.catalog_entry(kind, name, urls[key], REGION)
            for kind, name, key in (('compute', 'nova', 'compute'),
                                    ('image', 'glance', 'image'),
                                    ('placement', 'placement', 'placement'),
                                    ('identity', 'keystone', 'identity'))]


def _urls(listen, compute_port, placement_port):
    host = '127.0.0.1' if listen in ('0.0.0.0', '::', '') else listen
    if ':' in host:
        host = '[%s]' % host
    compute = 'http://%s:%d' % (host, compute_port)
    return {'compute': compute + '/v2.1',
            'image': compute + IMAGE_PATH,
            'identity': compute + IDENTITY_PATH + '/v3',
            'placement': 'http://%s:%d' % (host, placement_port)}


def build(conf):
    """The cloud of *conf* (not started)."""
    os.makedirs(conf.state_path, exist_ok=True)
    overrides = {(None, 'state_path'): os.path.abspath(conf.state_path),
                 ('api', 'auth_strategy'): conf.api.auth_strategy}
    if conf.aio_transport_url:
        overrides[(None, 'transport_url')] = conf.aio_transport_url
    cloud = allinone.AllInOne(
        _conf_maker(conf.config_file),
        overrides, cells=1, hosts_per_cell=conf.computes,
        transport_url=conf.aio_transport_url,
        database_connection=conf.aio_database_connection,
        host_extra={'*': {('fake_driver', name): value
                          for name, value in FAKE_HOST.items()}})
    return cloud


def _serve(conf, cloud):
    """Start the services and both ports; run until a signal."""
    cloud.start()
    urls = _urls(conf.listen, conf.compute_port, conf.placement_port)
    compute = urlmap.assemble(
        cloud.api_conf, [('compute', ''), ('image', IMAGE_PATH),
                         ('identity', IDENTITY_PATH)],
        built={'compute': cloud.compute_app(),
               'identity': noauth_identity.make_app(catalog(urls))})
    servers = []
    try:
        for app, port, name in (
                (compute, conf.compute_port, 'compute'),
                (cloud.placement_app, conf.placement_port, 'placement')):
            server = httpserver.HTTPServer(app, conf.listen, port,
                                           conf.threads, name)
            server.start()
            servers.append(server)
        path = os.path.join(conf.state_path, 'clouds.yaml')
        with open(path, 'w') as f:
            f.write(clouds_yaml(urls))
        print(banner(urls, path, conf.state_path), flush=True)
        httpserver.wait_for_signal()
    finally:
        for server in servers:
            server.stop()


def banner(urls, clouds_path, state_path):
    return '\n'.join([
        '',
        '%s is running (state: %s)' % (NAME, state_path),
        '  compute API    %s/' % urls['compute'],
        '  image API      %s/' % urls['image'],
        '  identity       %s (a stand-in: noauth2 tokens)' % urls['identity'],
        '  placement API  %s/' % urls['placement'],
        'Use it with the standard clients:',
        '  export OS_CLIENT_CONFIG_FILE=%s' % clouds_path,
        '  openstack --os-cloud %s server create --flavor m1.tiny '
        '--image cirros --wait vm1' % CLOUD,
        '  openstack --os-cloud %s server list' % CLOUD,
        '  openstack --os-cloud %s resource provider list' % CLOUD,
        'or curl (noauth2: the token is user[:project], admin is admin):',
        '  curl -H "X-Auth-Token: admin" %s/flavors' % urls['compute'],
        'Ctrl-C stops it.',
        '',
    ])


def main(argv=None):
    try:
        conf = config.load(sys.argv[1:] if argv is None else argv, cli_opts,
                           description='Run a whole nova_core cloud in one '
                                       'process.')
        conf.set_default('auth_strategy', 'noauth2', group='api')
        config.validate(conf)
    except (cfg.Error, exception.ConfigurationError) as exc:
        print('%s: %s' % (NAME, exc), file=sys.stderr)
        return 2
    cloud = None
    try:
        cloud = build(conf)
        _serve(conf, cloud)
    except Exception as exc:  # name the problem in one line, not a trace
        message = (exc.format_message()
                   if isinstance(exc, exception.NovaCoreException)
                   else '%s: %s' % (type(exc).__name__, exc))
        LOG.debug('start-up failed', exc_info=True)
        print('%s: cannot start: %s' % (NAME, message), file=sys.stderr)
        return 1
    finally:
        if cloud is not None:
            cloud.stop()
    LOG.info('%s stopped', NAME)
    return 0


if __name__ == '__main__':
    sys.exit(main())
