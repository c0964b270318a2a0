"""The DuckDB warehouse: DDL in schema.sql, named queries in sql/*.sql, loads in store.py."""

from warehouse.store import DEFAULT_DB, Warehouse, apply_schema, connect, run_readonly_sql, sql

__all__ = ["DEFAULT_DB", "Warehouse", "apply_schema", "connect", "run_readonly_sql", "sql"]
