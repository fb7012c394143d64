"""The placement database: tables (one noun per module), engine, migrations."""
