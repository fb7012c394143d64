"""[api] options: how HTTP requests are authenticated."""

from oslo_config import cfg

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
    # A new OptGroup for each ConfigOpts: oslo.config copies a registered
    # group only shallowly and keeps overrides in it, so sharing the
    # module's object would leak set_override() between configurations.
    conf.register_group(cfg.OptGroup(api_group.name, title=api_group.title,
                                     help=api_group.help))
    conf.register_opts(api_opts, group=api_group.name)


def list_opts():
    return [(api_group, api_opts)]
