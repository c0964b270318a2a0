"""Small PDFs drawn with reportlab for the PDF reader tests (positions chosen like a journal page)."""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

WIDTH, HEIGHT = A4
LEFT_X, RIGHT_X = 50.0, 310.0  # two columns with a gutter between 280 and 310
RUNNING_HEAD = "J Test Med 2020; 12: 345-356 Smith et al."
BODY_FONT, BODY_SIZE, LEADING = "Helvetica", 9.0, 11.0

LEFT_COLUMN = [
    "Abstract",
    "Background: Forty-two patients were treated",
    "with strontium chloride for painful bone",
    "metastases. Serum tumor necro-",
    "sis factor levels were measured before",
    "and after treatment in every patient.",
]
RIGHT_COLUMN = [
    "Results: The response rate was 64% and",
    "the difference was significant (p = 0.003).",
    "Mean pain scores fell from 6.1 to 3.2",
    "in the treated group over eight weeks.",
]
RULED_TABLE = [["Group", "n", "Age"], ["Treated", "20", "61.2"], ["Control", "22", "59.8"]]
UNRULED_TABLE = [
    ["Outcome", "Treated", "Control", "P value"],
    ["Pain score", "3.2 ± 1.1", "5.9 ± 1.4", "0.003"],
    ["Response", "13 (64%)", "6 (27%)", "0.02"],
]


def _running_head(canvas: Canvas, number: int) -> None:
    canvas.setFont(BODY_FONT, 7)
    canvas.drawString(LEFT_X, HEIGHT - 30, RUNNING_HEAD)
    canvas.drawString(WIDTH / 2, 25, str(number))


def _column(canvas: Canvas, x: float, top: float, lines: list[str]) -> None:
    canvas.setFont(BODY_FONT, BODY_SIZE)
    for i, line in enumerate(lines):
        canvas.drawString(x, top - i * LEADING, line)


def two_column_pdf() -> bytes:
    """Three pages: a title in fake bold, two columns with a hyphenated line end, a ruled and an unruled table,
    a running head and page numbers on every page, and a '±' drawn in the Symbol font."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    # Page 1: title across the page, then two columns.
    _running_head(canvas, 1)
    canvas.setFont("Helvetica-Bold", 14)
    canvas.drawString(LEFT_X, HEIGHT - 80, "Strontium therapy in painful bone metastases")
    # Drawn again a hair to the right: "fake bold", which must not double the letters.
    canvas.drawString(LEFT_X + 0.3, HEIGHT - 80, "Strontium therapy in painful bone metastases")
    _column(canvas, LEFT_X, HEIGHT - 120, LEFT_COLUMN * 3)
    _column(canvas, RIGHT_X, HEIGHT - 120, RIGHT_COLUMN * 4)
    canvas.showPage()
    # Page 2: a fully ruled grid table, then running text.
    _running_head(canvas, 2)
    canvas.setFont(BODY_FONT, BODY_SIZE)
    canvas.drawString(LEFT_X, HEIGHT - 80, "Table 1 Patients by group")
    col_x = [LEFT_X, LEFT_X + 120, LEFT_X + 180, LEFT_X + 260]
    row_y = [HEIGHT - 90 - i * 16 for i in range(len(RULED_TABLE) + 1)]
    for y in row_y:
        canvas.line(col_x[0], y, col_x[-1], y)
    for x in col_x:
        canvas.line(x, row_y[0], x, row_y[-1])
    for r, row in enumerate(RULED_TABLE):
        for c, cell in enumerate(row):
            canvas.drawString(col_x[c] + 4, row_y[r] - 11, cell)
    _column(
        canvas,
        LEFT_X,
        HEIGHT - 200,
        ["The groups were similar at baseline in age and sex and", "in the stage of disease."],
    )
    canvas.showPage()
    # Page 3: a journal-style table (three horizontal rules, no vertical ones), then a symbol.
    _running_head(canvas, 3)
    canvas.setFont(BODY_FONT, BODY_SIZE)
    canvas.drawString(LEFT_X, HEIGHT - 80, "Table 2 Outcomes at eight weeks")
    cols = [LEFT_X, LEFT_X + 130, LEFT_X + 230, LEFT_X + 330]
    top = HEIGHT - 90
    canvas.line(LEFT_X, top, LEFT_X + 400, top)
    for r, row in enumerate(UNRULED_TABLE):
        y = top - 12 - r * 14
        for c, cell in enumerate(row):
            canvas.drawString(cols[c], y, cell)
        if r == 0:
            canvas.line(LEFT_X, y - 4, LEFT_X + 400, y - 4)
    bottom = top - 12 - len(UNRULED_TABLE) * 14 + 6
    canvas.line(LEFT_X, bottom, LEFT_X + 400, bottom)
    _column(
        canvas,
        LEFT_X,
        bottom - 40,
        [
            "Pain fell in every treated patient and the effect lasted for the whole",
            "follow-up period of the study in all of the centres taking part.",
        ],
    )
    canvas.setFont(BODY_FONT, BODY_SIZE)
    canvas.drawString(LEFT_X, bottom - 80, "Mean difference 2.7")
    canvas.setFont("Symbol", BODY_SIZE)
    canvas.drawString(LEFT_X + 90, bottom - 80, "\u00b1")
    canvas.setFont(BODY_FONT, BODY_SIZE)
    canvas.drawString(LEFT_X + 98, bottom - 80, "0.4 points.")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def image_only_pdf() -> bytes:
    """A page with drawings but no text layer."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.rect(100, 100, 300, 300, fill=1)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def encrypted_pdf(path: Path) -> Path:
    """`two_column_pdf` encrypted with a user password."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(two_column_pdf())).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner")
    with path.open("wb") as handle:
        writer.write(handle)
    return path
