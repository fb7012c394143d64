"""[workarounds] options that upstream placement operators may have set."""

from oslo_config import cfg

workarounds_opts = [
    cfg.BoolOpt(
        'optimize_for_wide_provider_trees',
        default=False,
        help="""
Accepted for placement.conf compatibility; has no effect in nova_core.

Upstream placement uses this switch to load provider summaries with fewer,
wider SQL queries when trees have very many providers. nova_core answers
``GET /allocation_candidates`` from an in-memory engine kept fresh by a
change log, so there is no per-request SQL to tune: wide trees are fast
either way.
"""),
]


def register_opts(conf):
    conf.register_opts(workarounds_opts, 'workarounds')


def list_opts():
    return [('workarounds', workarounds_opts)]
