"""The per-paper pipeline never raises: every file becomes papers or error records."""

from __future__ import annotations

from flows.pipeline import extract_file, pipeline_fingerprint, process_file_safe
from tests.conftest import SEEDS


def test_good_file_gives_one_paper_with_provenance() -> None:
    outcome = process_file_safe(SEEDS[1])
    assert not outcome.errors and len(outcome.results) == 1
    paper = outcome.results[0]
    assert paper.paper_id == outcome.sha256
    assert all(paper.text[e.start : e.end] == e.text for e in paper.entities)


def test_bad_files_become_error_records(tmp_path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    missing = tmp_path / "missing.txt"
    for path, error_type in ((empty, "EmptyFile"), (missing, "UnreadablePaper")):
        outcome = process_file_safe(path)
        assert outcome.results == []
        [err] = outcome.errors
        assert err.stage == "read" and err.error_type == error_type and err.message


def test_time_budget_turns_a_slow_document_into_an_error() -> None:
    outcome = process_file_safe(SEEDS[3], time_limit_s=0.001)
    [err] = outcome.errors
    assert err.error_type == "TimeBudgetExceeded" and "time budget" in err.message


def test_fingerprint_is_stable_and_extract_file_is_deterministic() -> None:
    assert pipeline_fingerprint() == pipeline_fingerprint()
    a = extract_file(SEEDS[0]).model_dump_json()
    b = extract_file(SEEDS[0]).model_dump_json()
    assert a == b
