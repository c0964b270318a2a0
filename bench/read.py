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
import time
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


def pdfium_chars(path: Path) -> list[tuple[float, list[dict[str, object]]]]:
    """Per page: its height and its characters as pdfplumber-style dicts, from pypdfium2."""
    document = pypdfium2.PdfDocument(str(path))
    pages = []
    try:
        for page in document:
            height = page.get_height()
            textpage = page.get_textpage()
            count = textpage.count_chars()
            text = textpage.get_text_range(0, count)
            chars: list[dict[str, object]] = []
            for i, ch in enumerate(text[:count]):
                if ch in "\r\n":
                    continue  # pdfium's generated line breaks
                left, bottom, right, top = textpage.get_charbox(i, loose=True)
                size = pypdfium2.raw.FPDFText_GetFontSize(textpage.raw, i)
                chars.append(
                    {
                        "text": ch,
                        "x0": left,
                        "x1": right,
                        "top": height - top,
                        "bottom": height - bottom,
                        "doctop": height - top,
                        "upright": True,
                        "size": size,
                        "fontname": "",
                    }
                )
            textpage.close()
            page.close()
            pages.append((height, chars))
    finally:
        document.close()
    return pages


def layout_words(chars: list[dict[str, object]], width: float = 595.0) -> list[str]:
    """The reader's page layout (rows, gutters, reading order) over a page's characters, as words."""
    from pdfplumber.utils.text import WordExtractor

    from extractors import read_pdf as layout

    extractor = WordExtractor(
        x_tolerance_ratio=layout.WORD_X_TOLERANCE_RATIO, y_tolerance=layout.WORD_Y_TOLERANCE
    )
    words = [
        layout.Word(w["text"], w["x0"], w["x1"], w["top"], w["bottom"], max(c["size"] for c in cs), [])
        for w, cs in extractor.iter_extract_tuples(layout._clean_chars(chars))  # noqa: SLF001
        if w["text"].strip()
    ]
    if not words:
        return []
    rows = layout._group_rows(words)  # noqa: SLF001
    lines = layout._split_rows(rows, layout._find_gutters(rows, width))  # noqa: SLF001
    return [word for line in lines for word in line.text.split()]


def char_hybrid(path: Path) -> tuple[float, float, float]:
    """Word similarity of the same layout over pypdfium2's characters vs pdfplumber's, and both times."""
    t0 = time.perf_counter()
    ours = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            ours.append(layout_words(page.chars, float(page.width)))
    t1 = time.perf_counter()
    theirs = [layout_words(chars) for _, chars in pdfium_chars(path)]
    t2 = time.perf_counter()
    flat_ours = [w for page in ours for w in page]
    flat_theirs = [w for page in theirs for w in page]
    return Indel.normalized_similarity(flat_ours, flat_theirs), t1 - t0, t2 - t1


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
    char_results = [char_hybrid(path) for path in paths]
    char_similarity = [r[0] for r in char_results]
    plumber_s = sum(r[1] for r in char_results)
    pdfium_s = sum(r[2] for r in char_results)
    print(
        f"char-level hybrid (our layout over pypdfium2 characters): word similarity min {min(char_similarity):.3f}, "
        f"median {statistics.median(char_similarity):.3f}; layout over pdfplumber chars {pages / plumber_s:.1f} p/s, "
        f"over pypdfium2 chars {pages / pdfium_s:.1f} p/s -> "
        f"{'adopt' if min(char_similarity) >= HYBRID_MIN_SIMILARITY else 'not adopted'}"
    )
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
