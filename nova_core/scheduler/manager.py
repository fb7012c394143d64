"""The scheduler service's RPC endpoint: select_destinations.

One call places every instance of a request (multi-create)::

    request pre-filters (scheduler/request_filters: zone, tenant, image
        type, disabled computes -> placement constraints)
        -> placement candidates -> host states -> filters -> weighers
        -> for each instance: the best host whose claim in placement holds,
           then up to max_attempts - 1 unclaimed alternates in its cell

Claims are made here, in placement, under the instance's uuid; if not every
instance finds a host, the claims of this call are removed and NoValidHost
is raised with an explanation of what each step left (scheduler/explain.py).
``explain`` runs the same steps for one instance without claiming anything
and returns the explanation and the ranked hosts (a dry run).
"""

import copy
import logging
import random

from nova_core import context as nc_context
from nova_core.db import host_discovery
from nova_core.db import service as db_service
from nova_core import exception
from nova_core import loading
from nova_core.placement_client import allocations
from nova_core.placement_client import candidates
from nova_core import rpc
from nova_core.scheduler import explain
from nova_core.scheduler import filters as filters_base
from nova_core.scheduler import host_manager as host_manager_mod
from nova_core.scheduler import request_filters
from nova_core.scheduler import weighers as weighers_base

LOG = logging.getLogger(__name__)

# The binary of the scheduler's service records (Nova's name).
BINARY = 'nova-scheduler'
SERVICE_VERSION = 1


class _Capacity:
    """What placement said is free, less what this call has claimed.

    Why: placement checked capacity once, for one instance. The later
    instances of a multi-create must not be sent to a tree already filled
    by the earlier ones (each such claim would only fail). Until this call
    has consumed something every allocation request fits (placement said
    so, with the figures of its provider summaries): ``consumed`` false.
    """

    def __init__(self, provider_summaries):
        # Filled lazily, per (provider, class) asked about: a request looks
        # at a few of the (up to max_placement_results) trees. The summaries
        # are a placement_client ProviderSummaries (built on use too).
        self._summaries = provider_summaries
        self._free = {}
        self.consumed = False

    def _left(self, rp, rclass):
        """Free amount of *rclass* on *rp*; None if placement said
        nothing of it."""
        key = (rp, rclass)
        left = self._free.get(key)
        if left is None and key not in self._free:
            figures = ((self._summaries.get(rp) or {}).get('resources')
                       or {}).get(rclass)
            if figures is not None:
                left = (figures.get('capacity', 0) - figures.get('used', 0))
            self._free[key] = left
        return left

    def fits(self, allocation_request):
        for rp, alloc in allocation_request['allocations'].items():
            for rclass, amount in alloc['resources'].items():
                left = self._left(rp, rclass)
                if left is not None and amount > left:
                    return False
        return True

    def consume(self, allocation_request):
        self.consumed = True
        for rp, alloc in allocation_request['allocations'].items():
            for rclass, amount in alloc['resources'].items():
                if self._left(rp, rclass) is not None:
                    self._free[(rp, rclass)] -= amount


def _plain_copy(value):
    """A deep copy of JSON-shaped *value* (what arrives over RPC: dicts,
    lists, strings, numbers). copy.deepcopy did the same with a memo and a
    dispatch per object, and cost about 3% of a decision (the request spec
    once, the allocation request of the chosen host and each alternate);
    anything other than a plain dict, list or scalar still goes to it."""
    kind = type(value)
    if kind is dict:
        return {key: _plain_copy(item) for key, item in value.items()}
    if kind is list:
        return [_plain_copy(item) for item in value]
    if value is None or kind in (str, int, float, bool):
        return value
    return copy.deepcopy(value)


def _record(name, hosts_in, removed):
    return {'name': name, 'hosts_in': hosts_in,
            'hosts_out': hosts_in - len(removed),
            'removed': [{'host': h.host, 'node': h.nodename, 'reason': why}
                        for h, why in removed[:100]]}


class SchedulerManager:
    """RPC endpoint of the scheduler (topic ``scheduler``, version 1.0)."""

    target = rpc.Target(version='1.2')
    rpc_methods = ('select_destinations', 'explain', 'update_aggregates')

    def __init__(self, conf, placement, cells, host_manager=None,
                 filters=None, weighers=None, aggregates=None):
        """*aggregates*: callable(ctx) -> every host aggregate, for the
        request pre-filters (default: read from the API database of
        *cells*, cached; none without cells)."""
        self.conf = conf
        self.placement = placement
        self.cells = cells
        if aggregates is None:
            aggregates = (request_filters.CachedAggregates(cells)
                          if cells is not None else (lambda ctx: []))
        self.aggregates = aggregates
        self.host_manager = (host_manager if host_manager is not None else
                             host_manager_mod.HostManager(conf, cells))
        group = conf.filter_scheduler
        if filters is None:
            filters = [cls(conf) for cls in loading.load_filters(
                group.enabled_filters, filters_base.BaseHostFilter)]
        if weighers is None:
            # Nova's weight_classes, when set, replaces the weighers list.
            weighers = [cls(conf) for cls in loading.load_weighers(
                group.weight_classes or group.weighers,
                weighers_base.BaseHostWeigher)]
        self.filters = list(filters)
        self.weighers = list(weighers)
        # Read-only requests filter and weigh shared host states: the last
        # verdicts and ranking are updated, not redone (filters.FilterMemo,
        # weighers.RankMemo).
        self.rank_memo = weighers_base.RankMemo()
        self.filter_memo = filters_base.FilterMemo()

    # -- service hooks -----------------------------------------------------

    def heartbeat(self, ctx):
        """The scheduler's service record, in its own [database] (cell0
        without one, as Nova's)."""
        if self.cells is None:
            return None
        with db_service.home_database(ctx, self.cells).writer(ctx) as conn:
            return db_service.report(conn, self.conf.host, BINARY,
                                     topic='scheduler',
                                     version=SERVICE_VERSION)

    def update_aggregates(self, ctx):
        """Host aggregates changed (the compute API casts this): forget the
        cached ones, so that the next request sees the change."""
        refresh = getattr(self.aggregates, 'refresh', None)
        if refresh is not None:
            refresh()
        self.host_manager.refresh_cells()

    def periodic_tasks(self):
        interval = self.conf.scheduler.discover_hosts_in_cells_interval
        if interval and interval > 0:
            return [(interval, self._discover_hosts)]
        return []

    def _discover_hosts(self, ctx=None):
        ctx = ctx or nc_context.get_admin_context(config=self.conf)
        try:
            mapped = host_discovery.discover_hosts(ctx, self.cells)
        except Exception:
            LOG.exception('Periodic host discovery failed')
            return
        if mapped:
            LOG.info('Host discovery mapped %s', mapped)
            self.host_manager.refresh_cells()

    # -- RPC ------------------------------------------------------------------

    def select_destinations(self, ctx, request_spec, instance_uuids,
                            return_alternates=True):
        """Per instance, ``[selection, alternate, ...]`` (claims made).

        Raises NoValidHost (with ``explanation``) when a pre-filter refuses
        the request, placement has no candidate or some instance finds no
        host; no claim of this call survives the exception.

        The instances of a multi-create are first placed as if every claim
        held and claimed together in one POST /allocations (a thousand
        single claims are most of a big multi-create's time); if placement
        refuses that (another scheduler took some of the capacity
        meanwhile), nothing was written and the request is placed again
        one claim at a time.
        """
        uuids = list(instance_uuids or [])
        if len(uuids) > 1:
            try:
                return self._select(ctx, request_spec, uuids,
                                    return_alternates, batch=True)
            except _BatchRefused:
                LOG.info('Claims of %d instances refused together; placing '
                         'them one claim at a time', len(uuids))
        return self._select(ctx, request_spec, uuids, return_alternates)

    def _select(self, ctx, request_spec, uuids, return_alternates,
                batch=False):
        spec = _plain_copy(request_spec)
        count = len(uuids) or int(spec.get('num_instances') or 1)
        story, prefiltered, (by_root, summaries) = self._candidates(
            ctx, spec, count)
        try:
            if not by_root:
                LOG.info('NoValidHost: %s', story.summary())
                raise story.no_valid_host()
            read_only = count == 1
            hosts, pre_records = self._host_states(ctx, spec, by_root,
                                                   summaries, read_only)
            placer = _Placer(self, ctx, spec, by_root, summaries, story,
                             pre_records, batch=batch, read_only=read_only)
            if count > 1 and _Incremental.applies(self, spec):
                placer.incremental = _Incremental(placer, hosts)
            try:
                selections = [
                    placer.place(index, uuids[index] if uuids else None,
                                 hosts, return_alternates)
                    for index in range(count)]
                placer.claim_pending()
                return selections
            except Exception:
                # All or nothing: a multi-create that does not fit holds
                # nothing.
                placer.release()
                raise
        except exception.NoValidHost as failure:
            _add_request_filters(failure.explanation, prefiltered)
            raise

    def explain(self, ctx, request_spec):
        """A dry run of one instance of *request_spec*: nothing is claimed.

        :returns: ``{"explanation": {...as in NoValidHost...},
            "hosts": [{"host", "node", "weight"}, ...]}``, every host that
            passed the filters, best first (no ``host_subset_size`` draw).
        """
        spec = _plain_copy(request_spec)
        count = int(spec.get('num_instances') or 1)
        try:
            story, prefiltered, (by_root, summaries) = self._candidates(
                ctx, spec, count)
        except exception.NoValidHost as refused:
            return {'explanation': refused.explanation, 'hosts': []}
        weighed = []
        if by_root:
            hosts, pre_records = self._host_states(ctx, spec, by_root,
                                                   summaries, read_only=True)
            placer = _Placer(self, ctx, spec, by_root, summaries, story,
                             pre_records, read_only=True)
            left, records = placer.candidates(hosts)
            passed, filter_records = filters_base.run_filters(
                self.filters, left, spec)
            story.filtered(records + filter_records)
            weighed = weighers_base.weigh_hosts(self.weighers, passed, spec)
            story.weighed_hosts(weighed)
        explanation = story.as_dict()
        _add_request_filters(explanation, prefiltered)
        return {'explanation': explanation,
                'hosts': [{'host': w.obj.host, 'node': w.obj.nodename,
                           'weight': round(float(w.weight), 6)}
                          for w in weighed]}

    def _candidates(self, ctx, spec, count):
        """Pre-filters, then placement: (story, pre-filter records,
        (allocation requests by root, provider summaries)).

        Raises NoValidHost when a pre-filter refuses the request.
        """
        try:
            prefiltered = request_filters.process(
                self.conf, ctx, spec, lambda: self.aggregates(ctx))
        except request_filters.Refused as refused:
            raise _refused(count, refused)
        in_tree = self._requested_tree(ctx, spec)
        answer = candidates.get_allocation_candidates(
            ctx, self.placement, spec,
            self.conf.scheduler.max_placement_results, in_tree=in_tree)
        story = explain.Explanation(count)
        story.placement_answer(answer)
        return story, prefiltered, (answer.by_root, answer.summaries)

    def _requested_tree(self, ctx, spec):
        destination = spec.get('requested_destination') or {}
        if not destination.get('host'):
            return None
        return self.host_manager.compute_node_uuid(
            ctx, destination['host'], destination.get('node'))

    def _host_states(self, ctx, spec, by_root, summaries, read_only=False):
        """Host states of the candidate trees, less what the spec rules out.

        *read_only*: nothing will change them (one instance to place, or a
        dry run): the host manager may hand out states it shares.
        """
        states = self.host_manager.get_host_states(
            ctx, by_root, spec, summaries, read_only=read_only)
        records = []
        missing = []
        if len(states) < len(by_root):
            found = {state.uuid for state in states}
            missing = [uuid for uuid in by_root if uuid not in found]
        if missing:
            records.append({
                'name': 'HostManager', 'hosts_in': len(by_root),
                'hosts_out': len(found),
                'removed': [{'host': None, 'node': uuid, 'reason':
                             'no compute node record in a reachable cell'}
                            for uuid in missing[:100]]})
        for name, rule in _spec_rules(spec):
            removed = [(h, why) for h in states
                       for why in [rule(h)] if why]
            if removed:
                records.append(_record(name, len(states), removed))
                gone = {id(h) for h, _why in removed}
                states = [h for h in states if id(h) not in gone]
        return states, records


def _add_request_filters(explanation, records):
    """Say in *explanation* what the pre-filters asked of placement."""
    if isinstance(explanation, dict) and records:
        explanation['request_filters'] = list(records)


def _refused(count, refused):
    """The NoValidHost of a request a pre-filter refused."""
    story = explain.Explanation(count)
    explanation = story.as_dict()
    explanation['summary'] = 'request filter %s: %s' % (
        getattr(refused, 'refused_by', '?'), refused)
    explanation['request_filters'] = [
        {'name': getattr(refused, 'refused_by', '?'),
         'refused': str(refused)}]
    LOG.info('NoValidHost: %s', explanation['summary'])
    return exception.NoValidHost(reason=explanation['summary'],
                                 explanation=explanation)


def _spec_rules(spec):
    """(name, host -> reason or None) for the spec's host restrictions."""
    ignore = set(spec.get('ignore_hosts') or ())
    force_hosts = set(spec.get('force_hosts') or ())
    force_nodes = set(spec.get('force_nodes') or ())
    destination = spec.get('requested_destination') or {}
    rules = []
    if ignore:
        rules.append(('ignore_hosts', lambda h: (
            'listed in ignore_hosts' if h.host in ignore else None)))
    if force_hosts:
        rules.append(('force_hosts', lambda h: (
            None if h.host in force_hosts else 'not in force_hosts')))
    if force_nodes:
        rules.append(('force_nodes', lambda h: (
            None if h.nodename in force_nodes else 'not in force_nodes')))
    if destination.get('host') or destination.get('cell_uuid'):
        def wanted(h):
            for key, value in (('host', h.host), ('node', h.nodename),
                               ('cell_uuid', h.cell_uuid)):
                if destination.get(key) and destination[key] != value:
                    return 'not the requested destination %s' % key
            return None
        rules.append(('requested_destination', wanted))
    return rules


class _BatchRefused(Exception):
    """Placement refused the claims of a multi-create made together."""


class _Placer:
    """The per-call state of select_destinations: claims, capacity, story.

    With *batch*, claims are only noted (``pending``) and made together by
    ``claim_pending``, which raises _BatchRefused if placement refuses.
    With *read_only* (one instance: no later instance needs the chosen
    host's state to show it) the host states are not changed.
    """

    def __init__(self, manager, ctx, spec, by_root, summaries, story,
                 pre_records, batch=False, read_only=False):
        self.manager = manager
        self.conf = manager.conf
        self.ctx = ctx
        self.spec = spec
        self.by_root = by_root
        self.capacity = _Capacity(summaries)
        self.story = story
        self.pre_records = pre_records
        self.claimed = []
        self.pending = [] if batch else None
        self.refused = set()
        self.incremental = None
        self.read_only = read_only

    def release(self):
        """Remove every claim this call made (all or nothing)."""
        for uuid in self.claimed:
            try:
                allocations.remove_allocations(
                    self.ctx, self.manager.placement, uuid)
            except exception.NovaCoreException:
                LOG.exception('Could not remove the claim of %s', uuid)
        self.claimed = []

    def _fitting_request(self, host):
        requests = self.by_root.get(host.uuid, ())
        if not self.capacity.consumed:
            return requests[0] if requests else None
        for request in requests:
            if self.capacity.fits(request):
                return request
        return None

    def candidates(self, hosts):
        """Hosts still worth trying for the next instance, and the record."""
        if not self.refused and not self.capacity.consumed:
            # Every host stands for a tree placement offered, and nothing
            # was taken from any yet.
            return list(hosts), list(self.pre_records)
        removed, left = [], []
        for host in hosts:
            if host.uuid in self.refused:
                removed.append((host, 'placement refused a claim earlier '
                                      'in this request'))
            elif self._fitting_request(host) is None:
                removed.append((host, 'no capacity left after the earlier '
                                      'instances of this request'))
            else:
                left.append(host)
        records = list(self.pre_records)
        if removed:
            records.append(_record('PlacementCapacity', len(hosts), removed))
        return left, records

    def _ordered(self, ranking):
        """Nova's choice: a random one of the best host_subset_size first
        (with shuffle_best_same_weighed_hosts, the hosts sharing the best
        weight shuffled before), then the rest of *ranking* (a
        weighers.Ranking) in its order."""
        group = self.conf.filter_scheduler
        count = len(ranking)
        size = max(1, min(group.host_subset_size, count))
        ties = (ranking.ties_at_top()
                if group.shuffle_best_same_weighed_hosts else 1)
        # Enough for the choice and a claim race or two; the rest is
        # made only if those claims fail (_Ordered).
        head = max(size, ties) + self.conf.scheduler.max_attempts
        weighed = ranking.top(head)
        if group.shuffle_best_same_weighed_hosts and weighed:
            best = [w for w in weighed if w.weight == weighed[0].weight]
            random.shuffle(best)
            weighed = best + weighed[len(best):]
        if weighed:
            chosen = random.choice(weighed[:size])
            weighed.remove(chosen)
            weighed.insert(0, chosen)
        return _Ordered(weighed, ranking)

    def place(self, index, instance_uuid, hosts, return_alternates):
        """[selection, alternates...] for one instance, claim made."""
        if self.incremental is not None:
            ordered = self._ordered(self.incremental.weighed())
            found = self._take_first(index, instance_uuid, ordered,
                                     return_alternates)
            if found is not None:
                return found
            # Nothing fits: the full steps below, for an exact explanation.
        left, records = self.candidates(hosts)
        passed, filter_records = filters_base.run_filters(
            self.manager.filters, left, self.spec,
            memo=self.manager.filter_memo if self.read_only else None)
        self.story.filtered(records + filter_records)
        ranking = weighers_base.rank_hosts(
            self.manager.weighers, passed, self.spec,
            memo=self.manager.rank_memo if self.read_only else None)
        self.story.weighed_hosts(ranking.top(explain.TOP_WEIGHED))
        ordered = self._ordered(ranking)
        found = self._take_first(index, instance_uuid, ordered,
                                 return_alternates)
        if found is not None:
            return found
        LOG.info('NoValidHost for instance %d of %d: %s', index + 1,
                 self.story.instances_requested, self.story.summary())
        raise self.story.no_valid_host()

    def _take_first(self, index, instance_uuid, ordered, return_alternates):
        """[selection, alternates...] on the first of *ordered* whose
        claim holds, or None."""
        for position, entry in enumerate(ordered):
            host = entry.obj
            request = self._fitting_request(host)
            if not self._claim(instance_uuid, host, request):
                if self.incremental is not None:
                    self.incremental.refused(host)
                continue
            self.capacity.consume(request)
            if not self.read_only:
                host.consume_from_request(self.spec, request, instance_uuid)
            if self.incremental is not None:
                self.incremental.consumed(host, request)
            self._remember_in_group(host, instance_uuid)
            self.story.instances_placed = index + 1
            selected = self._selection(host, request)
            if not return_alternates:
                return [selected]
            return [selected] + self._alternates(host,
                                                 ordered.without(position))
        return None

    def _owner(self):
        return (self.spec.get('project_id') or self.ctx.project_id,
                self.spec.get('user_id') or self.ctx.user_id)

    def claim_pending(self):
        """Make the claims noted in batch mode, all in one write."""
        if not self.pending:
            return
        project_id, user_id = self._owner()
        if not allocations.claim_many(self.ctx, self.manager.placement,
                                      self.pending, project_id, user_id):
            raise _BatchRefused()
        self.claimed.extend(uuid for uuid, _request in self.pending)
        self.pending = []

    def _claim(self, instance_uuid, host, request):
        if instance_uuid is None:
            return True
        if self.pending is not None:
            self.pending.append((instance_uuid, request))
            return True
        project_id, user_id = self._owner()
        if allocations.claim_resources(
                self.ctx, self.manager.placement, instance_uuid, request,
                project_id, user_id, consumer_generation=None):
            self.claimed.append(instance_uuid)
            return True
        self.story.claim_conflicts += 1
        self.refused.add(host.uuid)
        return False

    def _remember_in_group(self, host, instance_uuid):
        # The next instances of this call must see this one in its group.
        group = self.spec.get('instance_group')
        if not group:
            return
        group.setdefault('hosts', [])
        if host.host not in group['hosts']:
            group['hosts'].append(host.host)
        group.setdefault('members', [])
        if instance_uuid and instance_uuid not in group['members']:
            group['members'].append(instance_uuid)

    def _alternates(self, selected_host, ordered):
        wanted = self.conf.scheduler.max_attempts - 1
        result = []
        for entry in ordered:
            if len(result) >= wanted:
                break
            host = entry.obj
            if (host.cell_uuid != selected_host.cell_uuid or
                    host.uuid in self.refused):
                continue
            request = self._fitting_request(host)
            if request is not None:
                result.append(self._selection(host, request))
        return result

    @staticmethod
    def _selection(host, request):
        return {
            'service_host': host.host,
            'nodename': host.nodename,
            'compute_node_uuid': host.uuid,
            'cell_uuid': host.cell_uuid,
            'allocation_request': _plain_copy(request),
            'allocation_request_version': candidates.CANDIDATES_VERSION,
            'limits': {},
        }


class _Ordered:
    """The hosts of a request in the order they are tried: *head* (list of
    WeighedHost, the chosen one first), then the rest of *ranking* from
    len(head) on, whose entries are made only when reached."""

    def __init__(self, head, ranking):
        self._head = head
        self._ranking = ranking

    def __len__(self):
        return len(self._ranking)

    def __iter__(self):
        yield from self._head
        start = len(self._head)
        while start < len(self._ranking):
            # Claims failed on every host so far: a bigger slice each time.
            stop = min(len(self._ranking), max(start * 2, start + 1))
            yield from self._ranking.between(start, stop)
            start = stop

    def without(self, position):
        """Every entry but the one at *position*, in order."""
        return (entry for at, entry in enumerate(self) if at != position)


class _Incremental:
    """The filter and weigh steps of a multi-create, kept across its
    instances: what placing one instance changes is one host's state and
    the free capacity of the providers of its claim, so only the hosts
    touched are filtered and weighed again; the normalisation, the sum of
    the weights and the order are redone in full, in the same order and
    arithmetic as ``weighers.rank_hosts``, so the ranking is the same as
    running every step again (Nova does, and takes minutes at 1,000
    instances). Used only when the answers cannot depend on the other
    instances of the request: no server group, filters that judge one host
    at a time (the base ``filter_all``, or ``HOST_BY_HOST``).
    """

    def __init__(self, placer, hosts):
        self.placer = placer
        self.spec = placer.spec
        self.hosts = list(hosts)
        rebuild = filters_base.is_rebuild(self.spec)
        self.filters = [f for f in placer.manager.filters
                        if not (rebuild and not f.RUN_ON_REBUILD) and
                        not f.passes_all(self.spec)]
        self.weighers = placer.manager.weighers
        self.roots_of = {}     # provider -> roots whose requests use it
        for root, requests in placer.by_root.items():
            for request in requests:
                for rp in request['allocations']:
                    self.roots_of.setdefault(rp, set()).add(root)
        self.fit = {}          # id(host) -> fitting request or None
        self.passes = {}       # id(host) -> passes every filter
        self.raw = [{} for _w in self.weighers]
        self.multipliers = [{} for _w in self.weighers]
        self.out = set()       # id(host) refused by placement
        self.ok = None         # per host (in order): a candidate now
        self.dirty = set()     # id(host) to look at again
        self.dirty_roots = set()

    @staticmethod
    def applies(manager, spec):
        if spec.get('instance_group'):
            return False
        return all(f.HOST_BY_HOST or type(f).filter_all is
                   filters_base.BaseHostFilter.filter_all
                   for f in manager.filters)

    def refused(self, host):
        self.out.add(id(host))
        self.dirty.add(id(host))

    def consumed(self, host, request):
        """*host* took an instance with *request*: what to look at again."""
        key = id(host)
        self.passes.pop(key, None)
        for raw in self.raw:
            raw.pop(key, None)
        self.dirty.add(key)
        for rp in request['allocations']:
            self.dirty_roots |= self.roots_of.get(rp, set())

    def _candidate(self, host):
        key = id(host)
        if key in self.out:
            return False
        if key not in self.fit or host.uuid in self.dirty_roots:
            self.fit[key] = self.placer._fitting_request(host)
        if self.fit[key] is None:
            return False
        passes = self.passes.get(key)
        if passes is None:
            passes = self.passes[key] = all(
                f.host_passes(host, self.spec) for f in self.filters)
        return passes

    def weighed(self):
        """The weighers.Ranking of the hosts that are left and pass the
        filters, as rank_hosts would give it."""
        if self.ok is None:
            self.ok = [self._candidate(host) for host in self.hosts]
        elif self.dirty or self.dirty_roots:
            for position, host in enumerate(self.hosts):
                if id(host) in self.dirty or host.uuid in self.dirty_roots:
                    self.ok[position] = self._candidate(host)
        self.dirty, self.dirty_roots = set(), set()
        passed = [host for host, ok in zip(self.hosts, self.ok) if ok]
        totals = [0.0] * len(passed)
        keys = [id(host) for host in passed]
        for weigher, raw, multipliers in zip(self.weighers, self.raw,
                                             self.multipliers):
            missing = [host for host in passed if id(host) not in raw]
            if missing:
                for host, value in zip(missing, weigher.weigh_objects(
                        missing, self.spec)):
                    raw[id(host)] = value
            unknown = [host for host in missing
                       if id(host) not in multipliers]
            for host, multiplier in zip(
                    unknown, weigher.weight_multipliers(unknown)):
                multipliers[id(host)] = multiplier
            scaled = weighers_base.normalize(
                [raw[key] for key in keys], weigher.minval, weigher.maxval)
            totals = [total + multipliers[key] * value
                      for total, key, value in zip(totals, keys, scaled)]
        return weighers_base.Ranking(passed, totals)
