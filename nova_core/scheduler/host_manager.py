"""Host states for a scheduling request, read from every enabled cell.

Placement says which provider trees can take the request; the cell
databases say what they are: the compute node record (hypervisor facts,
allocation ratios), its service (up, disabled) and, when the request has a
server group, where the group's members live. Cells are read in parallel
(``db.cells.scatter_gather_cells``) with ``[scheduler] cell_timeout``; a
cell that does not answer is left out and logged, never waited for.

What is cached, and why: the list of cells and the host aggregates (API
database) change rarely and are re-read every ``CACHE_SECONDS`` or when a
provider placement offers is unknown (a new cell or host may have come);
compute nodes and services are read on every request, because a service
going down must be seen at once and the read is one query per table per
cell; parsed JSON columns are kept per (node uuid, updated_at).
"""

import logging
import threading
import time

from nova_core.db import aggregate as aggregate_db
from nova_core.db import cell_mapping as cell_mapping_db
from nova_core.db import cells as cells_db
from nova_core.db import compute_node as compute_node_db
from nova_core.db import instance as instance_db
from nova_core.db import service as service_db
from nova_core.scheduler.filters import hints
from nova_core.scheduler import host_state as host_state_mod

LOG = logging.getLogger(__name__)

# Seconds the cell list and the aggregates are trusted.
CACHE_SECONDS = 60


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


class HostManager:
    """Builds HostState objects for the compute nodes placement offered."""

    def __init__(self, conf, cells):
        self.conf = conf
        self.cells = cells
        self._lock = threading.Lock()
        self._cells = None
        self._aggregates = {}
        self._read_at = 0.0

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

    @staticmethod
    def _read_cell(cctx, members):
        with cctx.db_connection.reader(cctx) as conn:
            nodes = compute_node_db.get_all(conn)
            services = service_db.get_all(conn)
            instances = (instance_db.get_all(conn, {'uuid': members})
                         if members else [])
        return nodes, services, instances

    def _gather(self, ctx, cells, members):
        """{cell_uuid: (nodes, services, instances)} of cells that answered."""
        answers = cells_db.scatter_gather_cells(
            ctx, cells, self.conf.scheduler.cell_timeout, self._read_cell,
            members, cells=self.cells)
        result = {}
        for cell in cells:
            answer = answers.get(cell['uuid'], cells_db.DID_NOT_RESPOND)
            if answer is cells_db.DID_NOT_RESPOND:
                LOG.warning('Cell %s (%s) did not answer within %ss; its '
                            'hosts are left out', cell.get('name'),
                            cell['uuid'], self.conf.scheduler.cell_timeout)
            elif isinstance(answer, BaseException):
                LOG.warning('Cell %s (%s) failed: %s; its hosts are left '
                            'out', cell.get('name'), cell['uuid'], answer)
            else:
                result[cell['uuid']] = answer
        return result

    def get_host_states(self, ctx, compute_uuids, spec,
                        provider_summaries=None):
        """HostStates of the compute nodes among *compute_uuids*.

        *compute_uuids* are root provider uuids from placement (a compute
        node's uuid is its root provider's); others (sharing providers) are
        ignored. *provider_summaries* give current capacity and usage.
        """
        wanted = set(compute_uuids)
        summaries = provider_summaries or {}
        cells, aggregates = self._api_cached(ctx)
        answers = self._gather(ctx, cells, _group_members(spec))
        states = []
        for cell_uuid, (nodes, services, instances) in answers.items():
            by_host = {s['host']: s for s in services
                       if _is_compute_service(s)}
            for node in nodes:
                if node.get('uuid') not in wanted:
                    continue
                state = self._state(cell_uuid, node, by_host.get(node['host']),
                                    summaries.get(node['uuid']))
                state.instances = {
                    i['uuid']: i for i in instances
                    if i.get('host') == state.host and
                    i.get('node') in (None, state.nodename)}
                state.aggregates = list(aggregates.get(state.host, ()))
                states.append(state)
        found = {state.uuid for state in states}
        if wanted - found and len(answers) == len(cells):
            # A provider with no compute node in any known cell: maybe a
            # cell was added since; read the list again next time.
            self.refresh_cells()
        return states

    def _state(self, cell_uuid, node, service, summary):
        state = host_state_mod.HostState(
            node['host'], node.get('hypervisor_hostname') or node['host'],
            node['uuid'], cell_uuid)
        state.update_from_compute_node(node)
        if summary:
            state.update_from_provider_summary(summary)
        state.update_from_service(service, self.conf.service_down_time)
        return state

    def compute_node_uuid(self, ctx, host, node=None):
        """The uuid of *host*'s compute node (*node* if it has several)."""
        cells, _aggregates = self._api_cached(ctx)
        answers = self._gather(ctx, cells, [])
        for nodes, _services, _instances in answers.values():
            for record in nodes:
                if record['host'] == host and node in (
                        None, record.get('hypervisor_hostname')):
                    return record['uuid']
        return None
