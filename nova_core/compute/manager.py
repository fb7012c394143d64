"""ComputeManager: the compute service's RPC endpoint and its periodic work.

It owns one virt driver and reaches its cell database only through the
conductor (``compute.objects``). Builds run in their own threads (at most
``max_concurrent_builds`` at a time) so that the RPC cast returns at once.
A build walks Nova's task states (scheduling -> None -> networking ->
block_device_mapping -> spawning -> None) and ends ACTIVE; a failed spawn
is cleaned up and handed back to the cell conductor (``build_instances``)
with the remaining alternates, or, when none is left, ends in ERROR with a
fault and without allocations.
"""

import contextlib
import logging
import threading

from oslo_utils import timeutils

from nova_core import context as nova_context
from nova_core import exception
from nova_core import rpc
from nova_core.compute import group_policy
from nova_core.compute import objects
from nova_core.compute import resource_tracker
from nova_core.compute import states
from nova_core.placement_client import providers

LOG = logging.getLogger(__name__)

BINARY = 'nova-compute'
TOPIC = 'compute'
# The RPC API this endpoint serves (compute/rpcapi.py sends up to it).
RPC_API_VERSION = '1.2'
# services.version of this code (bumped with behaviour other services see).
SERVICE_VERSION = 1

EVENT_BUILD = 'compute_build_and_run_instance'
EVENT_TERMINATE = 'compute_terminate_instance'
EVENT_START = 'compute_start_instance'
EVENT_STOP = 'compute_stop_instance'
EVENT_REBOOT = 'compute_reboot_instance'

RESTARTED_DURING_BUILD = 'compute restarted during build'

_BUILD_STEPS = (
    (states.NETWORKING, (None,)),
    (states.BLOCK_DEVICE_MAPPING, (states.NETWORKING,)),
    (states.SPAWNING, (states.BLOCK_DEVICE_MAPPING,)),
)


class _BuildAborted(Exception):
    """The instance was deleted (or moved on) while it was being built."""


class ComputeManager:
    """RPC endpoint of topic ``compute`` (server = host).

    :param driver: a ``virt.driver.ComputeDriver``.
    :param conductor_api: ``conductor.rpcapi.ConductorAPI`` or anything with
        ``object_action(ctx, objname, method, **kw)`` and
        ``build_instances(ctx, instance, request_spec, host_list, reason)``.
    :param placement: a ``placement_client.PlacementClient``.
    """

    target = rpc.Target(version=RPC_API_VERSION)
    rpc_methods = frozenset(('build_and_run_instance', 'terminate_instance',
                             'start_instance', 'stop_instance',
                             'reboot_instance', 'set_host_enabled'))

    def __init__(self, conf, host, driver, conductor_api, placement,
                 binary=BINARY):
        self.conf = conf
        self.host = host
        self.driver = driver
        self.conductor_api = conductor_api
        self.placement = placement
        self.binary = binary
        self.objects = objects.ObjectProxy(conductor_api, host)
        self.resource_tracker = resource_tracker.ResourceTracker(
            conf, host, driver, self.objects, placement)
        self.service = None
        limit = conf.max_concurrent_builds
        self._build_slots = threading.BoundedSemaphore(limit) if limit else None
        self._builds = {}   # instance uuid -> Thread
        self._builds_lock = threading.Lock()
        # Server group members are checked and admitted one at a time.
        self._group_lock = threading.Lock()

    def _admin_context(self):
        return nova_context.get_admin_context(config=self.conf)

    # -- service hooks (never reachable over RPC: rpc.SERVICE_HOOKS) -----------
    def init_host(self, ctx=None):
        """Start the driver, register the service, clean up after a crash."""
        ctx = ctx or self._admin_context()
        self.driver.init_host()
        self._wait_for_conductor(ctx)
        self._recover_instances(ctx)
        self.resource_tracker.update_available_resource(ctx)

    def _wait_for_conductor(self, ctx):
        # A compute may come up before its cell's conductor (a host reboot,
        # a deployment starting everything at once): registering the
        # service is the first call, so it waits here instead of exiting.
        attempt = 0
        while True:
            try:
                return self._ensure_service(ctx)
            except exception.MessagingTimeout as exc:
                attempt += 1
                LOG.warning('The conductor did not answer (%s); compute %s '
                            'waits for it (attempt %d)',
                            exc.format_message(), self.host, attempt)

    def cleanup(self, timeout=None):
        """Stop the driver and wait (up to *timeout*) for running builds."""
        self.driver.cleanup()
        self.wait_for_builds(timeout)

    def heartbeat(self, ctx=None):
        """Report this service alive (services row, through the conductor)."""
        ctx = ctx or self._admin_context()
        if self.service is None:
            self._ensure_service(ctx)
            return self.service
        try:
            self._set_service(self.objects.service_heartbeat(
                ctx, self.service['id']) or self.service)
        except exception.ServiceNotFound:
            # Deleted by an operator: come back as a new service.
            self.service = None
            self._ensure_service(ctx)
        return self.service

    def periodic_tasks(self):
        """[(interval seconds, callable)] for nova_core.service.Service."""
        interval = (self.conf.update_resources_interval or
                    self.conf.periodic_interval)
        tasks = [(interval, self.update_available_resource)]
        if self.conf.instance_build_timeout:
            tasks.append((self.conf.periodic_interval,
                          self.check_build_timeouts))
        return tasks

    def update_available_resource(self, ctx=None):
        """Periodic: compute node records and provider trees up to date."""
        return self.resource_tracker.update_available_resource(
            ctx or self._admin_context())

    def set_host_enabled(self, ctx, enabled):
        """RPC 1.2: the service was enabled or disabled through the API:
        report to placement now, so that COMPUTE_STATUS_DISABLED keeps the
        scheduler away (or lets it back) without waiting for the periodic
        update."""
        self.resource_tracker.service_disabled = not enabled
        self.update_available_resource(ctx)

    def check_build_timeouts(self, ctx=None):
        """Periodic: builds older than instance_build_timeout go to ERROR.

        Returns the number of instances failed.
        """
        timeout = self.conf.instance_build_timeout
        if not timeout:
            return 0
        ctx = ctx or self._admin_context()
        now = timeutils.utcnow(with_timezone=False)
        failed = 0
        for inst in self.objects.instances_on_host(ctx):
            if inst.get('vm_state') != states.BUILDING:
                continue
            created = _parse_time(inst.get('created_at'))
            if created is None or (now - created).total_seconds() < timeout:
                continue
            if self._fail_instance(
                    ctx, inst, 'Instance build timed out after %d seconds on '
                    'host %s' % (timeout, self.host)):
                failed += 1
        return failed

    def wait_for_builds(self, timeout=None):
        """Join the running build threads; True if none is left."""
        with self._builds_lock:
            threads = list(self._builds.values())
        deadline = None if timeout is None else (
            timeutils.utcnow_ts(microsecond=True) + timeout)
        for thread in threads:
            left = None if deadline is None else max(
                0.0, deadline - timeutils.utcnow_ts(microsecond=True))
            thread.join(left)
        with self._builds_lock:
            return not self._builds

    # -- RPC: builds -------------------------------------------------------------
    def build_and_run_instance(self, ctx, instance, request_spec,
                               host_list=None, node=None, limits=None,
                               allocations=None):
        """Build *instance* here, in a thread of its own; returns at once.

        *host_list* are the remaining alternates (selections) for a
        reschedule; *allocations* the instance's placement allocations
        ``{rp_uuid: {'resources': {...}}}`` if the caller has them.
        """
        thread = threading.Thread(
            target=self._build_thread, name='build-%s' % instance['uuid'],
            args=(ctx, instance, request_spec or {}, list(host_list or []),
                  node, allocations), daemon=True)
        with self._builds_lock:
            self._builds[instance['uuid']] = thread
        thread.start()

    def _build_thread(self, ctx, instance, request_spec, host_list, node,
                      allocations):
        try:
            with self._build_slot():
                self._do_build(ctx, instance, request_spec, host_list, node,
                               allocations)
        except Exception:  # the thread's last resort: never die silently
            LOG.exception('Build of instance %s failed unexpectedly',
                          instance['uuid'])
        finally:
            with self._builds_lock:
                self._builds.pop(instance['uuid'], None)

    @contextlib.contextmanager
    def _build_slot(self):
        if self._build_slots is None:
            yield
            return
        with self._build_slots:
            yield

    def _do_build(self, ctx, instance, request_spec, host_list, node,
                  allocations):
        uuid = instance['uuid']
        node = node or instance.get('node') or self._default_node()
        self.objects.event_start(ctx, uuid, EVENT_BUILD)
        try:
            self._build_and_run(ctx, instance, request_spec, node,
                                allocations)
        except _BuildAborted as exc:
            LOG.info('Build of instance %s aborted: %s', uuid, exc)
            self.objects.event_finish(ctx, uuid, EVENT_BUILD, 'Error',
                                      details=str(exc))
            self._destroy_quietly(ctx, instance)
            return
        except Exception as exc:
            LOG.warning('Build of instance %s failed on %s: %s', uuid,
                        self.host, exc)
            self.objects.event_finish(ctx, uuid, EVENT_BUILD, 'Error',
                                      details=_message(exc))
            self._build_failed(ctx, dict(instance, host=self.host, node=node),
                               request_spec, host_list, node, exc)
            return
        self.objects.event_finish(ctx, uuid, EVENT_BUILD, 'Success')
        LOG.info('Instance %s is ACTIVE on %s', uuid, self.host)

    def _build_and_run(self, ctx, instance, request_spec, node, allocations):
        uuid = instance['uuid']
        values = {'vm_state': states.BUILDING, 'task_state': None,
                  'host': self.host, 'node': node}
        compute_node = self.resource_tracker.compute_nodes.get(node)
        if compute_node:
            values['compute_id'] = compute_node['id']
        with self._group_admission(ctx, uuid, request_spec):
            # vm_state too: an instance the conductor's watchdog already
            # failed (ERROR, no task) while the cast was in flight must stay
            # failed.
            inst = self._save(ctx, uuid, values, (states.SCHEDULING, None),
                              expected_vm_state=(states.BUILDING,))
        for task_state, expected in _BUILD_STEPS:
            inst = self._save(ctx, uuid, {'task_state': task_state}, expected,
                              expected_vm_state=(states.BUILDING,))
        self.driver.spawn(ctx, inst, request_spec.get('image') or {},
                          allocations or {})
        try:
            self._save(ctx, uuid, {
                'vm_state': states.ACTIVE, 'task_state': None,
                'power_state': self._power_state(inst),
                'launched_at': objects.utcnow_iso()}, (states.SPAWNING,))
        except _BuildAborted:
            self._destroy_quietly(ctx, inst)
            raise

    @contextlib.contextmanager
    def _group_admission(self, ctx, uuid, request_spec):
        """Admit a member of a server group here, or raise
        RescheduledException (see compute.group_policy); the caller's
        first save, which admits it, runs inside."""
        group = request_spec.get('instance_group')
        if (not group or group.get('policy') not in ('affinity',
                                                     'anti-affinity') or
                self.conf.workarounds.disable_group_policy_check_upcall):
            yield
            return
        with self._group_lock:
            why = group_policy.violation(
                self.objects.server_group_of(ctx, uuid), self.host)
            if why:
                LOG.info('Instance %s does not go on %s: %s', uuid,
                         self.host, why)
                raise exception.RescheduledException(instance_uuid=uuid,
                                                     reason=why)
            yield

    def _save(self, ctx, uuid, values, expected, expected_vm_state=None):
        """Compare-and-swap update; _BuildAborted if the instance moved on."""
        try:
            return self.objects.instance_update(
                ctx, uuid, values, expected_task_state=expected,
                expected_vm_state=expected_vm_state)
        except (exception.UnexpectedTaskStateError,
                exception.InstanceInvalidState,
                exception.InstanceNotFound) as exc:
            raise _BuildAborted(exc.format_message()) from exc

    def _build_failed(self, ctx, instance, request_spec, host_list, node,
                      exc):
        """Clean up a failed build; reschedule or end in ERROR."""
        uuid = instance['uuid']
        self._destroy_quietly(ctx, instance)
        reason = _message(exc)
        # host_list holds alternates only; drop this node should a caller
        # have left the selection that brought the build here in it.
        alternates = [sel for sel in host_list
                      if (sel.get('service_host'), sel.get('nodename')) !=
                      (self.host, node)]
        if alternates:
            LOG.info('Rescheduling instance %s (%d alternate(s)): %s', uuid,
                     len(alternates), reason)
            try:
                self.conductor_api.build_instances(
                    ctx, instance=instance, request_spec=request_spec,
                    host_list=alternates, reason=reason)
                return
            except exception.NovaCoreException as cast_exc:
                LOG.error('Could not reschedule instance %s: %s', uuid,
                          cast_exc)
        failures = list(request_spec.get('build_failures') or [])
        failures.append({'host': self.host, 'node': node, 'reason': reason})
        self._fail_instance(
            ctx, instance, 'Build of instance %s failed on host %s: %s' % (
                uuid, self.host, reason),
            details={'build_failures': failures},
            expected=(None, states.SCHEDULING, states.NETWORKING,
                      states.BLOCK_DEVICE_MAPPING, states.SPAWNING))

    # -- RPC: life cycle ------------------------------------------------------------
    def terminate_instance(self, ctx, instance):
        """Destroy the guest, free its allocations, delete the instance."""
        uuid = instance['uuid']
        self.objects.event_start(ctx, uuid, EVENT_TERMINATE)
        try:
            self.driver.destroy(ctx, instance)
            self._remove_allocations(ctx, uuid)
            self.objects.instance_update(ctx, uuid, {
                'vm_state': states.DELETED, 'task_state': None,
                'power_state': states.NOSTATE,
                'terminated_at': objects.utcnow_iso()})
        except exception.InstanceNotFound:
            LOG.info('Instance %s was already gone', uuid)
            return
        except Exception as exc:
            self.objects.event_finish(ctx, uuid, EVENT_TERMINATE, 'Error',
                                      details=_message(exc))
            self._record_failure(ctx, uuid, exc)
            raise
        self.objects.event_finish(ctx, uuid, EVENT_TERMINATE, 'Success')
        try:
            self.objects.instance_destroy(ctx, uuid)
        except exception.InstanceNotFound:
            pass

    def stop_instance(self, ctx, instance, clean_shutdown_timeout=None):
        """Power off; *clean_shutdown_timeout* (RPC 1.1) seconds to shut down."""
        timeout = clean_shutdown_timeout or 0
        with self._instance_op(ctx, instance, EVENT_STOP):
            self.driver.power_off(ctx, instance, timeout)
            self.objects.instance_update(ctx, instance['uuid'], {
                'vm_state': states.STOPPED, 'task_state': None,
                'power_state': self._power_state(instance)},
                expected_task_state=(states.POWERING_OFF, None))

    def start_instance(self, ctx, instance):
        with self._instance_op(ctx, instance, EVENT_START):
            self.driver.power_on(ctx, instance)
            self.objects.instance_update(ctx, instance['uuid'], {
                'vm_state': states.ACTIVE, 'task_state': None,
                'power_state': self._power_state(instance)},
                expected_task_state=(states.POWERING_ON, None))

    def reboot_instance(self, ctx, instance, reboot_type=states.REBOOT_SOFT):
        task_state = (states.REBOOTING_HARD if reboot_type == states.REBOOT_HARD
                      else states.REBOOTING)
        with self._instance_op(ctx, instance, EVENT_REBOOT):
            self.objects.instance_update(
                ctx, instance['uuid'], {'task_state': task_state},
                expected_task_state=(None, states.REBOOTING,
                                     states.REBOOTING_HARD))
            self.driver.reboot(ctx, instance, reboot_type)
            self.objects.instance_update(ctx, instance['uuid'], {
                'vm_state': states.ACTIVE, 'task_state': None,
                'power_state': self._power_state(instance)},
                expected_task_state=(task_state,))

    @contextlib.contextmanager
    def _instance_op(self, ctx, instance, event):
        """Record the action event; on failure revert the task state + fault."""
        uuid = instance['uuid']
        self.objects.event_start(ctx, uuid, event)
        try:
            yield
        except Exception as exc:
            LOG.warning('%s of instance %s failed: %s', event, uuid, exc)
            self.objects.event_finish(ctx, uuid, event, 'Error',
                                      details=_message(exc))
            self._record_failure(ctx, uuid, exc)
            raise
        self.objects.event_finish(ctx, uuid, event, 'Success')

    def _record_failure(self, ctx, uuid, exc):
        try:
            self.objects.instance_update(ctx, uuid, {'task_state': None})
            self.objects.fault_create(ctx, uuid, exc)
        except exception.NovaCoreException as err:
            LOG.warning('Could not record the failure on %s: %s', uuid, err)

    # -- helpers -----------------------------------------------------------------
    def _ensure_service(self, ctx):
        svc = self.objects.service_get(ctx, self.binary)
        if svc is None:
            try:
                svc = self.objects.service_create(ctx, self.binary, TOPIC,
                                                  SERVICE_VERSION)
                LOG.info('Registered service %s on %s', self.binary,
                         self.host)
            except exception.ServiceExists:
                svc = self.objects.service_get(ctx, self.binary)
        elif svc.get('version') != SERVICE_VERSION:
            svc = self.objects.service_update(
                ctx, svc['id'], {'version': SERVICE_VERSION}) or svc
        self._set_service(svc)
        return svc

    def _set_service(self, svc):
        self.service = svc
        self.resource_tracker.service_id = svc['id']
        self.resource_tracker.service_disabled = bool(svc.get('disabled'))

    def _recover_instances(self, ctx):
        """After a (re)start: nothing of this host stays half-done."""
        for inst in self.objects.instances_on_host(ctx):
            try:
                self._recover_instance(ctx, inst)
            except Exception:  # one instance must not stop the service
                LOG.exception('Could not recover instance %s', inst['uuid'])

    def _recover_instance(self, ctx, inst):
        task_state = inst.get('task_state')
        if inst.get('vm_state') == states.BUILDING:
            self._fail_instance(ctx, inst, RESTARTED_DURING_BUILD)
        elif task_state == states.DELETING:
            LOG.info('Finishing the deletion of instance %s', inst['uuid'])
            self.terminate_instance(ctx, inst)
        elif task_state in (states.POWERING_OFF, states.POWERING_ON,
                            states.REBOOTING, states.REBOOTING_HARD):
            self.objects.instance_update(
                ctx, inst['uuid'], {'task_state': None},
                expected_task_state=(task_state,))

    def _fail_instance(self, ctx, inst, message, details=None, expected=None):
        """ERROR + fault, guest destroyed, allocations removed.

        Compare-and-swap on the task state read (or *expected*): False if
        the instance moved on meanwhile, and then it is left alone.
        """
        uuid = inst['uuid']
        if expected is None:
            expected = (inst.get('task_state'),)
        try:
            self.objects.instance_set_error(
                ctx, uuid, message, details=details,
                expected_task_state=expected)
        except (exception.UnexpectedTaskStateError,
                exception.InstanceNotFound) as exc:
            LOG.info('Not failing instance %s: %s', uuid, exc)
            return False
        LOG.warning('Instance %s set to ERROR: %s', uuid, message)
        self._destroy_quietly(ctx, inst)
        self._remove_allocations(ctx, uuid)
        return True

    def _remove_allocations(self, ctx, uuid):
        try:
            providers.delete_allocation_for_instance(ctx, self.placement, uuid)
        except (exception.PlacementUnreachable,
                exception.PlacementAPIError) as exc:
            LOG.error('Could not remove the allocations of %s: %s', uuid, exc)

    def _destroy_quietly(self, ctx, instance):
        try:
            self.driver.destroy(ctx, instance)
        except Exception:  # cleanup after a failure must not hide it
            LOG.exception('Could not destroy instance %s', instance['uuid'])

    def _power_state(self, instance):
        try:
            return self.driver.get_info(instance)['state']
        except exception.InstanceNotFound:
            return states.NOSTATE

    def _default_node(self):
        nodes = self.driver.get_available_nodes()
        return nodes[0] if nodes else self.host


def _message(exc):
    if isinstance(exc, exception.NovaCoreException):
        return exc.format_message()
    return '%s: %s' % (type(exc).__name__, exc)


def _parse_time(value):
    if not value:
        return None
    if isinstance(value, str):
        value = timeutils.parse_isotime(value)
    return timeutils.normalize_time(value)
