"""[quota] options: the default limits of every project (Nova's names)."""

from oslo_config import cfg

from nova_core.conf import groups

quota_group = cfg.OptGroup(
    'quota', title='Quota options',
    help="""
Default limits of the compute resources of a project. An admin overrides them
per project with ``PUT /os-quota-sets/{project_id}`` (``openstack quota
set``); a project without an override gets these values. -1 means unlimited.
""")


def _limit(name, default, what):
    return cfg.IntOpt(name, default=default, min=-1, help="""
%s

Possible values: -1 (unlimited), 0 or a positive integer.
""" % what)


quota_opts = [
    _limit('instances', 10,
           'Servers a project may have (counted across every cell, the '
           'servers still being scheduled included).'),
    _limit('cores', 20,
           'Virtual CPUs (the sum of the flavors\' vcpus) a project\'s '
           'servers may have.'),
    _limit('ram', 51200,
           'Megabytes of RAM (the sum of the flavors\' memory_mb) a '
           'project\'s servers may have.'),
    _limit('metadata_items', 128,
           'Metadata key/value pairs one server may carry.'),
    _limit('injected_files', 5,
           'Files one server create may inject (``personality``); shown by '
           'the API before microversion 2.57.'),
    _limit('injected_file_content_bytes', 10240,
           'Bytes of one injected file; shown by the API before '
           'microversion 2.57.'),
    _limit('injected_file_path_length', 255,
           'Characters of the path of an injected file (the API calls it '
           '``injected_file_path_bytes``); shown before microversion 2.57.'),
    _limit('key_pairs', 100,
           'Key pairs one user may own (counted per user, as Nova does).'),
    _limit('server_groups', 10,
           'Server groups a project may have.'),
    _limit('server_group_members', 10,
           'Servers one server group may hold.'),
    cfg.BoolOpt('recheck_quota', default=True, help="""
Count the servers again once a create request has recorded its own, and undo
the request if the project went over a limit meanwhile.

Two requests checked at the same moment can both fit a limit that only one
of them fits; the recheck refuses the one that finds the project over it
(both, at worst), at the cost of counting twice per request. Turn it off to
count once and accept that concurrent requests may overshoot a limit.
"""),
]


def register_opts(conf):
    groups.register(conf, quota_group, quota_opts)


def list_opts():
    return [(quota_group, quota_opts)]
