"""The weigher contract: rank the hosts that passed the filters.

A weigher plugin subclasses :class:`BaseHostWeigher` in one short module,
registered in the ``nova_core.scheduler.weighers`` namespace under its class
name. Each weigher gives every host a raw number; the raw numbers of one
weigher are normalised to [0, 1] over the hosts being weighed (min-max, as
Nova does; all equal gives 0), multiplied by the weigher's multiplier, and
summed over the weighers. The highest total wins::

    class FreeRAM(weighers.BaseHostWeigher):
        multiplier_option = 'ram_weight_multiplier'

        def _weigh_object(self, host_state, spec):
            return host_state.free_ram_mb

A weigher naming its ``multiplier_option`` (in ``multiplier_group``,
``filter_scheduler`` by default) gets Nova's per-aggregate override for
free: a host aggregate whose metadata has that option's name as a key sets
the multiplier of its hosts; a host in several such aggregates takes the
smallest value; a value that is not a number is ignored (logged).
"""

import logging
import operator

LOG = logging.getLogger(__name__)


def aggregate_multiplier(host_state, key, default):
    """The multiplier *key* for *host_state*: the smallest number its
    aggregates' metadata set for *key*, else *default*."""
    values = []
    for aggregate in getattr(host_state, 'aggregates', None) or ():
        raw = (aggregate.get('metadata') or {}).get(key)
        if raw is None:
            continue
        try:
            values.append(float(raw))
        except (TypeError, ValueError):
            LOG.warning('Aggregate %s: %s=%r is not a number; ignored',
                        aggregate.get('name') or aggregate.get('uuid'),
                        key, raw)
    return min(values) if values else default


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


def parse_setting(entries, option):
    """``['name=1.5', ...]`` -> ``[('name', 1.5), ...]``, in order; a
    malformed entry is logged (naming *option*) and skipped."""
    result = []
    for entry in entries or ():
        name, sep, value = str(entry).partition('=')
        name = name.strip()
        try:
            if not sep or not name:
                raise ValueError(entry)
            result.append((name, float(value.strip())))
        except ValueError:
            LOG.warning('Ignoring %r in %s: expected name=number', entry,
                        option)
    return result


class BaseHostWeigher:
    """Base class of host weighers; subclasses implement ``_weigh_object``."""

    # Fixed bounds of the normalisation, if the weigher has natural ones.
    minval = None
    maxval = None
    # The option holding the multiplier, and its group; also the aggregate
    # metadata key that overrides it per host.
    multiplier_option = None
    multiplier_group = 'filter_scheduler'

    def __init__(self, conf):
        self.conf = conf

    @property
    def name(self):
        return type(self).__name__

    def option_multiplier(self):
        """The ``multiplier_option``'s value; 1.0 if the weigher names no
        option."""
        if self.multiplier_option is None:
            return 1.0
        return getattr(self.conf[self.multiplier_group],
                       self.multiplier_option)

    def weight_multiplier(self, host_state):
        """How much this weigher counts for *host_state* (negative reverses
        its preference): the ``multiplier_option``, overridden by the
        host's aggregates; 1.0 if the weigher names no option."""
        if self.multiplier_option is None:
            return 1.0
        return aggregate_multiplier(host_state, self.multiplier_option,
                                    self.option_multiplier())

    def weight_multipliers(self, hosts):
        """``weight_multiplier`` of each of *hosts*, in order.

        The option is read once per call, not once per host (an oslo.config
        lookup per host and weigher was a fifth of a decision's time at
        10,000 hosts); only hosts in aggregates look at their metadata. A
        subclass overriding ``weight_multiplier`` keeps its own per host.
        """
        if type(self).weight_multiplier is not BaseHostWeigher.weight_multiplier:
            return [self.weight_multiplier(host) for host in hosts]
        if self.multiplier_option is None:
            return [1.0] * len(hosts)
        default = self.option_multiplier()
        return [aggregate_multiplier(host, self.multiplier_option, default)
                if getattr(host, 'aggregates', None) else default
                for host in hosts]

    def _weigh_object(self, host_state, spec):
        raise NotImplementedError

    def weigh_objects(self, hosts, spec):
        """The raw weights of *hosts*, in order (a weigher may answer for
        all hosts at once, faster than one call per host)."""
        weigh = self._weigh_object
        return [weigh(host, spec) for host in hosts]


class WeighedHost:
    """A host and its total weight."""

    __slots__ = ('obj', 'weight')

    def __init__(self, obj, weight=0.0):
        self.obj = obj
        self.weight = weight

    def __repr__(self):
        return '<WeighedHost %s: %s>' % (self.obj, self.weight)


class Ranking:
    """Hosts ranked by weight, best first; ties keep the hosts' order.

    A request mostly looks at the first few of a thousand hosts:
    ``top(k)`` and ``between(i, j)`` make WeighedHost entries for those
    positions only (``all()`` for every one).
    """

    def __init__(self, hosts, totals):
        self.hosts = hosts
        self.totals = totals
        # sorted() is stable with reverse too: equal weights keep order.
        self.order = sorted(range(len(hosts)), key=totals.__getitem__,
                            reverse=True)

    def __len__(self):
        return len(self.hosts)

    def between(self, start, stop):
        hosts, totals = self.hosts, self.totals
        return [WeighedHost(hosts[i], totals[i])
                for i in self.order[start:stop]]

    def top(self, count):
        return self.between(0, count)

    def all(self):
        return self.between(0, len(self.hosts))

    def ties_at_top(self):
        """How many hosts share the best weight."""
        if not self.hosts:
            return 0
        totals, order = self.totals, self.order
        best = totals[order[0]]
        count = 1
        while count < len(order) and totals[order[count]] == best:
            count += 1
        return count


def weigh_hosts(weighers, hosts, spec):
    """[WeighedHost] best first; ties keep the order of *hosts*
    (``rank_hosts(...).all()``)."""
    return rank_hosts(weighers, hosts, spec).all()


def rank_hosts(weighers, hosts, spec):
    """The :class:`Ranking` of *hosts*.

    A weigher with the base multiplier rule whose multiplier is 0 for
    every host adds nothing and is not asked for weights (Nova's
    num_instances weigher, by default); one with its own rule (metrics) is
    always asked, it may refuse a host.

    Each weigher adds ``multiplier * normalised`` to every host's total,
    the arithmetic of ``normalize`` then a product (the multi-create's
    incremental ranking in the scheduler manager repeats it); when no host
    is in an aggregate, the base rule's multiplier is the option's, one
    number for all hosts.
    """
    if not hosts:
        return Ranking([], [])
    totals = [0.0] * len(hosts)
    try:
        plain = not any(map(_AGGREGATES, hosts))
    except AttributeError:      # host objects of some other kind
        plain = not any(getattr(host, 'aggregates', None) for host in hosts)
    for weigher in weighers:
        base_rule = (type(weigher).weight_multiplier is
                     BaseHostWeigher.weight_multiplier)
        if plain and base_rule and (
                type(weigher).weight_multipliers is
                BaseHostWeigher.weight_multipliers):
            multiplier = weigher.option_multiplier()
            if not multiplier:
                continue
            multipliers = None
        else:
            multipliers = weigher.weight_multipliers(hosts)
            if not any(multipliers) and base_rule:
                continue
        raw = weigher.weigh_objects(hosts, spec)
        low = float(min(raw) if weigher.minval is None else weigher.minval)
        high = float(max(raw) if weigher.maxval is None else weigher.maxval)
        if high == low:
            continue        # normalised to zeros: adds nothing
        span = high - low
        if multipliers is None:
            totals = [total + multiplier * ((value - low) / span)
                      for total, value in zip(totals, raw)]
        else:
            totals = [total + multiplier * ((value - low) / span)
                      for total, multiplier, value
                      in zip(totals, multipliers, raw)]
    return Ranking(list(hosts), totals)


_AGGREGATES = operator.attrgetter('aggregates')
