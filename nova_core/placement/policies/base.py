"""Base rules that the placement policies are built from.

The names and defaults are upstream placement's, so operators' policy files
keep working. ``project_reader_api`` has no scope types: it is only used
inside other rules.
"""

from oslo_log import versionutils
from oslo_policy import policy

from nova_core.api import policy as api_policy

ADMIN_OR_SERVICE = 'rule:admin_or_service_api'
SERVICE = 'rule:service_api'
ADMIN_OR_PROJECT_READER_OR_SERVICE = (
    'rule:admin_or_project_reader_or_service_api')

_DEPRECATED_REASON = """
Placement policies moved to the secure-RBAC defaults (scope types and the
service role). The old admin-only defaults are honoured only when an
operator sets [oslo_policy] enforce_new_defaults = False (oslo.policy's
default is True).
"""

DEPRECATED_ADMIN_POLICY = policy.DeprecatedRule(
    name='rule:admin_api',
    check_str='role:admin',
    deprecated_reason=_DEPRECATED_REASON,
    deprecated_since=versionutils.deprecated.WALLABY,
)

rules = [
    policy.RuleDefault(
        'admin_api', 'role:admin',
        description='The admin of the cloud.',
        scope_types=['project']),
    policy.RuleDefault(
        'service_api', 'role:service',
        description='Another OpenStack service (nova, neutron, cyborg).',
        scope_types=['project'],
        deprecated_rule=DEPRECATED_ADMIN_POLICY),
    policy.RuleDefault(
        'admin_or_service_api', 'role:admin or role:service',
        description='The admin, or another OpenStack service.',
        scope_types=['project'],
        deprecated_rule=DEPRECATED_ADMIN_POLICY),
    policy.RuleDefault(
        'project_reader_api', 'role:reader and project_id:%(project_id)s',
        description='A reader of the project that owns the target.',
        deprecated_rule=DEPRECATED_ADMIN_POLICY),
    policy.RuleDefault(
        'admin_or_project_reader_or_service_api',
        'role:admin or rule:project_reader_api or role:service',
        description='The admin, a reader of the owning project, or a service.',
        scope_types=['project'],
        deprecated_rule=DEPRECATED_ADMIN_POLICY),
]

# The shape of the rules built from these.
rule = api_policy.documented_rule
