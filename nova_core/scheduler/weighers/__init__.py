"""The weigher contract: rank the hosts that passed the filters.

A weigher plugin subclasses :class:`BaseHostWeigher` in one short module,
registered in the ``nova_core.scheduler.weighers`` namespace under its class
name. Each weigher gives every host a raw number; the raw numbers of one
weigher are normalised to [0, 1] over the hosts being weighed (min-max, as
Nova does; all equal gives 0), multiplied by the weigher's multiplier, and
summed over the weighers. The highest total wins::

    class FreeRAM(weighers.BaseHostWeigher):
        def weight_multiplier(self, host_state):
            return self.conf.filter_scheduler.ram_weight_multiplier

        def _weigh_object(self, host_state, spec):
            return host_state.free_ram_mb
"""


def normalize(values, minval=None, maxval=None):
    """*values* scaled to [0, 1] between minval and maxval (their own by
    default); a list of zeros when the range is empty."""
    if not values:
        return []
    low = float(min(values) if minval is None else minval)
    high = float(max(values) if maxval is None else maxval)
    if high == low:
        return [0.0] * len(values)
    span = high - low
    return [(value - low) / span for value in values]


class BaseHostWeigher:
    """Base class of host weighers; subclasses implement ``_weigh_object``."""

    # Fixed bounds of the normalisation, if the weigher has natural ones.
    minval = None
    maxval = None

    def __init__(self, conf):
        self.conf = conf

    @property
    def name(self):
        return type(self).__name__

    def weight_multiplier(self, host_state):
        """How much this weigher counts (negative reverses its preference)."""
        return 1.0

    def _weigh_object(self, host_state, spec):
        raise NotImplementedError

    def weigh_objects(self, hosts, spec):
        """The raw weights of *hosts*, in order."""
        return [self._weigh_object(host, spec) for host in hosts]


class WeighedHost:
    """A host and its total weight."""

    def __init__(self, obj, weight=0.0):
        self.obj = obj
        self.weight = weight

    def __repr__(self):
        return '<WeighedHost %s: %s>' % (self.obj, self.weight)


def weigh_hosts(weighers, hosts, spec):
    """[WeighedHost] best first; ties keep the order of *hosts*."""
    weighed = [WeighedHost(host) for host in hosts]
    if not weighed:
        return weighed
    for weigher in weighers:
        raw = weigher.weigh_objects(hosts, spec)
        scaled = normalize(raw, weigher.minval, weigher.maxval)
        for entry, value in zip(weighed, scaled):
            entry.weight += weigher.weight_multiplier(entry.obj) * value
    # sorted() is stable, so equal weights keep the caller's order.
    return sorted(weighed, key=lambda entry: entry.weight, reverse=True)
