"""Request pre-filters: turn a request into placement constraints.

Before the allocation candidates query, each enabled pre-filter may add to
the request spec's ``request_level_params`` (see constraints.py) so that
placement leaves out, in SQL, the hosts the filters would only have thrown
away one by one afterwards. One pre-filter per module::

    NAME                      its name in explanations
    enabled(conf) -> bool     whether the operator turned it on
    apply(conf, ctx, spec, aggregates) -> str or None
        adds constraints to *spec* (a copy, the caller's own), returns a
        one-line description of them (None: nothing added), or raises
        constraints.Refused when no host can take the request

``aggregates()`` returns every host aggregate of the API database (dicts
with ``uuid``, ``metadata``, ``hosts``), read at most once per request and
only if a pre-filter asks. A host aggregate acts in placement through the
placement aggregate of the same uuid on its compute nodes' providers.

Unlike filters, pre-filters are not plugins: like Nova's, they are a fixed
list, each enabled by its own option.
"""

import threading
import time

from nova_core.db import aggregate as aggregate_db
from nova_core.scheduler.request_filters import availability_zone
from nova_core.scheduler.request_filters import compute_status
from nova_core.scheduler.request_filters import constraints
from nova_core.scheduler.request_filters import image_type
from nova_core.scheduler.request_filters import isolated_aggregates
from nova_core.scheduler.request_filters import tenant_aggregate

# Order matters only for isolated_aggregates, which reads the root traits
# that image_type may have added.
ALL = (tenant_aggregate, availability_zone, image_type, compute_status,
       isolated_aggregates)

Refused = constraints.Refused


def process(conf, ctx, spec, aggregates, filters=ALL):
    """Run the enabled pre-filters on *spec* (modified in place).

    :param aggregates: callable returning every host aggregate.
    :returns: ``[{"name", "added"}]`` of the pre-filters that added
        something, for the explanation.
    :raises Refused: a pre-filter found that no host can take the request;
        ``refused_by`` names it.
    """
    cache = []

    def all_aggregates():
        if not cache:
            cache.append(list(aggregates()))
        return cache[0]

    records = []
    for module in filters:
        if not module.enabled(conf):
            continue
        try:
            added = module.apply(conf, ctx, spec, all_aggregates)
        except Refused as refused:
            refused.refused_by = module.NAME
            raise
        if added:
            records.append({'name': module.NAME, 'added': added})
    return records


class CachedAggregates:
    """Every host aggregate of the API database, re-read after *seconds*.

    Aggregates change rarely (an operator's action); reading them once a
    minute at most keeps one query per table off every request.
    """

    def __init__(self, cells, seconds=60):
        self.cells = cells
        self.seconds = seconds
        self._lock = threading.Lock()
        self._aggregates = None
        self._read_at = 0.0

    def refresh(self):
        with self._lock:
            self._aggregates = None

    def __call__(self, ctx):
        with self._lock:
            if (self._aggregates is not None and
                    time.monotonic() - self._read_at < self.seconds):
                return self._aggregates
            with self.cells.api.reader(ctx) as conn:
                self._aggregates = aggregate_db.get_all(conn)
            self._read_at = time.monotonic()
            return self._aggregates
