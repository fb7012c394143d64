"""All placement tables, for migrations and schema comparisons."""

from nova_core.placement.db import aggregate  # noqa: F401
from nova_core.placement.db import allocation  # noqa: F401
from nova_core.placement.db import base
from nova_core.placement.db import change  # noqa: F401
from nova_core.placement.db import consumer  # noqa: F401
from nova_core.placement.db import inventory  # noqa: F401
from nova_core.placement.db import resource_class  # noqa: F401
from nova_core.placement.db import resource_provider  # noqa: F401
from nova_core.placement.db import trait  # noqa: F401

metadata = base.metadata
