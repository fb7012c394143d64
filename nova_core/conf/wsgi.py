"""[wsgi] options: which WSGI apps one deployment serves, at which paths."""

from oslo_config import cfg

from nova_core.conf import groups

wsgi_group = cfg.OptGroup(
    'wsgi', title='WSGI assembly options',
    help='Which nova_core.api.apps plugins nova_core.wsgi.apps serves.')

wsgi_opts = [
    cfg.ListOpt(
        'apps',
        default=['compute:/', 'placement:/placement'],
        help="""
The apps ``nova_core.wsgi.apps:application`` serves, each as ``NAME:PATH``.

NAME is an entry point of the ``nova_core.api.apps`` namespace (``compute``,
``placement``, ``image``, or a third party's); PATH is where it is mounted.
A request goes to the app with the longest PATH that is a prefix of its
path (on a ``/`` boundary); the app sees PATH as its ``SCRIPT_NAME``, so
the links in its answers name the mounted URL.

Possible values:
    ``compute:/, placement:/placement`` (default),
    ``placement:/`` (placement alone), ``compute:/compute, image:/image``.

Related options:
    ``nova_core.wsgi.compute`` and ``nova_core.wsgi.placement`` serve one app
    each, without this option.
"""),
]


def register_opts(conf):
    groups.register(conf, wsgi_group, wsgi_opts)


def list_opts():
    return [(wsgi_group, wsgi_opts)]
