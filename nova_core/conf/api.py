"""[api] options: how HTTP requests are authenticated."""

from oslo_config import cfg

from nova_core.conf import groups

api_group = cfg.OptGroup(
    'api', title='API options',
    help='Options that control the HTTP APIs (placement, compute).')

api_opts = [
    cfg.StrOpt(
        'auth_strategy',
        default='keystone',
        choices=[
            ('keystone', 'Validate tokens with keystonemiddleware auth_token '
                         '(configured in [keystone_authtoken]).'),
            ('noauth2', 'Trust the X-Auth-Token header as "user[:project]"; '
                        'for testing and closed deployments only.'),
        ],
        deprecated_group='DEFAULT',
        help="""
How API requests are authenticated.

Possible values:
    keystone: tokens are validated by keystonemiddleware (install the
        ``keystone`` extra and fill in ``[keystone_authtoken]``).
    noauth2: no validation; the token "user[:project]" names the caller, the
        ``X-Roles`` header its roles (``admin`` for the user named admin).

Related options:
    ``[keystone_authtoken]`` options, ``[oslo_policy]`` options.
"""),
]


def register_opts(conf):
    groups.register(conf, api_group, api_opts)


def list_opts():
    return [(api_group, api_opts)]
