"""How this plugin registers its option groups (the hook README.md documents).

nova_core validates the options it knows before it builds the services, so
a plugin's own values would otherwise be converted lazily, the first time a
request reads them. ``register`` reads every option of the group once, so
that a malformed value stops the scheduler at start, with nova_core's
``ConfigurationError`` (the scheduler prints it and exits 1).
"""

from oslo_config import cfg

from nova_core.conf import groups
from nova_core import exception


def register(conf, group, opts):
    """Register *opts* in *group* on *conf* (again: harmless), then read
    them all; raises ``exception.ConfigurationError`` naming the option."""
    # A fresh OptGroup per ConfigOpts: oslo.config keeps set_override()
    # values in the registered group object, so sharing the module's
    # GROUP between configurations would leak them.
    groups.register(conf, group, opts)
    for opt in opts:
        try:
            getattr(conf[group.name], opt.dest)
        except (cfg.ConfigFileValueError, ValueError) as exc:
            raise exception.ConfigurationError(
                reason='[%s] %s: %s (config files: %s)' % (
                    group.name, opt.name, exc.__context__ or exc,
                    ', '.join(conf.config_file) or 'none')) from exc
