"""Orchestration: the per-paper pipeline, the Prefect ingest flow and the `evidence` CLI."""
