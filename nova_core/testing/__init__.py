"""Test support shipped with nova_core, for its own tests and for plugins.

Installed with the library on purpose: an author of a filter or weigher
plugin tests against the nova_core they installed, and the checkout's
``tests/`` package is not installed. Nothing in here is used by a running
service: the import rules put ``nova_core.testing`` with the entry points
(tests/unit/test_import_rules.py), so no service module may import it.

- :mod:`nova_core.testing.scheduler`: configurations, host states, request
  specs and a stub host manager, to test a filter or a weigher without a
  cloud.
"""
