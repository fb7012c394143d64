"""PreferredAggregateWeigher: prefer the hosts of preferred aggregates.

A host's raw weight is the largest number its aggregates set under the
metadata key ``[preferred_aggregate] metadata_key`` (default ``preferred``;
``true`` counts as 1, ``false`` as 0, anything else that is not a number is
ignored); a host in no such aggregate weighs 0. As with every weigher, the
raw weights are normalised to [0, 1] over the hosts being weighed and
multiplied by ``[preferred_aggregate]
preferred_aggregate_weight_multiplier`` (negative: avoid those hosts), which
an aggregate can override for its hosts with metadata of the same name.
"""

import logging

from oslo_config import cfg

from nova_core.scheduler import weighers

from nova_core_example import _options

LOG = logging.getLogger(__name__)

GROUP = cfg.OptGroup(
    'preferred_aggregate', title='PreferredAggregateWeigher',
    help='Prefer hosts of some aggregates (the PreferredAggregateWeigher '
         'plugin).')

OPTS = [
    cfg.StrOpt(
        'metadata_key', default='preferred',
        help='Aggregate metadata key whose number (or true / false) is the '
             'preference of the hosts of the aggregate.'),
    cfg.FloatOpt(
        'preferred_aggregate_weight_multiplier', default=1.0,
        help='Multiplier of this weigher; an aggregate may override it for '
             'its hosts with metadata of this name.'),
]

_WORDS = {'true': 1.0, 'yes': 1.0, 'false': 0.0, 'no': 0.0}


def register_opts(conf):
    """Register ``[preferred_aggregate]`` on *conf*; again is harmless."""
    _options.register(conf, GROUP, OPTS)


def list_opts():
    return [(GROUP, OPTS)]


def _number(value):
    text = str(value).strip().lower()
    if text in _WORDS:
        return _WORDS[text]
    return float(text)


class PreferredAggregateWeigher(weighers.BaseHostWeigher):
    """Hosts of aggregates with a higher ``preferred`` value first."""

    multiplier_option = 'preferred_aggregate_weight_multiplier'
    multiplier_group = GROUP.name

    def __init__(self, conf):
        super().__init__(conf)
        register_opts(conf)

    def _weigh_object(self, host_state, spec):
        key = self.conf.preferred_aggregate.metadata_key
        best = 0.0
        for aggregate in getattr(host_state, 'aggregates', None) or ():
            raw = (aggregate.get('metadata') or {}).get(key)
            if raw is None:
                continue
            try:
                best = max(best, _number(raw))
            except ValueError:
                LOG.warning('Aggregate %s: %s=%r is not a number; ignored',
                            aggregate.get('name'), key, raw)
        return best
