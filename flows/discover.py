"""Find the input files under the paths a user gives."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from extractors.read import SUPPORTED_SUFFIXES

SKIPPED_NAMES = {"README.md", "MANIFEST.tsv", ".DS_Store"}


def discover_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, and supported files under folders (recursive), sorted and de-duplicated.

    A file named explicitly is always taken (so a bad file gets an error row, not silence);
    inside folders only known suffixes are taken.
    """
    found: dict[Path, None] = {}
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if (
                    child.is_file()
                    and child.suffix.lower() in SUPPORTED_SUFFIXES
                    and child.name not in SKIPPED_NAMES
                    and not child.name.startswith(".")
                ):
                    found.setdefault(child, None)
        else:
            found.setdefault(path, None)
    return list(found)
