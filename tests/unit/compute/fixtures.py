"""Compute test fixtures: a compute's configuration, an in-memory conductor, a fake placement."""

import copy
import threading

from oslo_config import cfg
from oslo_utils import uuidutils

from nova_core import conf as nova_conf
from nova_core import context as nova_context
from nova_core import exception
from nova_core import rpc


def make_conf(host='host1', **overrides):
    """A compute's ConfigOpts (no database groups); ``group__opt=value``."""
    conf = cfg.ConfigOpts()
    nova_conf.register_opts(conf, databases=False)
    rpc.register_opts(conf)
    conf([], project='nova_core', default_config_files=[])
    conf.set_override('host', host)
    for key, value in overrides.items():
        group, _sep, name = key.rpartition('__')
        conf.set_override(name, value, group=group or None)
    return conf


def make_context():
    return nova_context.RequestContext(user_id='u', project_id='p',
                                       is_admin=True, roles=['admin'])


class _Response:
    def __init__(self, status_code):
        self.status_code = status_code
        self.text = ''

    def json(self):
        return {}


class FakePlacement:
    """A PlacementClient stand-in that records DELETE /allocations/<uuid>."""

    def __init__(self):
        self.deleted_allocations = []

    def delete(self, ctx, url, version=None):
        self.deleted_allocations.append(url.rsplit('/', 1)[-1])
        return _Response(204)

    def fail(self, method, url, resp):
        raise exception.PlacementAPIError(method=method, url=url,
                                          status=resp.status_code, detail='')


class FakeConductor:
    """What ``conductor.rpcapi.ConductorAPI`` offers a compute, in memory.

    ``instances``, ``faults``, ``events``, ``compute_nodes``, ``services``
    hold what the compute wrote; ``reschedules`` the build_instances casts;
    ``updates`` every instance update (uuid, values) in order.
    """

    def __init__(self):
        self.lock = threading.RLock()
        self.instances = {}
        self.faults = []
        self.actions = []
        self.events = []
        self.compute_nodes = {}
        self.services = {}
        self.reschedules = []
        self.updates = []
        self.heartbeats = 0
        self._ids = 0

    def _next_id(self):
        self._ids += 1
        return self._ids

    def add_instance(self, **values):
        inst = {'uuid': uuidutils.generate_uuid(), 'host': None, 'node': None,
                'vm_state': 'building', 'task_state': 'scheduling',
                'power_state': 0, 'project_id': 'p', 'user_id': 'u',
                'flavor': {'vcpus': 1, 'memory_mb': 512, 'root_gb': 1,
                           'ephemeral_gb': 0},
                'created_at': '2020-01-01T00:00:00', 'deleted': False}
        inst.update(values)
        inst['id'] = self._next_id()
        self.instances[inst['uuid']] = inst
        return copy.deepcopy(inst)

    # -- the conductor API ------------------------------------------------------
    def object_action(self, ctx, objname, method, **kwargs):
        with self.lock:
            fn = getattr(self, '_%s_%s' % (objname, method), None)
            if fn is None:
                raise exception.ObjectActionNotAllowed(objname=objname,
                                                       method=method)
            return copy.deepcopy(fn(**copy.deepcopy(kwargs)))

    def build_instances(self, ctx, instance, request_spec, host_list,
                        reason=None):
        with self.lock:
            self.reschedules.append({'instance': instance,
                                     'request_spec': request_spec,
                                     'host_list': host_list,
                                     'reason': reason})

    # -- instances --------------------------------------------------------------
    def _get(self, uuid):
        inst = self.instances.get(uuid)
        if inst is None or inst['deleted']:
            raise exception.InstanceNotFound(instance_id=uuid)
        return inst

    def _instance_get_by_uuid(self, uuid):
        return self._get(uuid)

    def _instance_get_by_host(self, host):
        return [i for i in self.instances.values()
                if i['host'] == host and not i['deleted']]

    def _instance_update(self, uuid, values, expected_task_state=None,
                         expected_vm_state=None):
        inst = self._get(uuid)
        if (expected_vm_state is not None
                and inst['vm_state'] not in list(expected_vm_state)):
            raise exception.InstanceInvalidState(
                method='update', instance_uuid=uuid, attr='vm_state',
                state=inst['vm_state'])
        if expected_task_state is not None:
            expected = list(expected_task_state)
            if inst['task_state'] not in expected:
                cls = (exception.UnexpectedDeletingTaskStateError
                       if inst['task_state'] == 'deleting'
                       else exception.UnexpectedTaskStateError)
                raise cls(instance_uuid=uuid, expected=expected,
                          actual=inst['task_state'])
        inst.update(values)
        self.updates.append((uuid, dict(values)))
        return inst

    def _instance_set_error(self, uuid, message, code=500, details=None,
                            host=None, expected_task_state=None,
                            expected_vm_state=None):
        inst = self._instance_update(
            uuid, {'vm_state': 'error', 'task_state': None},
            expected_task_state=expected_task_state,
            expected_vm_state=expected_vm_state)
        self._instance_fault_create(uuid, code, message, details, host)
        return inst

    def _instance_destroy(self, uuid):
        inst = self._get(uuid)
        inst['deleted'] = True
        return inst

    def _instance_fault_create(self, instance_uuid, code, message, details,
                               host):
        fault = {'instance_uuid': instance_uuid, 'code': code,
                 'message': message, 'details': details, 'host': host}
        self.faults.append(fault)
        return fault

    def _instance_action_start(self, instance_uuid, action, request_id,
                               user_id, project_id):
        rec = {'instance_uuid': instance_uuid, 'action': action,
               'request_id': request_id}
        self.actions.append(rec)
        return rec

    def _instance_action_event_start(self, instance_uuid, request_id, event,
                                     host):
        if not any(a['instance_uuid'] == instance_uuid and
                   a['request_id'] == request_id for a in self.actions):
            raise exception.NotFound()
        rec = {'instance_uuid': instance_uuid, 'event': event, 'host': host,
               'result': None}
        self.events.append(rec)
        return rec

    def _instance_action_event_finish(self, instance_uuid, request_id, event,
                                      result, details):
        for rec in reversed(self.events):
            if rec['instance_uuid'] == instance_uuid and \
                    rec['event'] == event:
                rec.update(result=result, details=details)
                return rec
        raise exception.NotFound()

    # -- compute nodes -------------------------------------------------------------
    def _compute_node_create(self, values):
        cn = dict(values, id=self._next_id())
        self.compute_nodes[cn['id']] = cn
        return cn

    def _compute_node_get_by_host_and_nodename(self, host, nodename):
        for cn in self.compute_nodes.values():
            if cn['host'] == host and cn['hypervisor_hostname'] == nodename:
                return cn
        raise exception.ComputeNodeNotFound(host=host, node=nodename)

    def _compute_node_update(self, uuid, values):
        for cn in self.compute_nodes.values():
            if cn['uuid'] == uuid:
                cn.update(values)
                return cn
        raise exception.ComputeNodeNotFound(host='?', node=uuid)

    # -- services ----------------------------------------------------------------------
    def _service_create(self, host, binary, topic=None, version=0):
        svc = {'host': host, 'binary': binary, 'topic': topic,
               'version': version, 'report_count': 0, 'id': self._next_id()}
        self.services[svc['id']] = svc
        return svc

    def _service_get_by_host_and_binary(self, host, binary):
        for svc in self.services.values():
            if svc['host'] == host and svc['binary'] == binary:
                return svc
        raise exception.ServiceNotFound(service_id='%s/%s' % (host, binary))

    def _service_update(self, service_id, values):
        self.services[service_id].update(values)
        return self.services[service_id]

    def _service_heartbeat(self, service_id):
        if service_id not in self.services:
            raise exception.ServiceNotFound(service_id=service_id)
        self.heartbeats += 1
        svc = self.services[service_id]
        svc['report_count'] = svc.get('report_count', 0) + 1
        return svc
