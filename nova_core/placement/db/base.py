"""What every placement table shares: one MetaData, timestamps, table options."""

import sqlalchemy as sa

from nova_core.db import base as db_base
from nova_core.db import engine as db_engine

metadata = sa.MetaData()

# The same as the API and cell tables'; placement's modules name them here.
TABLE_ARGS = db_base.TABLE_ARGS
utcnow = db_base.utcnow
timestamps = db_base.timestamps
sqlite_file = db_engine.sqlite_file

# The largest value an Integer column holds on every backend (signed 32 bit).
MAX_INT = 2 ** 31 - 1
# The largest single-precision float: MySQL stores sa.Float as FLOAT.
SQL_SP_FLOAT_MAX = 3.40282e+38
