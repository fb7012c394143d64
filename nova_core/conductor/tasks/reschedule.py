"""Cell-conductor workflow: a build failed on a compute; try the next alternate.

No new scheduler call: the scheduler already picked alternates in the same
cell. The instance's claim is moved (one placement write) from the failed
host to the first alternate whose claim holds; alternates that cannot take
it any more are skipped. When none is left the instance goes to ERROR with
a MaxRetriesExceeded fault listing every attempt's failure, and nothing
stays allocated.
"""

import logging

from nova_core.db import instance as db_instance
from nova_core import exception
from nova_core.conductor.tasks import build
from nova_core.conductor.tasks import records
from nova_core.placement_client import allocations as placement_allocations

LOG = logging.getLogger(__name__)

EVENT = 'conductor_build_instances'
# Task states an instance may be in when its compute gives it back; any
# other (deleting) means the user deleted it meanwhile.
_RESCHEDULABLE = (None, 'scheduling', 'block_device_mapping', 'networking',
                  'spawning')


def failures_with(request_spec, instance, reason):
    """The request spec's list of failed attempts, this one added."""
    failures = list((request_spec or {}).get('build_failures') or [])
    failures.append({'host': instance.get('host'),
                     'node': instance.get('node'),
                     'reason': reason})
    return failures


class RescheduleTask:
    """build_instances: move the build onto the next alternate."""

    def __init__(self, conf, placement, compute_api):
        self.conf = conf
        self.placement = placement
        self.compute_api = compute_api

    def run(self, ctx, database, instance, request_spec, host_list, reason):
        uuid = instance['uuid']
        request_spec = dict(request_spec or {})
        request_spec['build_failures'] = failures_with(request_spec,
                                                       instance, reason)
        remaining = list(host_list or [])
        while remaining:
            selection = remaining.pop(0)
            if self.move_claim(ctx, instance, selection):
                # Sent, or deleted meanwhile (claim removed): done either way.
                self.send(ctx, database, instance, request_spec, selection,
                          remaining)
                return
            LOG.info('Alternate %s cannot take instance %s any more',
                     selection['service_host'], uuid)
        self.give_up(ctx, database, instance, request_spec)

    def move_claim(self, ctx, instance, selection):
        return placement_allocations.replace_allocations(
            ctx, self.placement, instance['uuid'],
            selection['allocation_request'], instance.get('project_id'),
            instance.get('user_id'))

    def send(self, ctx, database, instance, request_spec, selection,
             remaining):
        """Point the instance at the alternate and cast its build there.

        False (claim removed) if the instance was deleted meanwhile.
        """
        uuid = instance['uuid']
        values = {'host': selection['service_host'],
                  'node': selection['nodename'], 'compute_id': None,
                  'vm_state': records.BUILDING, 'task_state': 'scheduling'}
        try:
            with database.writer(ctx) as conn:
                updated = db_instance.update(
                    conn, uuid, values, expected_task_state=_RESCHEDULABLE)
        except (exception.UnexpectedTaskStateError,
                exception.InstanceNotFound) as exc:
            LOG.info('Not rescheduling instance %s: %s', uuid, exc)
            records.remove_allocations(ctx, self.placement, uuid)
            return False
        LOG.info('Rescheduling instance %s onto %s (%d alternate(s) left)',
                 uuid, selection['service_host'], len(remaining))
        self.compute_api.build_and_run_instance(
            ctx, instance=updated, host=selection['service_host'],
            request_spec=request_spec, node=selection['nodename'],
            limits=selection.get('limits') or {}, host_list=remaining,
            allocations=build.allocations_of(selection))
        return True

    def give_up(self, ctx, database, instance, request_spec):
        uuid = instance['uuid']
        failures = request_spec['build_failures']
        summary = '; '.join('%s: %s' % (f['host'], f['reason'])
                            for f in failures)
        exc = exception.MaxRetriesExceeded(
            reason='Build of instance %s failed on every host tried (%s)' % (
                uuid, summary),
            explanation={'build_failures': failures})
        LOG.warning('%s', exc.format_message())
        records.remove_allocations(ctx, self.placement, uuid)
        try:
            with database.writer(ctx) as conn:
                records.set_error(conn, ctx, uuid, exc.format_message(),
                                  details={'build_failures': failures},
                                  event=EVENT,
                                  expected_task_state=_RESCHEDULABLE)
        except (exception.UnexpectedTaskStateError,
                exception.InstanceNotFound) as err:
            LOG.info('Instance %s moved on while its build failed: %s',
                     uuid, err)
