"""WSGI entry points: one module per deployable app, each with ``application``."""

import threading


def lazy_application(build):
    """A module ``__getattr__`` giving ``application`` = ``build()``, built
    on first access (WSGI servers look it up by attribute), so that the
    module's ``make_app`` imports without reading any configuration."""
    built = []
    lock = threading.Lock()

    def __getattr__(name):
        if name != 'application':
            raise AttributeError(name)
        with lock:
            if not built:
                built.append(build())
        return built[0]
    return __getattr__
