"""[placement] client options: how the scheduler and computes reach placement.

The same group as the placement service's own options (nova.conf and
placement.conf both call it ``[placement]``): keystoneauth1's auth, session
and adapter options, e.g. ``auth_type = password`` with ``auth_url`` and
credentials, or ``auth_type = admin_token`` with ``endpoint`` and ``token``
against a placement using noauth2.
"""

from keystoneauth1 import loading as ks_loading
from oslo_config import cfg

GROUP = 'placement'
SERVICE_TYPE = 'placement'


def register_opts(conf):
    """Register keystoneauth1's options in ``[placement]`` (idempotent)."""
    ks_loading.register_session_conf_options(conf, GROUP)
    ks_loading.register_auth_conf_options(conf, GROUP)
    ks_loading.register_adapter_conf_options(conf, GROUP)
    conf.set_default('service_type', SERVICE_TYPE, group=GROUP)
    conf.set_default('valid_interfaces', ['internal', 'public'], group=GROUP)


def list_opts():
    # Registering auth options needs a ConfigOpts; list the plugin-independent
    # ones plus those of the plugins deployments use, as Nova does.
    opts = (ks_loading.get_session_conf_options()
            + ks_loading.get_auth_common_conf_options()
            + ks_loading.get_auth_plugin_conf_options('password')
            + ks_loading.get_adapter_conf_options(include_deprecated=False))
    seen, unique = set(), []
    for opt in opts:
        if opt.dest not in seen:
            seen.add(opt.dest)
            unique.append(opt)
    return [(cfg.OptGroup(GROUP), unique)]
