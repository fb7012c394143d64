"""Every option of the plugin, for ``oslo-config-generator --namespace
nova_core_example`` (the ``oslo.config.opts`` entry point)."""

from nova_core_example import maintenance_filter
from nova_core_example import preferred_aggregate_weigher


def register_opts(conf):
    """Register every option group of the plugin on *conf*."""
    maintenance_filter.register_opts(conf)
    preferred_aggregate_weigher.register_opts(conf)


def list_opts():
    return (maintenance_filter.list_opts() +
            preferred_aggregate_weigher.list_opts())
