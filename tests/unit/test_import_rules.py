"""The import rules of docs/architecture.md, enforced by reading every module.

Modules are parsed with ``ast``, never imported: importing runs code (the
modules under ``nova_core/wsgi`` build an application at import), and a
rule about imports must hold for code that is never executed by a test.

A new room (a new package or top-level module) must be added to ``ROOMS``
and to the table in docs/architecture.md; an unknown module fails the test.
"""

import ast
import pathlib

import pytest

PACKAGE_DIR = pathlib.Path(__file__).resolve().parents[2] / 'nova_core'

# Entry points (console scripts, WSGI modules) sit above every level: they
# may import anything, and nothing but another entry point imports them.
ENTRY = 9

# (module prefix, level); the longest matching prefix names a module's room.
ROOMS = [
    ('nova_core', 0),  # the package itself (__version__), not its children
    ('nova_core.exception', 0),
    ('nova_core.conf', 0),
    ('nova_core._fastalloc', 0),
    ('nova_core.context', 1),
    ('nova_core.loading', 1),
    ('nova_core.rpc', 1),
    ('nova_core.db', 1),
    ('nova_core.api', 2),
    ('nova_core.service', 2),
    ('nova_core.placement_client', 2),
    ('nova_core.virt', 2),
    ('nova_core.scheduler.filters', 2),
    ('nova_core.scheduler.weighers', 2),
    ('nova_core.scheduler.host_state', 2),
    ('nova_core.image', 2),
    ('nova_core.network', 2),
    ('nova_core.placement', 3),
    ('nova_core.scheduler', 3),
    ('nova_core.compute', 3),
    ('nova_core.api.compute', 3),
    ('nova_core.api.image', 3),
    ('nova_core.conductor', 4),
    ('nova_core.cmd', ENTRY),
    ('nova_core.wsgi', ENTRY),
    # test support for plugin authors: nothing but tests may import it
    ('nova_core.testing', ENTRY),
]
SERVICE_LEVEL = 3

# Libraries only some rooms may import: (top-level name, allowed prefixes,
# why). The prefixes are module-name prefixes.
RESTRICTED = [
    ('sqlalchemy', ('nova_core.placement.objects', 'nova_core.placement.db',
                    'nova_core.db'),
     'only the objects and db layers touch the database'),
    ('oslo_db', ('nova_core.placement.objects', 'nova_core.placement.db',
                 'nova_core.db'),
     'only the objects and db layers touch the database'),
    ('alembic', ('nova_core.placement.db', 'nova_core.db'),
     'only the db layers run migrations'),
    ('webob', ('nova_core.api', 'nova_core.placement.handlers',
               # placement's HTTP error table and error body format
               'nova_core.placement.errors',
               # the in-process client speaks WSGI, so it builds requests
               'nova_core.placement.direct'),
     'only the HTTP edge (api/ and handlers) touches webob'),
    ('stevedore', ('nova_core.loading',),
     'plugins are loaded in one place, nova_core/loading.py'),
    ('oslo_messaging', ('nova_core.rpc',),
     'transports, targets, clients and servers are built in nova_core/rpc.py'),
    ('importlib', ('nova_core.loading',),
     'dynamic imports dodge these rules; plugins load through stevedore'),
]

# Rooms that must never reach a database, even where the levels would let
# them: (room prefix, forbidden module prefix, why).
NO_DATABASE = [
    (room, 'nova_core.db',
     'a compute node holds no database credentials: it reads and writes '
     'through the conductor (conductor.rpcapi)')
    for room in ('nova_core.compute', 'nova_core.virt')
]

# Statements an import may sit under and still run when the module loads.
_MODULE_LEVEL_BLOCKS = (ast.Module, ast.If, ast.Try, ast.ExceptHandler)
if hasattr(ast, 'TryStar'):
    _MODULE_LEVEL_BLOCKS += (ast.TryStar,)


def module_name(path):
    """The dotted name of a .py file under ``nova_core/``."""
    rel = path.relative_to(PACKAGE_DIR.parent).with_suffix('')
    parts = list(rel.parts)
    if parts[-1] == '__init__':
        parts.pop()
    return '.'.join(parts)


def all_modules():
    """{dotted name: path} of every Python module of the package."""
    return {module_name(p): p for p in sorted(PACKAGE_DIR.rglob('*.py'))}


def room_of(name):
    """(room prefix, level) of a module name, or None if in no room."""
    best = None
    for prefix, level in ROOMS:
        if name == prefix or (prefix != 'nova_core' and
                              name.startswith(prefix + '.')):
            if best is None or len(prefix) > len(best[0]):
                best = (prefix, level)
    return best


def is_package(name, known):
    return any(other.startswith(name + '.') for other in known)


def imported_names(tree, name, known):
    """(lineno, statement text, imported module, parents) of each import.

    ``from a.b import c`` imports ``a.b.c`` when that is a module, else ``a.b``.
    ``parents`` are the AST nodes enclosing the statement.
    """
    package = name if is_package(name, known) else name.rpartition('.')[0]
    found = []

    def visit(node, parents):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                for alias in child.names:
                    found.append((child.lineno, 'import %s' % alias.name,
                                  alias.name, parents + [node]))
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ''
                if child.level:
                    anchor = package.split('.')
                    anchor = anchor[:len(anchor) - child.level + 1]
                    base = '.'.join(anchor + ([base] if base else []))
                for alias in child.names:
                    full = '%s.%s' % (base, alias.name)
                    target = full if full in known else base
                    found.append((child.lineno, 'from %s%s import %s' % (
                        '.' * child.level, child.module or '', alias.name),
                        target, parents + [node]))
            else:
                visit(child, parents + [node])

    visit(tree, [])
    return found


def _is_type_checking(node):
    test = getattr(node, 'test', None)
    return (isinstance(node, ast.If) and
            (isinstance(test, ast.Name) and test.id == 'TYPE_CHECKING' or
             isinstance(test, ast.Attribute) and test.attr == 'TYPE_CHECKING'))


def _service_room(name):
    room = room_of(name)
    return room if room and SERVICE_LEVEL <= room[1] < ENTRY else None


def check_layering(name, target):
    """The broken rule, or None, for module *name* importing *target*."""
    mine, theirs = room_of(name), room_of(target)
    if theirs is None:
        return ('%s is in no room of the import table (tests/unit/'
                'test_import_rules.py ROOMS, docs/architecture.md)' % target)
    if mine[0] == theirs[0] or mine[1] == ENTRY:
        return None
    is_rpcapi = target.rpartition('.')[2] == 'rpcapi'
    if _service_room(name) and _service_room(target):
        if is_rpcapi:
            return None
        return ('services import each other only through rpcapi modules '
                '(%s is in room %s, level %d; %s in room %s, level %d)'
                % (name, mine[0], mine[1], target, theirs[0], theirs[1]))
    if theirs[1] >= mine[1]:
        return ('imports go down, never up or sideways: level %d (%s) may '
                'import only its own room and lower levels, not level %d '
                '(%s)' % (mine[1], mine[0], theirs[1], theirs[0]))
    return None


def check_library(name, target):
    top = target.partition('.')[0]
    for library, allowed, why in RESTRICTED:
        if top == library and not any(
                name == p or name.startswith(p + '.') for p in allowed):
            return '%s may be imported only by %s: %s' % (
                library, ', '.join(allowed), why)
    return None


def check_no_database(name, target):
    for room, forbidden, why in NO_DATABASE:
        if ((name == room or name.startswith(room + '.')) and
                (target == forbidden or target.startswith(forbidden + '.'))):
            return '%s may not import %s: %s' % (room, forbidden, why)
    return None


def check_placement(parents):
    for node in parents:
        if _is_type_checking(node):
            return None
        if not isinstance(node, _MODULE_LEVEL_BLOCKS):
            return ('imports belong at module level, not inside a %s '
                    '(a cycle means the layering is wrong)'
                    % type(node).__name__)
    return None


def violations(name, source, known):
    """Every broken rule of one module, as ``line: statement: rule``."""
    if room_of(name) is None:
        return ['%s:1: the module is in no room of the import table (add it '
                'to ROOMS in tests/unit/test_import_rules.py and to '
                'docs/architecture.md)' % name]
    found = []
    for lineno, text, target, parents in imported_names(
            ast.parse(source), name, known):
        rules = [check_placement(parents), check_library(name, target)]
        if target == 'nova_core' or target.startswith('nova_core.'):
            rules.append(check_layering(name, target))
            rules.append(check_no_database(name, target))
        found.extend('%s:%d: %s  -> %s' % (name, lineno, text, rule)
                     for rule in rules if rule)
    return found


def test_every_module_follows_the_import_rules():
    modules = all_modules()
    assert len(modules) > 10, 'no modules found under %s' % PACKAGE_DIR
    found = []
    for name, path in modules.items():
        found.extend(violations(name, path.read_text(), modules))
    assert not found, 'import rule violations:\n' + '\n'.join(found)


# -- the checker itself ------------------------------------------------------

KNOWN = {'nova_core', 'nova_core.api', 'nova_core.api.wsgi',
         'nova_core.placement', 'nova_core.placement.deploy',
         'nova_core.placement.handlers', 'nova_core.placement.handlers.trait',
         'nova_core.scheduler', 'nova_core.scheduler.rpcapi',
         'nova_core.scheduler.manager', 'nova_core.compute',
         'nova_core.compute.manager', 'nova_core.conductor.rpcapi',
         'nova_core.conductor.manager', 'nova_core.conf', 'nova_core.context',
         'nova_core.db', 'nova_core.virt', 'nova_core.virt.driver',
         'nova_core.scheduler.host_state'}


@pytest.mark.parametrize('name, source, rule', [
    ('nova_core.context', 'from nova_core.api import wsgi',
     'level 1 (nova_core.context) may import only its own room and lower'),
    ('nova_core.context', 'from nova_core import db',
     'not level 1 (nova_core.db)'),
    ('nova_core.api.router', 'from nova_core.virt import driver',
     'not level 2 (nova_core.virt)'),
    ('nova_core.scheduler.host_state', 'from nova_core.scheduler import '
     'manager', 'not level 3 (nova_core.scheduler)'),
    ('nova_core.conf.api', 'from nova_core import context',
     'not level 1 (nova_core.context)'),
    ('nova_core.api.router', 'import nova_core.placement.deploy',
     'not level 3 (nova_core.placement)'),
    ('nova_core.compute.manager', 'from nova_core.scheduler import manager',
     'services import each other only through rpcapi'),
    ('nova_core.conductor.manager',
     'from nova_core.compute import manager',
     'services import each other only through rpcapi'),
    ('nova_core.placement.deploy', 'from nova_core.cmd import config',
     'not level 9 (nova_core.cmd)'),
    ('nova_core.placement.handlers.trait', 'import sqlalchemy as sa',
     'sqlalchemy may be imported only by'),
    ('nova_core.placement.objects.trait', 'from webob import exc',
     'webob may be imported only by'),
    ('nova_core.compute.manager', 'from nova_core.db import instance',
     'nova_core.compute may not import nova_core.db'),
    ('nova_core.virt.fake', 'import nova_core.db',
     'nova_core.virt may not import nova_core.db'),
    ('nova_core.scheduler.manager', 'import stevedore',
     'stevedore may be imported only by nova_core.loading'),
    ('nova_core.api.router', 'import importlib',
     'dynamic imports dodge these rules'),
    ('nova_core.api.router', 'def f():\n    import json\n',
     'not inside a FunctionDef'),
    ('nova_core.api.router', 'class A:\n    import json\n',
     'not inside a ClassDef'),
    ('nova_core.placement.handlers.trait', 'from .. import deploy\n'
     'from ...scheduler import manager\n',
     'services import each other only through rpcapi'),
    ('nova_core.frobnicator', 'import json', 'module is in no room'),
    ('nova_core.api.router', 'import nova_core.frobnicator',
     'nova_core.frobnicator is in no room'),
])
def test_checker_finds(name, source, rule):
    found = violations(name, source, KNOWN)
    assert any(rule in line for line in found), found
    assert all(line.startswith(name + ':') for line in found)


@pytest.mark.parametrize('name, source', [
    ('nova_core.placement.deploy', 'from nova_core.api import wsgi\n'
     'from nova_core import context\nfrom nova_core import conf\n'),
    ('nova_core.placement.handlers.trait', 'from .. import deploy\n'
     'import webob\n'),
    ('nova_core.compute.manager', 'from nova_core.conductor import rpcapi\n'
     'from nova_core.scheduler import rpcapi as s\n'),
    ('nova_core.conductor.manager', 'import nova_core.scheduler.rpcapi\n'
     'from nova_core.scheduler import host_state\n'),
    ('nova_core.scheduler.manager', 'from nova_core.scheduler import '
     'host_state\nfrom nova_core.virt import driver\n'),
    ('nova_core.cmd.manage', 'from nova_core.placement import deploy\n'),
    ('nova_core.api.auth', 'try:\n    import keystonemiddleware\n'
     'except ImportError:\n    keystonemiddleware = None\n'),
    ('nova_core.api.router', 'from typing import TYPE_CHECKING\n'
     'if TYPE_CHECKING:\n    import json\n'),
])
def test_checker_accepts(name, source):
    assert violations(name, source, KNOWN) == []
