"""[metrics] options: MetricsWeigher (and MetricsFilter) settings."""

from oslo_config import cfg

from nova_core.conf import groups

metrics_group = cfg.OptGroup(
    'metrics', title='Metrics options',
    help="""
Weighing hosts by the metrics their compute reports (``cpu.percent``,
``cpu.frequency``...). Nova's option names.""")

metrics_opts = [
    cfg.FloatOpt(
        'weight_multiplier',
        default=1.0,
        help="""
Multiplier of MetricsWeigher.

Possible values:
    Positive (default 1.0): prefer the hosts the weighted metrics rate
    highest; negative: the lowest; 0: ignore.

Related options:
    ``weight_setting``; a host aggregate's ``metrics_weight_multiplier``
    metadata overrides it for its hosts.
"""),
    cfg.ListOpt(
        'weight_setting',
        default=[],
        help="""
The metrics weighed and the ratio of each, as ``name=ratio`` pairs: with
``cpu.frequency=1.0,cpu.percent=-0.5`` a host weighs
``frequency * 1.0 + percent * -0.5`` before normalisation.

Possible values:
    Empty (default): the weigher gives every host 0. Malformed pairs are
    ignored with a warning.
"""),
    cfg.BoolOpt(
        'required',
        default=True,
        help="""
Whether every metric of ``weight_setting`` must be reported by a host.

Possible values:
    True (default): a host missing one makes scheduling fail with an error
    naming it (use MetricsFilter to remove such hosts beforehand);
    False: such a host weighs ``weight_of_unavailable``.
"""),
    cfg.FloatOpt(
        'weight_of_unavailable',
        default=float(-10000.0),
        help="""
The raw weight of a host missing a weighted metric when ``required`` is
False: a very negative number puts it last.
"""),
]


def register_opts(conf):
    groups.register(conf, metrics_group, metrics_opts)


def list_opts():
    return [(metrics_group, metrics_opts)]
