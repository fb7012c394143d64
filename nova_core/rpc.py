"""The only place that builds oslo.messaging transports, clients and servers.

Services never import oslo.messaging: they get a :class:`Client` (through
:func:`client_for` or an :class:`RPCAPIBase` subclass in their ``rpcapi``
module) and a server from :func:`get_server`. This module also turns what
oslo.messaging raises into nova_core exceptions, so that a caller catches
``exception.NoValidHost`` or ``exception.MessagingTimeout`` and nothing else.

Transports: ``rabbit://`` for real deployments; when ``[DEFAULT]
transport_url`` is unset, the in-process ``fake://`` driver (the embedded
default, and what single-process tests use). Servers always use the
threading executor; nothing here needs eventlet.
"""

import re
import threading

import oslo_messaging
from oslo_context import context as oslo_context
from oslo_messaging import opts as messaging_opts

try:
    # oslo.messaging 18 reads [oslo_messaging_metrics] and
    # [oslo_messaging_tracing] from the conf of each client but registers
    # them on its global CONF only and leaves them out of list_opts(), so a
    # private ConfigOpts must register them (as its own ConfFixture does).
    from oslo_messaging._metrics import client as _metrics
    from oslo_messaging._tracing import client as _tracing
except ImportError:  # another oslo.messaging: nothing to work around
    _metrics = _tracing = None

from nova_core import exception

# The embedded default: every service of one process talks through it.
EMBEDDED_URL = 'fake://'

# Remote exceptions from these modules re-raise in the caller as themselves.
ALLOWED_EXMODS = ['nova_core.exception']

# Manager methods that a Service calls itself and that must never be
# reachable over RPC, even though their names are public.
SERVICE_HOOKS = frozenset(('init_host', 'periodic_tasks', 'heartbeat',
                           'cleanup', 'start', 'stop', 'wait', 'reset'))

_VERSION_RE = re.compile(r'^\d+\.\d+$')

_transports = {}
_transports_lock = threading.Lock()

# Re-exported so that an endpoint declares its version without importing
# oslo.messaging: ``target = rpc.Target(version='1.1')``.
Target = oslo_messaging.Target


def register_opts(conf):
    """Register oslo.messaging's options (transport_url, rpc_response_timeout).

    oslo.messaging registers them itself when it builds a transport; doing
    it up front lets a program read ``conf.transport_url`` before that and
    lets the config generator list them. Registering twice is harmless.
    """
    for group, opts in messaging_opts.list_opts():
        conf.register_opts(opts, group=group)
    # oslo.messaging's default is rabbit:// (a broker on localhost); ours
    # is "unset", meaning the embedded in-process transport.
    conf.set_default('transport_url', None)
    for module, group in ((_metrics, 'oslo_messaging_metrics'),
                          (_tracing, 'oslo_messaging_tracing')):
        opts = getattr(module, group, None)
        if opts:
            conf.register_opts(opts, group=group)


def transport_url(conf, url=None):
    """*url*, else ``[DEFAULT] transport_url``, else the embedded fake://."""
    if url:
        return url
    register_opts(conf)
    return conf.transport_url or EMBEDDED_URL


def get_transport(conf, url=None):
    """The process-wide RPC transport for *url* (default: transport_url).

    Cached per URL, so that every service of a process sends and listens
    on the same object for one URL; for rabbit:// sharing saves
    connections. The first
    ``conf`` that asks for a URL provides the driver options (heartbeats,
    retries) for every later user of that URL in the process. Distinct fake
    URLs (``fake://cell1/``) are distinct transports and separate
    in-process message buses, one per cell: the fake driver keeps its
    queues in one process-wide table keyed by exchange, so each fake URL
    gets an exchange of its own (see :func:`_exchange`).
    """
    url = transport_url(conf, url)
    with _transports_lock:
        transport = _transports.get(url)
        if transport is None:
            register_opts(conf)
            try:
                transport = oslo_messaging.get_rpc_transport(
                    conf, url=url, allowed_remote_exmods=ALLOWED_EXMODS)
            except (oslo_messaging.InvalidTransportURL,
                    oslo_messaging.DriverLoadFailure) as exc:
                raise exception.TransportURLInvalid(
                    url=_mask(url), reason=exc) from exc
            if url.startswith('fake:'):
                transport.nova_core_exchange = 'nova_core %s' % url
            _transports[url] = transport
        return transport


def _exchange(transport):
    """The exchange of the targets on *transport* (None: the driver's default).

    A vhost separates rabbit:// cells; fake:// has no vhosts, so the
    messages of each fake URL travel in an exchange named after it.
    """
    return getattr(transport, 'nova_core_exchange', None)


def cleanup_transports(url=None):
    """Close and forget the cached transport of *url*, or all of them.

    For tests and program exit: a client or server still using a closed
    transport fails. A single fake:// transport is only forgotten: closing
    it would empty the queues of every fake bus in the process.
    """
    with _transports_lock:
        if url is None:
            transports = list(_transports.values())
            _transports.clear()
        else:
            transports = [t for t in (_transports.pop(url, None),) if t]
            if url.startswith('fake:'):
                transports = []
    for transport in transports:
        transport.cleanup()


def _mask(url):
    """*url* without its password, for messages and logs."""
    return re.sub(r'(://[^:/@]*:)[^@/]*@', r'\1****@', url)


class RequestContextSerializer(oslo_messaging.Serializer):
    """RequestContext <-> dict on the wire; entities pass through as is.

    Only oslo.context's fields travel (``to_dict``): the database, policy
    authorizer, configuration and cell targeting of the sender mean nothing
    to the receiver. The receiver rebuilds a context with
    *context_factory* (``nova_core.context.RequestContext.from_dict``; the
    Service passes it, since this level-1 module may not import the
    context module) and binds its own *context_attrs* (for example
    ``{'config': conf}``) on it.
    """

    def __init__(self, context_factory=None, context_attrs=None):
        self._context_factory = (context_factory or
                                 oslo_context.RequestContext.from_dict)
        self._context_attrs = dict(context_attrs or {})

    def serialize_entity(self, ctxt, entity):
        return entity

    def deserialize_entity(self, ctxt, entity):
        return entity

    def serialize_context(self, ctxt):
        return ctxt.to_dict()

    def deserialize_context(self, ctxt):
        result = self._context_factory(ctxt)
        for name, value in self._context_attrs.items():
            setattr(result, name, value)
        return result


def parse_version(version):
    """'1.2' -> (1, 2); raises ValueError for anything else."""
    if not isinstance(version, str) or not _VERSION_RE.match(version):
        raise ValueError('not an RPC version (X.Y): %r' % (version,))
    major, minor = version.split('.')
    return int(major), int(minor)


def version_allows(cap, version):
    """True when a peer capped at *cap* understands *version* (None: any)."""
    if cap is None:
        return True
    cap_major, cap_minor = parse_version(cap)
    major, minor = parse_version(version)
    return major == cap_major and minor <= cap_minor


class Client:
    """An RPC client for one target; raises nova_core exceptions only.

    ``call`` waits for the answer, ``cast`` does not. A nova_core exception
    raised by the remote endpoint re-raises here as the very same class
    with the same kwargs (its remote traceback in ``remote_traceback``);
    a reply that does not come in time raises ``exception.MessagingTimeout``.
    """

    def __init__(self, oslo_client, topic):
        self._client = oslo_client
        self.topic = topic

    def prepare(self, **kwargs):
        """A copy with server, version, timeout, fanout... changed."""
        return Client(self._client.prepare(**kwargs), self.topic)

    def can_send_version(self, version):
        return self._client.can_send_version(version)

    @property
    def version_cap(self):
        return self._client.version_cap

    def call(self, ctxt, method, **kwargs):
        return self._send(self._client.call, ctxt, method, kwargs)

    def cast(self, ctxt, method, **kwargs):
        return self._send(self._client.cast, ctxt, method, kwargs)

    def _send(self, send, ctxt, method, kwargs):
        try:
            return send(ctxt, method, **kwargs)
        except oslo_messaging.MessagingTimeout as exc:
            raise exception.MessagingTimeout(
                method=method, topic=self.topic) from exc
        except oslo_messaging.RPCVersionCapError as exc:
            raise exception.UnsupportedRPCVersion(
                api=self.topic, method=method, required=exc.version,
                cap=exc.version_cap) from exc
        except exception.NovaCoreException as exc:
            raise _unwrap_remote(exc) from exc
        except oslo_messaging.RemoteError as exc:
            raise exception.RemoteError(
                method=method, topic=self.topic, exc_type=exc.exc_type,
                value=exc.value) from exc
        except (oslo_messaging.NoSuchMethod,
                oslo_messaging.UnsupportedVersion) as exc:
            # The fake driver hands back the dispatcher's own exception,
            # rabbit a RemoteError: callers see one RemoteError either way.
            raise exception.RemoteError(
                method=method, topic=self.topic,
                exc_type=type(exc).__name__, value=exc) from exc
        except oslo_messaging.MessagingException as exc:
            raise exception.MessagingError(
                method=method, topic=self.topic, reason=exc) from exc


def _unwrap_remote(exc):
    """The plain nova_core exception behind oslo's ``<Class>_Remote`` subclass.

    oslo.messaging rebuilds a remote exception as a dynamic subclass whose
    str() carries the remote traceback; callers compare classes and print
    messages, so they get the original class back with the same kwargs.
    """
    cls = type(exc)
    if not cls.__name__.endswith('_Remote'):
        return exc
    plain = cls.__mro__[1](exc.message, **exc.kwargs)
    plain.remote_traceback = str(exc)
    return plain


def get_client(conf, target_kw, version_cap=None, transport=None,
               timeout=None):
    """A :class:`Client` for ``Target(**target_kw)`` on *transport*.

    *transport* defaults to this service's own (``[DEFAULT]
    transport_url``); *timeout* to ``[DEFAULT] rpc_response_timeout``.
    """
    transport = transport or get_transport(conf)
    target_kw = dict(target_kw)
    target_kw.setdefault('exchange', _exchange(transport))
    target = oslo_messaging.Target(**target_kw)
    oslo_client = oslo_messaging.get_rpc_client(
        transport, target, version_cap=version_cap,
        serializer=RequestContextSerializer(), timeout=timeout)
    return Client(oslo_client, target_kw.get('topic'))


def transport_for_context(ctxt, conf, transport=None):
    """The transport a message for *ctxt* goes on.

    A cell-targeted context (``db.cells.target_cell``) carries the cell's
    ``mq_connection``: a transport URL, or a transport built already. The
    message goes there, so that a cell's computes hear it on their own
    vhost; otherwise on *transport* or this service's own transport.
    """
    mq = getattr(ctxt, 'mq_connection', None)
    if isinstance(mq, oslo_messaging.Transport):
        return mq
    if mq:
        return get_transport(conf, mq)
    return transport or get_transport(conf)


def client_for(ctxt, conf, topic, server=None, version='1.0',
               version_cap=None, timeout=None, transport=None):
    """A :class:`Client` for *topic* (and *server*) on *ctxt*'s transport."""
    return get_client(
        conf, {'topic': topic, 'server': server, 'version': version},
        version_cap=version_cap, timeout=timeout,
        transport=transport_for_context(ctxt, conf, transport))


class PublicMethodsPolicy(oslo_messaging.RPCAccessPolicyBase):
    """Expose an endpoint's public methods, never its service hooks.

    Private names (``_x``) are refused as by oslo's default policy, and so
    are the hooks the Service itself calls (``heartbeat``, ``cleanup``,
    ...): a peer must not be able to trigger them. An endpoint may narrow
    further with an ``rpc_methods`` collection of the names it serves.
    """

    def is_allowed(self, endpoint, method):
        if method.startswith('_') or method in SERVICE_HOOKS:
            return False
        allowed = getattr(endpoint, 'rpc_methods', None)
        return allowed is None or method in allowed


class _Endpoint:
    """An endpoint whose nova_core exceptions are expected outcomes.

    oslo.messaging logs every exception an endpoint raises as an ERROR with
    its traceback unless it is wrapped in ``ExpectedException``; NoValidHost
    or InstanceNotFound are answers, not server bugs, so they travel back to
    the caller and are logged at DEBUG. Anything else stays an ERROR.
    """

    def __init__(self, endpoint):
        self._endpoint = endpoint

    def __getattr__(self, name):
        value = getattr(self._endpoint, name)
        if (name.startswith('_') or not callable(value)
                or isinstance(value, oslo_messaging.Target)):
            return value

        def dispatch(*args, **kwargs):
            try:
                return value(*args, **kwargs)
            except exception.NovaCoreException:
                raise oslo_messaging.ExpectedException()
        return dispatch

    def __repr__(self):
        return repr(self._endpoint)


def get_server(conf, topic, server, endpoints, transport=None,
               context_factory=None, context_attrs=None):
    """An RPC server for ``Target(topic, server)`` with the threading executor.

    Listening on (topic, server) receives both what is sent to the topic
    (round-robin among its servers) and what is directed at this server.
    Incoming contexts are built by *context_factory* (a dict -> context
    callable; nova_core's ``RequestContext.from_dict`` for services) and
    get *context_attrs* set on them (see :class:`RequestContextSerializer`).
    Call ``start()``, ``stop()``, ``wait()`` on the result.
    """
    transport = transport or get_transport(conf)
    target = oslo_messaging.Target(exchange=_exchange(transport),
                                   topic=topic, server=server)
    # No executor argument: it is deprecated, and the default is threading
    # unless eventlet monkey-patched the process, which we refuse below.
    rpc_server = oslo_messaging.get_rpc_server(
        transport, target, [_Endpoint(e) for e in endpoints],
        serializer=RequestContextSerializer(context_factory,
                                            context_attrs),
        access_policy=PublicMethodsPolicy)
    if rpc_server.executor_type != 'threading':
        raise exception.ConfigurationError(
            reason='RPC servers must use threads, got the %s executor '
                   '(is eventlet monkey-patching the process?)'
                   % rpc_server.executor_type)
    return rpc_server


def version_cap(conf, service_name, latest, min_version_lookup=None):
    """The RPC version cap for messages to *service_name* ([upgrade_levels]).

    Why: during a rolling upgrade new code runs beside old code. A newer
    sender must not send a message version an older receiver cannot
    dispatch, so the operator (or ``auto``) caps what it sends, and
    rpcapi methods check :meth:`RPCAPIBase.can_send_version` to pick the
    older form of a message.

    - unset: None, no cap; the client sends the *latest* it knows;
    - ``X.Y``: that version, exactly as configured;
    - ``auto``: ``min_version_lookup()``, a callable mapping the oldest
      running service version (from the services table) to an RPC
      version; *latest* when there is no callable or it answers None (no
      such service registered yet).

    A malformed value raises ``exception.ConfigurationError``.
    """
    value = getattr(conf.upgrade_levels, service_name)
    if not value:
        return None
    if value == 'auto':
        found = min_version_lookup() if min_version_lookup else None
        return found or latest
    try:
        parse_version(value)
    except ValueError:
        raise exception.ConfigurationError(
            reason='[upgrade_levels] %s = %r: use X.Y or auto'
                   % (service_name, value)) from None
    return value


class RPCAPIBase:
    """Base of a service's client stub (its ``rpcapi.py``).

    A subclass sets ``TOPIC``, ``SERVICE_NAME`` (its ``[upgrade_levels]``
    option) and ``LATEST`` (the newest version it can send), then writes
    one method per remote call::

        def stop_instance(self, ctxt, instance, host, timeout=None):
            version = '1.1' if self.can_send_version('1.1') else '1.0'
            kwargs = {'instance': instance}
            if version == '1.1':
                kwargs['clean_shutdown_timeout'] = timeout
            self.client(ctxt, server=host, version=version).cast(
                ctxt, 'stop_instance', **kwargs)

    The version cap is resolved on first use, because ``auto`` may need a
    database lookup that is not possible yet when the stub is built.
    """

    TOPIC = None
    SERVICE_NAME = None
    LATEST = '1.0'

    def __init__(self, conf, transport=None, min_version_lookup=None,
                 timeout=None):
        self.conf = conf
        self._transport = transport
        self._min_version_lookup = min_version_lookup
        self._timeout = timeout
        self._cap = None
        self._cap_known = False
        self._lock = threading.Lock()

    @property
    def version_cap(self):
        with self._lock:
            if not self._cap_known:
                self._cap = version_cap(self.conf, self.SERVICE_NAME,
                                        self.LATEST, self._min_version_lookup)
                self._cap_known = True
            return self._cap

    def reset_version_cap(self):
        """Resolve the cap again on next use (after services were upgraded)."""
        with self._lock:
            self._cap_known = False

    def can_send_version(self, version):
        return version_allows(self.version_cap, version)

    def require_version(self, version, method):
        """Raise UnsupportedRPCVersion unless *version* is within the cap."""
        if not self.can_send_version(version):
            raise exception.UnsupportedRPCVersion(
                api=type(self).__name__, method=method, required=version,
                cap=self.version_cap)

    def client(self, ctxt, server=None, version='1.0', timeout=None):
        """A :class:`Client` to ``TOPIC`` (directed at *server* if given)."""
        return client_for(ctxt, self.conf, self.TOPIC, server=server,
                          version=version, version_cap=self.version_cap,
                          timeout=timeout or self._timeout,
                          transport=self._transport)
