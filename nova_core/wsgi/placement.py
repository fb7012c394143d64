"""``nova_core.wsgi.placement:application`` for mod_wsgi, uwsgi, gunicorn.

The configuration files are ``$NOVA_CORE_CONFIG_FILE`` if set (several may
be given, separated by commas); else ``placement.conf`` and ``nova_core.conf``
in ``$NOVA_CORE_CONFIG_DIR`` or ``$OS_PLACEMENT_CONFIG_DIR``; else every
``placement.conf`` and ``nova_core.conf`` found in /etc, /etc/nova_core, ~
and ~/.nova_core (later files win). The application is built at import.
"""

import os

from nova_core.cmd import config
from nova_core.placement import deploy


def _config_files():
    named = os.environ.get('NOVA_CORE_CONFIG_FILE')
    if named:
        return [f for f in named.split(',') if f]
    for env in ('NOVA_CORE_CONFIG_DIR', 'OS_PLACEMENT_CONFIG_DIR'):
        directory = os.environ.get(env)
        if directory:
            return [os.path.join(directory, name)
                    for name in ('placement.conf', 'nova_core.conf')
                    if os.path.exists(os.path.join(directory, name))]
    return (config.default_config_files('placement.conf') +
            config.default_config_files('nova_core.conf'))


def init_application():
    argv = []
    for path in _config_files():
        argv += ['--config-file', path]
    conf = config.load(argv, config_name='nova_core.conf')
    return deploy.make_app(conf)


application = init_application()
