"""Reader throughput: PDF pages/second against pdfplumber's own extract_text, text and XML docs/second,
and whether a pypdfium2 + pdfplumber hybrid would keep the PDF reader's output.

    python bench/read.py                  # 11 corpus PDFs (median of 3 runs), 200 texts, 94 nxml
    python bench/read.py --runs 1 --texts 50

The hybrid question: pypdfium2 extracts a page's text in C, far faster than pdfminer. It would be
adopted for the running text (pdfplumber kept for pages with tables) only if its words come out the
same as ours: the word-sequence similarity (Indel, over the running text without table blocks) must
reach HYBRID_MIN_SIMILARITY on every file.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pdfplumber  # noqa: E402
import pypdfium2  # noqa: E402
from rapidfuzz.distance import Indel  # noqa: E402

from bench.common import CORPORA, timed, unpack_evidence_inference  # noqa: E402
from extractors.read import read_path  # noqa: E402
from schemas import Document  # noqa: E402

PDF_DIR = CORPORA / "pdfs"
NXML_DIR = CORPORA / "evidence-inference" / "nxml"
HYBRID_MIN_SIMILARITY = 0.99


def plumber_text(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        return sum(len(page.extract_text() or "") for page in pdf.pages)


def pdfium_pages(path: Path) -> list[str]:
    document = pypdfium2.PdfDocument(str(path))
    try:
        texts = []
        for page in document:
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return texts
    finally:
        document.close()


def running_words(doc: Document) -> list[str]:
    """Our text without the rendered table blocks, as words."""
    text = doc.text
    for table in sorted(doc.tables, key=lambda t: t.start or 0, reverse=True):
        if table.start is not None and table.end is not None:
            text = text[: table.start] + text[table.end :]
    return text.split()


def bench_pdfs(runs: int) -> None:
    paths = sorted(PDF_DIR.glob("*.pdf"))
    if not paths:
        print(f"{PDF_DIR} is absent: PDF bench skipped")
        return
    print(f"PDF: {len(paths)} files, median of {runs} run(s)")
    header = f"{'file':<34} {'pages':>5} {'ours p/s':>9} {'plumber p/s':>11} {'ratio':>6} {'pdfium p/s':>10} {'same words':>10}"
    print(header)
    print("-" * len(header))
    totals = {"pages": 0, "ours": 0.0, "plumber": 0.0, "pdfium": 0.0}
    similarities = []
    for path in paths:
        ours, _, docs = timed(lambda p=path: read_path(p), runs)
        plumber, _, _ = timed(lambda p=path: plumber_text(p), runs)
        pdfium, _, pdfium_text = timed(lambda p=path: pdfium_pages(p), runs)
        doc = docs[0]
        pages = len(doc.pages)
        pdfium_words = "\n".join(pdfium_text).split()
        similarity = Indel.normalized_similarity(running_words(doc), pdfium_words)
        similarities.append(similarity)
        totals["pages"] += pages
        totals["ours"] += ours
        totals["plumber"] += plumber
        totals["pdfium"] += pdfium
        print(
            f"{path.name[:34]:<34} {pages:>5} {pages / ours:>9.1f} {pages / plumber:>11.1f} "
            f"{plumber / ours:>6.2f} {pages / pdfium:>10.1f} {similarity:>10.3f}"
        )
    pages = totals["pages"]
    print("-" * len(header))
    print(
        f"{'all':<34} {pages:>5} {pages / totals['ours']:>9.1f} {pages / totals['plumber']:>11.1f} "
        f"{totals['plumber'] / totals['ours']:>6.2f} {pages / totals['pdfium']:>10.1f} "
        f"{statistics.median(similarities):>10.3f}"
    )
    adopt = min(similarities) >= HYBRID_MIN_SIMILARITY
    print(
        f"hybrid (pypdfium2 running text): word similarity min {min(similarities):.3f}, "
        f"median {statistics.median(similarities):.3f} -> {'adopt' if adopt else 'not adopted'} "
        f"(needs >= {HYBRID_MIN_SIMILARITY} on every file)"
    )


def bench_docs(label: str, paths: list[Path], runs: int) -> None:
    if not paths:
        print(f"{label}: no files, skipped")
        return

    def read_all() -> int:
        return sum(len(read_path(p)) for p in paths)

    seconds, _, count = timed(read_all, runs)
    print(
        f"{label}: {len(paths)} files, {count} documents in {seconds:.2f} s -> {count / seconds:.1f} docs/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--texts", type=int, default=200, help="Evidence Inference full texts to read")
    parser.add_argument("--skip-pdf", action="store_true")
    args = parser.parse_args()
    if not args.skip_pdf:
        bench_pdfs(args.runs)
    bench_docs("text (.txt)", unpack_evidence_inference(args.texts), args.runs)
    bench_docs("JATS (.nxml)", sorted(NXML_DIR.glob("*.nxml")), args.runs)


if __name__ == "__main__":
    main()
