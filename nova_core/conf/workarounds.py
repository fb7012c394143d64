"""[workarounds] options that upstream placement and Nova operators may have
set."""

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
    cfg.BoolOpt(
        'disable_group_policy_check_upcall',
        default=False,
        help="""
Skip the compute's late check of a server group's policy (Nova's option).

Before it builds a member of an ``affinity`` or ``anti-affinity`` group,
a compute asks its conductor for the group's members as they are now (a
read of the API database) and hands the build back for a reschedule when
the policy would be broken: two schedulers racing can otherwise put two
anti-affinity members on one host. Set this to true in a deployment whose
cell conductors cannot read the API database; the scheduler's filters
still apply.
"""),
]


def register_opts(conf):
    conf.register_opts(workarounds_opts, 'workarounds')


def list_opts():
    return [('workarounds', workarounds_opts)]
