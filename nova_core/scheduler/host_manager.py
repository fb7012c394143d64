"""Host states for a scheduling request, from per-cell caches kept fresh
incrementally.

Placement says which provider trees can take the request; the cell
databases say what they are: the compute node record (hypervisor facts,
allocation ratios), its service (up, disabled), the instances on the host
(``num_instances``, ``num_io_ops``) and, when the request has a server
group or same_host / different_host hints, the instances it names.

What is cached, and why:

* the list of cells and the host aggregates (API database) change rarely
  and are re-read every ``CACHE_SECONDS`` or when a provider placement
  offers is unknown (a new cell or host may have come);
* per cell (:class:`CellCache`): its compute nodes, compute services and a
  summary of its live instances (host, node, vm and task state). A request
  reads, in every cell at once (``db.cells.scatter_gather_cells`` with
  ``[scheduler] cell_timeout``), only the rows created, updated or deleted
  since the previous read began by the database's clock (or the newest
  timestamp seen in that table, if later), less
  ``[scheduler] host_state_refresh_margin`` seconds, and the rows with an
  id above the largest seen. The rows' timestamps are written by the
  conductors and services (see db/compute_node.get_changed_since) and
  compared with the database's clock, so the scheduler's clock plays no
  part; the margin covers writers' clocks a little behind the database's
  and late commits. A cell where nothing changed costs a few empty
  queries, whenever its rows were last written. Every
  ``[scheduler] host_state_full_refresh_interval`` seconds a cell is read
  in full, the backstop for anything the incremental reads could miss.
  The cost of a request is thus proportional to what changed, not to the
  size of the cloud;
* a cell that does not answer in time keeps its last cache, marked stale
  (logged); a cell never read is left out;
* per node, a HostState "template" built from the node and service rows,
  rebuilt only when one of them changes; a request gets cheap copies
  (``HostState.copy_for_request``, copy-on-write) with placement's
  figures, the service's up state at this instant and the host's instance
  counts.
"""

import datetime
import gc
import logging
import threading
import time

from nova_core.db import aggregate as aggregate_db
from nova_core.db import base as db_base
from nova_core.db import cell_mapping as cell_mapping_db
from nova_core.db import cells as cells_db
from nova_core.db import compute_node as compute_node_db
from nova_core.db import instance as instance_db
from nova_core.db import service as service_db
from nova_core.placement_client import answer
from nova_core.scheduler.filters import hints
from nova_core.scheduler import host_state as host_state_mod
from nova_core.scheduler import shared_states

LOG = logging.getLogger(__name__)

# Seconds the cell list and the aggregates are trusted.
CACHE_SECONDS = 60

# A full read of at least this many rows is followed by settle_heap().
SETTLE_HEAP_ROWS = 5000


def settle_heap():
    """Take what is alive now out of the cyclic garbage collector's walks.

    Why: a full read leaves hundreds of thousands of long-lived objects
    (rows, host state templates), and each scheduling request allocates
    tens of thousands of short-lived ones (placement's candidates, their
    host states). CPython then ran a full collection every few requests,
    walking the whole cache each time: at 10,000 hosts that was over half
    of a request's time (benchmarks/scheduler_scale.py). One collection
    first frees any cyclic garbage, then ``gc.freeze`` parks the survivors
    in the permanent generation, which collections skip; reference
    counting still frees a parked object when its last reference goes,
    and the next settle (after the next full read) unparks everything
    first, so no garbage cycle stays parked for longer than that.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _is_compute_service(service):
    return (service.get('topic') == 'compute' or
            str(service.get('binary', '')).endswith('compute'))


def _group_members(spec):
    """Instances whose hosts the filters need: the server group's members
    and those named by the same_host / different_host hints."""
    group = spec.get('instance_group') or {}
    wanted = set(group.get('members') or ())
    for hint in ('same_host', 'different_host'):
        wanted.update(str(uuid) for uuid in hints.hint_list(spec, hint))
    return sorted(wanted)


def _note_group_hosts(spec, answers):
    """Set the request's server group ``hosts`` to where its members are,
    as the cells say now (*answers*: the member records read), plus those
    the request already chose, less the host of the instance being placed
    (a move). The API leaves them empty; Nova's conductor sets them before
    it asks the scheduler; here they come with the members' records the
    host manager reads anyway."""
    group = spec.get('instance_group')
    if not group:
        return
    members = set(group.get('members') or ())
    members.discard(spec.get('instance_uuid'))
    hosts = set(group.get('hosts') or ())
    for records in answers.values():
        for record in records:
            if record.get('host') and record.get('uuid') in members:
                hosts.add(record['host'])
    group['hosts'] = sorted(hosts)


# vm_states whose instances no longer use the host (Nova's
# ALLOW_RESOURCE_REMOVAL): not counted in num_instances / num_io_ops.
_NOT_ON_HOST = frozenset(['deleted', 'shelved_offloaded'])
_TABLES = ('nodes', 'services', 'instances')

# What a service's heartbeat writes (db.service.heartbeat).
_HEARTBEAT_FIELDS = frozenset(('report_count', 'last_seen_up', 'updated_at'))


def _only_heartbeat(old, row):
    """True if *row* differs from *old* in heartbeat fields only."""
    if old is None or old.keys() != row.keys():
        return False
    return all(value == row[key] for key, value in old.items()
               if key not in _HEARTBEAT_FIELDS)


def _newest(rows):
    """(newest created/updated/deleted timestamp, largest id) of *rows*."""
    newest, top = None, None
    for row in rows:
        for key in ('updated_at', 'created_at', 'deleted_at'):
            value = host_state_mod.parse_time(row.get(key))
            if value is not None and (newest is None or value > newest):
                newest = value
        if top is None or row['id'] > top:
            top = row['id']
    return newest, top


def _stamp(row):
    """A row's change mark, as db.base.change_mark gives it."""
    return (row['id'], row.get('created_at'), row.get('updated_at'),
            row.get('deleted_at'), bool(row.get('deleted')))


def _merge_mark(old, new):
    return tuple(n if o is None or (n is not None and n > o) else o
                 for o, n in zip(old, new))


class CellCache:
    """What the scheduler knows of one cell's hosts, kept incrementally.

    ``nodes`` {id: compute node row}, ``services`` {id: compute service
    row}, ``instances`` {uuid: (host, node, counted, io)} of live instances
    with a host, ``counts`` {(host, node): [num_instances, num_io_ops]},
    ``uuids`` {(host, node): {instance uuid}}.
    """

    def __init__(self, uuid, name=None):
        self.uuid = uuid
        self.name = name
        self.lock = threading.Lock()
        self.nodes = {}
        self.services = {}
        self.instances = {}
        self.counts = {}
        self.uuids = {}
        self.marks = {table: (None, None) for table in _TABLES}
        self.loaded = False
        self.stale = False
        self.full_at = None
        self.read_at = None
        self.clock = None      # the database's clock when the last read began
        self.settle = False    # a big full read was applied: settle_heap()
        self.reads = {'full': 0, 'incremental': 0, 'rows': 0}
        self._seq = 0
        self._applied = 0
        self._node_by_uuid = {}
        self._nodes_by_host = {}
        self._service_by_host = {}
        self._templates = {}
        self._stamps = {'nodes': {}, 'services': {}}
        self._services_of_host = {}
        self._shared_aggregates = None
        self._shared_down_time = None
        self._last_order = None     # (found, sorted); a node change drops it
        self._last_wanted = None    # (wanted set, {what is kept for it})
        self._shared = shared_states.SharedAnswer()

    # -- reading -----------------------------------------------------------

    def start_read(self, full, margin):
        """(ticket, {table: (since, after_id)}) for the next read."""
        with self.lock:
            self._seq += 1
            self.read_at = time.monotonic()
            since = {}
            for table, (newest, top) in self.marks.items():
                start = max((t for t in (newest, self.clock)
                             if t is not None), default=None)
                if start is not None:
                    start = start - datetime.timedelta(seconds=margin)
                since[table] = (start, top)
            return self._seq, (None if full else since)

    def read(self, conn, since):
        """Rows of the cell: every live one (*since* None) or the changed
        ones. Of the node and service rows in the re-read window only the
        marks (id, timestamps) are read first; the rows whose marks differ
        from the cached copy's are then read in full (a window full of
        service heartbeats costs little). First in the tuple: the
        database's clock before anything was read."""
        clock = db_base.database_utcnow(conn)
        if since is None:
            return (clock, compute_node_db.get_all(conn),
                    service_db.get_all(conn),
                    instance_db.get_host_summaries(conn))
        rows = []
        for table, module in (('nodes', compute_node_db),
                              ('services', service_db)):
            stamps = self._stamps[table]
            ids = [mark[0] for mark in module.get_change_marks(
                conn, *since[table]) if stamps.get(mark[0]) != mark]
            found = []
            for start in range(0, len(ids), 500):
                found.extend(module.get_by_ids(conn, ids[start:start + 500]))
            rows.append(found)
        return (clock, rows[0], rows[1],
                instance_db.get_summaries_changed_since(
                    conn, *since['instances']))

    def apply(self, ticket, full, clock, nodes, services, instances,
              now=None):
        """Take a read's rows (*clock*: the database's when it began);
        False if a later read was applied already."""
        with self.lock:
            if ticket <= self._applied:
                return False
            self._applied = ticket
            if full:
                self._reset()
                self.full_at = now if now is not None else time.monotonic()
                self.reads['full'] += 1
            else:
                self.reads['incremental'] += 1
            read = len(nodes) + len(services) + len(instances)
            self.reads['rows'] += read
            if full and read >= SETTLE_HEAP_ROWS:
                self.settle = True
            for row in services:
                self._take_service(row)
            for row in nodes:
                self._take_node(row)
            for row in instances:
                self._take_instance(row)
            for table, rows in zip(_TABLES, (nodes, services, instances)):
                if rows:
                    self.marks[table] = _merge_mark(self.marks[table],
                                                    _newest(rows))
            self.clock = clock
            self.loaded = True
            self.stale = False
            return True

    def _reset(self):
        self._nodes_come_or_go()
        self.nodes, self.services, self.instances = {}, {}, {}
        self.counts, self.uuids = {}, {}
        self.marks = {table: (None, None) for table in _TABLES}
        self.clock = None
        self._node_by_uuid, self._nodes_by_host = {}, {}
        self._service_by_host, self._templates = {}, {}
        self._stamps = {'nodes': {}, 'services': {}}
        self._services_of_host = {}

    def _forget_shared(self, host):
        """The instances of *host* changed: its shared states are stale."""
        for node_id in self._nodes_by_host.get(host, ()):
            uuid = self.nodes[node_id]['uuid']
            entry = self._templates.get(uuid)
            if entry is not None:
                self._drop_shared(uuid, entry)

    def _drop_shared(self, uuid, entry):
        """The shared state of node *uuid* (its template *entry*) is stale:
        the entry forgets it and the last shared answer rebuilds it."""
        entry[4] = None
        self._shared.touch(uuid)

    def _nodes_come_or_go(self):
        """The node set changed: node orders and shared answers are
        made again."""
        self._last_order = self._last_wanted = None
        self._shared.forget()

    def _forget_host_templates(self, host):
        for node_id in self._nodes_by_host.get(host, ()):
            node = self.nodes.get(node_id)
            if node is not None:
                self._templates.pop(node['uuid'], None)
                self._shared.touch(node['uuid'])

    def _take_service(self, row):
        self._stamps['services'][row['id']] = _stamp(row)
        old = self.services.get(row['id'])
        if old == row:
            return      # read again in the window, unchanged
        if _only_heartbeat(old, row):
            self._take_heartbeat(old, row)
            return
        self.services.pop(row['id'], None)
        if old is not None:
            self._forget_host_templates(old['host'])
            of_host = self._services_of_host.get(old['host'], {})
            of_host.pop(old['id'], None)
        if not row.get('deleted') and _is_compute_service(row):
            self.services[row['id']] = row
            self._services_of_host.setdefault(row['host'], {})[
                row['id']] = row
            self._forget_host_templates(row['host'])
        for host in {r['host'] for r in (old, row) if r is not None}:
            # As a full read: the last (by id) live compute service of
            # the host.
            found = self._services_of_host.get(host)
            if found:
                self._service_by_host[host] = found[max(found)]
            else:
                self._services_of_host.pop(host, None)
                self._service_by_host.pop(host, None)

    def _take_heartbeat(self, old, row):
        """A live service reported: the host states of its host stay, with
        the new time it was last seen (a cloud's heartbeats are most of
        the rows that change; rebuilding the states for each was most of a
        refresh)."""
        host = row['host']
        self.services[row['id']] = row
        self._services_of_host[host][row['id']] = row
        if self._service_by_host.get(host) is not old:
            return
        self._service_by_host[host] = row
        last = (None if row.get('forced_down')
                else host_state_mod.service_last_seen(row))
        for node_id in self._nodes_by_host.get(host, ()):
            uuid = self.nodes[node_id]['uuid']
            entry = self._templates.get(uuid)
            if entry is not None:
                entry[1] = last
                # Judged up or down on the old time.
                self._drop_shared(uuid, entry)
                entry[0].service.update(
                    (key, row.get(key)) for key in _HEARTBEAT_FIELDS)

    def _take_node(self, row):
        self._stamps['nodes'][row['id']] = _stamp(row)
        old = self.nodes.get(row['id'])
        if old == row:
            return      # read again in the window, unchanged
        if (old is not None and not row.get('deleted') and
                old['uuid'] == row['uuid']):
            self._shared.touch(row['uuid'])     # same node, new figures
        else:
            self._nodes_come_or_go()
        self.nodes.pop(row['id'], None)
        if old is not None:
            self._templates.pop(old['uuid'], None)
            if self._node_by_uuid.get(old['uuid']) == old['id']:
                del self._node_by_uuid[old['uuid']]
            ids = self._nodes_by_host.get(old['host'])
            if ids is not None:
                ids.discard(old['id'])
                if not ids:
                    del self._nodes_by_host[old['host']]
        if row.get('deleted'):
            return
        self.nodes[row['id']] = row
        self._templates.pop(row['uuid'], None)
        self._node_by_uuid[row['uuid']] = row['id']
        self._nodes_by_host.setdefault(row['host'], set()).add(row['id'])

    def _take_instance(self, row):
        uuid = row['uuid']
        old = self.instances.pop(uuid, None)
        if old is not None and not row.get('deleted') and old == (
                row['host'], row.get('node'),
                row.get('vm_state') not in _NOT_ON_HOST,
                int(row.get('vm_state') not in _NOT_ON_HOST and
                    host_state_mod.is_io_op(row))):
            self.instances[uuid] = old
            return      # read again in the window, unchanged
        if old is not None:
            host, node, counted, io = old
            self._forget_shared(host)
            key = (host, node)
            self.uuids[key].discard(uuid)
            if not self.uuids[key]:
                del self.uuids[key]
            if counted:
                figures = self.counts[key]
                figures[0] -= 1
                figures[1] -= io
                if figures == [0, 0]:
                    del self.counts[key]
        if row.get('deleted') or not row.get('host'):
            return
        counted = row.get('vm_state') not in _NOT_ON_HOST
        io = int(counted and host_state_mod.is_io_op(row))
        self._forget_shared(row['host'])
        key = (row['host'], row.get('node'))
        self.instances[uuid] = (row['host'], row.get('node'), counted, io)
        self.uuids.setdefault(key, set()).add(uuid)
        if counted:
            figures = self.counts.setdefault(key, [0, 0])
            figures[0] += 1
            figures[1] += io

    # -- host states -------------------------------------------------------

    def _template(self, node_uuid):
        """The entry of *node_uuid*: [HostState, when its service last
        reported, instance count of the stats below, stats with that
        count, shared state, its placement figures, the time the
        verdict on its service holds until]. The stats are shared by
        the requests that see that count (read-only: see
        ``HostState.copy_for_request``); the shared state is what
        read-only requests get (see ``host_states``)."""
        entry = self._templates.get(node_uuid)
        if entry is None:
            node_id = self._node_by_uuid.get(node_uuid)
            if node_id is None:
                return None
            node = self.nodes[node_id]
            template = host_state_mod.HostState(
                node['host'], node.get('hypervisor_hostname') or node['host'],
                node['uuid'], self.uuid)
            template.update_from_compute_node(node)
            service = self._service_by_host.get(node['host'])
            template.service = dict(service or {})
            template.service_disabled = bool((service or {}).get('disabled'))
            template.disabled_reason = (service or {}).get('disabled_reason')
            last_seen = (None if not service or service.get('forced_down')
                         else host_state_mod.service_last_seen(service))
            entry = self._templates[node_uuid] = [template, last_seen,
                                                  None, None, None, None,
                                                  None]
        return entry

    def host_states(self, wanted, summaries, down_time, aggregates,
                    members, now=None, read_only=False):
        """HostStates of the nodes of this cell among *wanted*.

        *summaries*: a placement_client ``ProviderSummaries``.
        *read_only*: the caller will not change them (a request for one
        instance, a dry run); a node whose figures are those of the last
        read-only request gets the same HostState again instead of a new
        copy: most of the thousand nodes of a request have not changed
        since the previous one. Placement's figures are compared on each
        request; what the cell says (a changed node or service row, an
        instance or a heartbeat of the host) drops the shared state when
        it is read (``_forget_shared``, ``_take_heartbeat``, new
        templates), the time drops it when the service's up or down
        verdict would change, and new aggregates drop every one.
        """
        now = now or datetime.datetime.utcnow()
        by_host = {}
        for record in members:
            by_host.setdefault(record.get('host'), []).append(record)
        build = shared_states.StateBuilder(self, summaries, down_time,
                                           aggregates, by_host, now)
        with self.lock:
            found = self._in_node_order(wanted)
            templates = self._templates
            if not read_only or by_host:
                return [build(templates.get(uuid) or self._template(uuid),
                              uuid) for uuid in found]
            if (aggregates is not self._shared_aggregates or
                    down_time != self._shared_down_time):
                # Aggregates are read again every CACHE_SECONDS: the same,
                # mostly.
                if (aggregates != self._shared_aggregates or
                        down_time != self._shared_down_time):
                    for entry in templates.values():
                        entry[4] = None
                    self._shared.forget()
                self._shared_aggregates = aggregates
                self._shared_down_time = down_time
            return self._shared.states(self, found, summaries, build)

    def _in_node_order(self, wanted):
        """The uuids of *wanted* that are nodes of this cell, in the order
        of a full read (by node id). Consecutive requests mostly want the
        same nodes: the last order is kept and reused for the same set
        (callers only read the list), at once for the same set object
        (see HostManager.get_host_states)."""
        kept = self._kept_for(wanted)
        if 'found' not in kept:
            found = list(filter(self._node_by_uuid.__contains__, wanted))
            order = self._last_order
            if order is None or order[0] != found:
                order = self._last_order = (found, sorted(
                    found, key=self._node_by_uuid.__getitem__))
            kept['found'] = order[1]
        return kept['found']

    def _kept_for(self, wanted):
        """What is kept for the set object *wanted* (its node order, its
        unknown uuids) until another set is asked about or nodes come or
        go."""
        if self._last_wanted is None or self._last_wanted[0] is not wanted:
            self._last_wanted = (wanted, {})
        return self._last_wanted[1]

    def unknown(self, node_uuids):
        """The uuids of *node_uuids* (a set) that are no node of this
        cell; for the set object of the last call, the same answer while
        no node came or went."""
        with self.lock:
            kept = self._kept_for(node_uuids)
            if 'unknown' not in kept:
                kept['unknown'] = frozenset(
                    node_uuids.difference(self._node_by_uuid))
            return kept['unknown']

    def instance_uuids(self, host, node=None):
        """The live instances on *host* (and *node*)."""
        with self.lock:
            found = set()
            for (h, n), uuids in self.uuids.items():
                if h == host and (node is None or n in (None, node)):
                    found |= uuids
            return found

    def find_node(self, host, node=None):
        with self.lock:
            for node_id in sorted(self._nodes_by_host.get(host, ())):
                record = self.nodes[node_id]
                if node in (None, record.get('hypervisor_hostname')):
                    return record['uuid']
        return None


class HostManager:
    """Builds HostState objects for the compute nodes placement offered."""

    def __init__(self, conf, cells):
        self.conf = conf
        self.cells = cells
        self._lock = threading.Lock()
        self._cells = None
        self._aggregates = {}
        self._read_at = 0.0
        self._caches = {}
        self._unknown = set()
        self._last_wanted = None

    def refresh_cells(self):
        """Forget the cached cells and aggregates (after host discovery)."""
        with self._lock:
            self._read_at = 0.0

    def _api_cached(self, ctx):
        """(enabled cell mappings without cell0, {host: [aggregate]})."""
        with self._lock:
            if self._cells is not None and \
                    time.monotonic() - self._read_at < CACHE_SECONDS:
                return self._cells, self._aggregates
            with self.cells.api.reader(ctx) as conn:
                mappings = cell_mapping_db.get_all(conn,
                                                   include_disabled=False)
                aggregates = aggregate_db.get_all(conn)
            self._cells = [m for m in mappings
                           if not cell_mapping_db.is_cell0(m)]
            by_host = {}
            for agg in aggregates:
                for host in agg.get('hosts') or ():
                    by_host.setdefault(host, []).append(agg)
            self._aggregates = by_host
            self._read_at = time.monotonic()
            return self._cells, self._aggregates

    def cell_cache(self, cell):
        """The CellCache of the cell mapping *cell* (created empty)."""
        with self._lock:
            cache = self._caches.get(cell['uuid'])
            if cache is None:
                cache = self._caches[cell['uuid']] = CellCache(
                    cell['uuid'], cell.get('name'))
            return cache

    def _mode(self, cache, force):
        """'full', 'incremental' or None (the cache is recent enough)."""
        group = self.conf.scheduler
        interval = group.host_state_full_refresh_interval
        now = time.monotonic()
        if (not cache.loaded or not interval or cache.full_at is None or
                now - cache.full_at >= interval):
            return 'full'
        if (force or cache.stale or cache.read_at is None or
                now - cache.read_at >= group.host_state_refresh_interval):
            return 'incremental'
        return None

    @staticmethod
    def _refresh_cell(cctx, cache, mode, margin, members):
        """In the cell's thread: read what changed (or all, or nothing,
        per *mode*) and apply it; the instances named by *members* (full
        records)."""
        ticket = since = None
        if mode is not None:
            ticket, since = cache.start_read(mode == 'full', margin)
        with cctx.db_connection.reader(cctx) as conn:
            if mode is not None:
                rows = cache.read(conn, since)
            named = (instance_db.get_all(conn, {'uuid': members})
                     if members else [])
        if mode is not None:
            cache.apply(ticket, since is None, *rows)
        return named

    def refresh(self, ctx, cells=None, members=(), full=False, force=False):
        """Bring the caches of *cells* (default: every enabled cell) up to
        date (*full*: read them in full; *force*: read the changes even if
        the last read is recent); ``{cell_uuid: [instance records of
        members]}`` of the cells whose cache can be used (stale ones
        included)."""
        if cells is None:
            cells, _aggregates = self._api_cached(ctx)
        caches = {cell['uuid']: self.cell_cache(cell) for cell in cells}
        margin = self.conf.scheduler.host_state_refresh_margin
        timeout = self.conf.scheduler.cell_timeout
        modes = {uuid: 'full' if full else self._mode(cache, force)
                 for uuid, cache in caches.items()}
        members = list(members)
        if not members and not any(modes.values()):
            return {uuid: [] for uuid in caches}

        def refresh_one(cctx):
            return self._refresh_cell(cctx, caches[cctx.cell_uuid],
                                      modes[cctx.cell_uuid], margin, members)

        answers = cells_db.scatter_gather_cells(ctx, cells, timeout,
                                                refresh_one, cells=self.cells)
        result = {}
        for cell in cells:
            cache = caches[cell['uuid']]
            answer = answers.get(cell['uuid'], cells_db.DID_NOT_RESPOND)
            failed = (answer is cells_db.DID_NOT_RESPOND or
                      isinstance(answer, BaseException))
            if failed:
                why = ('did not answer within %ss' % timeout
                       if answer is cells_db.DID_NOT_RESPOND
                       else 'failed: %s' % answer)
                if cache.loaded:
                    cache.stale = True
                    LOG.warning('Cell %s (%s) %s; using its hosts as last '
                                'read (stale)', cell.get('name'),
                                cell['uuid'], why)
                    result[cell['uuid']] = []
                else:
                    LOG.warning('Cell %s (%s) %s; its hosts are left out',
                                cell.get('name'), cell['uuid'], why)
                continue
            result[cell['uuid']] = answer
        if any(cache.settle for cache in caches.values()):
            for cache in caches.values():
                cache.settle = False
            settle_heap()
        return result

    def get_host_states(self, ctx, compute_uuids, spec,
                        provider_summaries=None, read_only=False):
        """HostStates of the compute nodes among *compute_uuids*.

        *compute_uuids* are root provider uuids from placement (a compute
        node's uuid is its root provider's); others (sharing providers) are
        ignored. *provider_summaries* give current capacity and usage
        (a placement_client ``ProviderSummaries``, or a plain dict).
        *read_only*: the caller changes none of them (see
        CellCache.host_states).
        """
        # The same roots as the last request (a compact answer sharing its
        # root index with the previous one): the same set object, whose
        # node order and unknown uuids the cell caches keep.
        key = getattr(compute_uuids, 'roots_key', None)
        last = self._last_wanted
        if key is not None and last is not None and last[0] is key:
            wanted = last[1]
        else:
            wanted = set(compute_uuids)
            self._last_wanted = None if key is None else (key, wanted)
        summaries = provider_summaries
        if not isinstance(summaries, answer.ProviderSummaries):
            summaries = answer.ProviderSummaries(summaries)
        cells, aggregates = self._api_cached(ctx)
        members = _group_members(spec)
        answers = self.refresh(ctx, cells, members)
        unknown = wanted
        for cell in cells:
            unknown = self._caches[cell['uuid']].unknown(unknown)
        if unknown - self._unknown:
            # Maybe a new compute node: read the changes now. Providers
            # still unknown (sharing ones) do not force the next time.
            answers = self.refresh(ctx, cells, members, force=True)
            self._unknown |= unknown
        _note_group_hosts(spec, answers)
        down_time = self.conf.service_down_time
        now = datetime.datetime.utcnow()
        states = []
        for cell in cells:
            if cell['uuid'] not in answers:
                continue
            states.extend(self._caches[cell['uuid']].host_states(
                wanted, summaries, down_time, aggregates,
                answers[cell['uuid']], now=now, read_only=read_only))
        if (len(states) < len(wanted) and len(answers) == len(cells) and
                wanted.difference(state.uuid for state in states)):
            # A provider with no compute node in any known cell: maybe a
            # cell was added since; read the list again next time.
            self.refresh_cells()
        return states

    def compute_node_uuid(self, ctx, host, node=None):
        """The uuid of *host*'s compute node (*node* if it has several)."""
        cells, _aggregates = self._api_cached(ctx)
        answers = self.refresh(ctx, cells)
        if not any(self._caches[c['uuid']].find_node(host, node)
                   for c in cells if c['uuid'] in answers):
            answers = self.refresh(ctx, cells, force=True)
        for cell in cells:
            if cell['uuid'] in answers:
                found = self._caches[cell['uuid']].find_node(host, node)
                if found is not None:
                    return found
        return None
