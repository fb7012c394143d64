"""Plugin loading: the only importer of stevedore and importlib.

Every plugin kind has a namespace (``NAMESPACES``). Loading fails fast, at
service start, with ``exception.PluginLoadError`` naming the plugin, its
namespace and the reason: not installed (the message lists what is),
import error, not a subclass of the contract's base class, or a name
declared twice (in the configuration, or by two installed distributions
pointing at different code). Plugins come back in the order of the names
asked for; filters run in that order.

Names from Nova configurations are accepted where the mapping is obvious:
``nova.scheduler.filters.compute_filter.ComputeFilter`` is the filter
``ComputeFilter``, ``libvirt.LibvirtDriver`` the driver ``libvirt``, and
``nova.scheduler.weights.all_weighers`` every installed weigher.

Tests build plugins without entry points by passing ``extensions`` (see
:func:`extension`), as stevedore's ``make_test_instance`` does.
"""

import collections
import inspect

from stevedore import extension as st_extension
from stevedore import named

from nova_core import exception

FILTERS = 'nova_core.scheduler.filters'
WEIGHERS = 'nova_core.scheduler.weighers'
DRIVERS = 'nova_core.virt.drivers'
APPS = 'nova_core.api.apps'
IMAGES = 'nova_core.image'
NETWORKS = 'nova_core.network'
NAMESPACES = (FILTERS, WEIGHERS, DRIVERS, APPS, IMAGES, NETWORKS)

# Names that stand for "every installed plugin of the namespace".
ALL_WEIGHERS = frozenset(('all_weighers',
                          'nova.scheduler.weights.all_weighers',
                          'nova_core.scheduler.weighers.all_weighers'))


def extension(name, plugin):
    """A stevedore Extension for *plugin* under *name* (tests, embedding)."""
    return st_extension.Extension(name, None, plugin, None)


def filter_name(name):
    """A Nova filter class path -> its entry point name (the class name)."""
    return name.strip().rsplit('.', 1)[-1]


def weigher_name(name):
    """A Nova weigher class path -> its entry point name (the class name)."""
    return name.strip().rsplit('.', 1)[-1]


def driver_name(name):
    """A Nova driver path -> its entry point name.

    ``fake.FakeDriver`` -> ``fake``, ``nova.virt.libvirt.LibvirtDriver`` ->
    ``libvirt``.
    """
    name = name.strip()
    for prefix in ('nova.virt.', 'nova_core.virt.'):
        if name.startswith(prefix):
            name = name[len(prefix):]
    return name.split('.', 1)[0]


def _fail(namespace, name, reason):
    return exception.PluginLoadError(name=name, namespace=namespace,
                                     reason=reason)


def _check_requested(namespace, names):
    seen = set()
    for name in names:
        if name in seen:
            raise _fail(namespace, name,
                        'the name is listed twice in the configuration')
        seen.add(name)


def _installed(namespace):
    """{name: [entry point target, ...]} of the namespace, freshly read.

    stevedore keeps a per-process cache of each namespace's entry points;
    plugins are loaded once, at start, so reading afresh costs little and
    sees distributions installed since the process started.
    """
    st_extension.ExtensionManager.ENTRY_POINT_CACHE.pop(namespace, None)
    probe = named.NamedExtensionManager(
        namespace, names=[], on_missing_entrypoints_callback=None)
    found = collections.defaultdict(list)
    for ep in probe.list_entry_points():
        if ep.value not in found[ep.name]:
            found[ep.name].append(ep.value)
    return found


def _from_entry_points(namespace, names):
    installed = _installed(namespace)
    for name in names:
        if name not in installed:
            raise _fail(namespace, name, 'not installed; installed are: %s'
                        % (', '.join(sorted(installed)) or 'none'))
        if len(installed[name]) > 1:
            raise _fail(namespace, name, 'declared more than once: %s'
                        % ', '.join(installed[name]))

    def on_load_failure(manager, entrypoint, exc):
        raise _fail(namespace, entrypoint.name, 'cannot import %s: %s: %s'
                    % (entrypoint.value, type(exc).__name__, exc)) from exc

    manager = named.NamedExtensionManager(
        namespace, names=list(names), name_order=True,
        on_load_failure_callback=on_load_failure,
        on_missing_entrypoints_callback=None)
    return [(ext.name, ext.plugin) for ext in manager.extensions]


def _from_extensions(namespace, names, extensions):
    manager = named.NamedExtensionManager.make_test_instance(
        list(extensions), namespace=namespace)
    by_name = collections.defaultdict(list)
    for ext in manager.extensions:
        by_name[ext.name].append(ext.plugin)
    result = []
    for name in names:
        if name not in by_name:
            raise _fail(namespace, name, 'not installed; installed are: %s'
                        % (', '.join(sorted(by_name)) or 'none'))
        if len(by_name[name]) > 1:
            raise _fail(namespace, name, 'declared more than once')
        result.append((name, by_name[name][0]))
    return result


def _check_base(namespace, name, plugin, base_class):
    if base_class is None:
        if not callable(plugin):
            raise _fail(namespace, name, '%r is not callable' % (plugin,))
        return
    if not (inspect.isclass(plugin) and issubclass(plugin, base_class)):
        raise _fail(namespace, name, '%s is not a subclass of %s.%s' % (
            getattr(plugin, '__qualname__', repr(plugin)),
            base_class.__module__, base_class.__qualname__))


def load_named_items(namespace, names, base_class=None, extensions=None):
    """[(name, plugin)] for *names* of *namespace*, in that order.

    *base_class*: each plugin must be a subclass of it (None: any
    callable). *extensions*: use these stevedore Extensions instead of
    the installed entry points.
    """
    names = list(names)
    _check_requested(namespace, names)
    if extensions is None:
        items = _from_entry_points(namespace, names)
    else:
        items = _from_extensions(namespace, names, extensions)
    for name, plugin in items:
        _check_base(namespace, name, plugin, base_class)
    return items


def load_named(namespace, names, base_class=None, extensions=None):
    """The plugins (classes or callables) for *names*, in that order."""
    return [plugin for _name, plugin in
            load_named_items(namespace, names, base_class, extensions)]


def installed_names(namespace, extensions=None):
    """Sorted names available in *namespace* (or among *extensions*)."""
    if extensions is not None:
        return sorted({ext.name for ext in extensions})
    return sorted(_installed(namespace))


def load_filters(names, base_class, extensions=None):
    """Filter classes for ``[filter_scheduler] enabled_filters``, in order."""
    names = [filter_name(n) for n in names if n.strip()]
    return load_named(FILTERS, names, base_class, extensions)


def load_weighers(names, base_class, extensions=None):
    """Weigher classes for ``[filter_scheduler] weighers``, in order.

    ``all_weighers`` (or Nova's dotted form) stands for every installed one.
    """
    wanted = []
    for name in names:
        name = name.strip()
        if not name:
            continue
        if name in ALL_WEIGHERS:
            wanted.extend(n for n in installed_names(WEIGHERS, extensions)
                          if n not in wanted)
        else:
            wanted.append(weigher_name(name))
    return load_named(WEIGHERS, wanted, base_class, extensions)


def load_driver(name, base_class, *args, extensions=None):
    """The virt driver *name* (``[compute] driver``), built with *args*."""
    name = driver_name(name)
    [driver_class] = load_named(DRIVERS, [name], base_class, extensions)
    return driver_class(*args)


def load_image_backend(name, base_class, *args, extensions=None):
    """The image backend *name* (``[image] backend``), built with *args*."""
    [backend_class] = load_named(IMAGES, [name.strip()], base_class,
                                 extensions)
    return backend_class(*args)


def load_network_backend(name, base_class, *args, extensions=None):
    """The network backend *name* (``[network] backend``), built with
    *args*."""
    [backend_class] = load_named(NETWORKS, [name.strip()], base_class,
                                 extensions)
    return backend_class(*args)


def load_apps(names, extensions=None):
    """{name: make_app factory} of the WSGI apps *names*, in that order."""
    return dict(load_named_items(APPS, names, None, extensions))


# -- promises a plugin class makes about its own answers ------------------
# A filter or weigher class may promise that its answer for a host depends
# on that host's state alone (JUDGES_HOST_ONLY, WEIGHS_HOST_ONLY); the
# scheduler then keeps answers across the requests that share host states.
# A promise is read on the classes that define the methods giving the
# answer, so a subclass that answers otherwise does not inherit it.

_PROMISES = {}


def promised(obj, flag, methods, neutral=()):
    """Whether *obj*'s class keeps the promise *flag*: for each of
    *methods*, the first class of its MRO defining it says ``flag = True``
    in its own body, or is listed with that method in *neutral* (a base
    definition that only calls the other methods)."""
    cls = type(obj)
    found = _PROMISES.get((cls, flag))
    if found is None:
        found = True
        for name in methods:
            definer = next(k for k in cls.__mro__ if name in k.__dict__)
            if (definer, name) in neutral:
                continue
            if definer.__dict__.get(flag, False) is not True:
                found = False
                break
        _PROMISES[cls, flag] = found
    return found
