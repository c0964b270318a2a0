"""Glyph data for `extractors/repair.py`: symbol-font tables and the word lists the context rules read.

Everything here is data. A font table maps the character a PDF reader reports for a glyph drawn in
that font (its code read as if it were Latin text) to the character the font draws there.
"""

from __future__ import annotations

import re

# Adobe Symbol (and its clones: Microsoft "Symbol", "SymbolMT", TeX-made "MTSY"): Greek on the Latin
# letters, operators on the upper half. A reader without a ToUnicode map reports the raw code, so the
# upper half arrives as Latin-1 characters (0xB1 "±" happens to coincide).
SYMBOL_TABLE: dict[str, str] = {
    **dict(zip("abgdezhqiklmnxprstufcyw", "αβγδεζηθικλμνξπρστυφχψω", strict=True)),
    **dict(zip("ABGDEZHQIKLMNXPRSTUFCYW", "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΠΡΣΤΥΦΧΨΩ", strict=True)),
    "j": "ϕ",
    "v": "ϖ",
    "J": "ϑ",
    "V": "ς",
    "-": "−",
    "~": "∼",
    "@": "≅",
    "\\": "∴",
    "^": "⊥",
    "\u00a2": "′",
    "\u00a3": "≤",
    "\u00a5": "∞",
    "\u00ab": "↔",
    "\u00ac": "←",
    "\u00ad": "↑",
    "\u00ae": "→",
    "\u00af": "↓",
    "\u00b0": "°",
    "\u00b1": "±",
    "\u00b2": "″",
    "\u00b3": "≥",
    "\u00b4": "×",
    "\u00b5": "∝",
    "\u00b6": "∂",
    "\u00b7": "•",
    "\u00b8": "÷",
    "\u00b9": "≠",
    "\u00ba": "≡",
    "\u00bb": "≈",
    "\u00bc": "…",
    "\u00d6": "√",
    "\u00d7": "⋅",
    "\u00d8": "¬",
    "\u00d9": "∧",
    "\u00da": "∨",
    "\u00f2": "∫",
}

# Linotype "Mathematical Pi" (journal typesetting, e.g. J Nucl Med): operators sit on the digits and
# punctuation. Read from the seed papers: " 6 " is ±, " 5 " is =, "," is <, "." is >, "2" is minus,
# "·" is ×, and the footnote markers "y"/"z" are † and ‡.
MATH_PI_TABLE: dict[str, str] = {
    "6": "±",
    "5": "=",
    ",": "<",
    ".": ">",
    "2": "−",
    "\u00b7": "×",
    "y": "†",
    "z": "‡",
}

# Design Science "MT Extra" (MathType): the few characters of it that appear in prose.
MT_EXTRA_TABLE: dict[str, str] = {
    ":": "∼",
    ";": "≃",
    "=": "≪",
    "?": "≫",
    "K": "…",
    "L": "⋯",
    "h": "ℏ",
    "l": "ℓ",
    "m": "∓",
}

FONT_TABLES: dict[str, dict[str, str]] = {
    "symbol": SYMBOL_TABLE,
    "math_pi": MATH_PI_TABLE,
    "mt_extra": MT_EXTRA_TABLE,
}

# Font names (as PDF readers report them, subset prefix "ABCDEF+" included) -> table name.
FONT_NAME_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"mt[\s_-]*extra", re.I), "mt_extra"),
    (re.compile(r"math(?:ematical)?[\s_-]*pi|mathpi|universal[\s_-]*greek", re.I), "math_pi"),
    (re.compile(r"symbol|mtsy|msam|msbm", re.I), "symbol"),
)

# Microsoft's Symbol font maps its codes to the private-use block U+F020..U+F0FF (code + 0xF000).
PUA_SYMBOL_BASE = 0xF000

# Greek letters printed as Latin ones in well-known biomedical names: (regex of the name with the
# letter as group "g", letter -> Greek). The name makes the letter unambiguous.
GREEK_NAME_PATTERNS: tuple[tuple[str, dict[str, str]], ...] = (
    (
        r"\b(?:TNF|IFN|TGF|PPAR|HIF-1|IL-1|ER|RAR|RXR|PKC|GSK-3|PI3K|PDGFR?|CTLA)-(?P<g>[abgdk])\b",
        {"a": "α", "b": "β", "g": "γ", "d": "δ", "k": "κ"},
    ),
    (r"\bfactor-(?P<g>[ab])\b", {"a": "α", "b": "β"}),
    (r"\bNF-(?P<g>k)B\b", {"k": "κ"}),
    (r"(?<![\w-])(?P<g>g)-(?:counter|camera|ray|rays|probe|globulin)\b", {"g": "γ"}),
    (r"(?<![\w-])(?P<g>b)-(?:blockers?|lactam|adrenergic|thalassemia|microglobulin|hCG)\b", {"b": "β"}),
    (r"(?<![\w-])(?P<g>a)-(?:fetoprotein|tocopherol|interferon|blockers?)\b", {"a": "α"}),
)

# Words after which a lost hyphen/minus glyph ("�-camera") is a Greek letter, and which letter.
GREEK_BEFORE_HYPHEN: dict[str, str] = {
    "camera": "γ",
    "ray": "γ",
    "rays": "γ",
    "counter": "γ",
    "probe": "γ",
    "blocker": "β",
    "blockers": "β",
    "lactam": "β",
    "fetoprotein": "α",
}

# Units after which a lost glyph glued to them ("�mol/L") is the micro sign.
MICRO_UNITS = ("mol", "g", "L", "l", "m", "M", "Ci", "Gy", "Sv", "U", "IU", "s")

# Conventional significance thresholds: "P � 0.05" may well be "P < 0.05"; an exact-looking value
# ("P � 0.019") is reported with "=".
P_THRESHOLDS = frozenset({0.1, 0.05, 0.01, 0.005, 0.001, 0.0005, 0.0001})

# Storage/freezer temperatures a minus glyph printed as "2" turns into "220 °C" and the like.
FREEZER_TEMPERATURES = frozenset({20, 30, 40, 60, 70, 80, 86, 135, 150, 196})

# Words whose threshold reads "below": "leukopenia � 3,000" is "< 3,000".
LOW_THRESHOLD_WORDS = re.compile(r"(?:penia|anemia|anaemia|hypo\w+|below|under|less)$", re.I)
HIGH_THRESHOLD_WORDS = re.compile(r"(?:cytosis|philia|hyper\w+|above|over|more|exceed\w*)$", re.I)

# Words after which "P �"/"(P � x)" sits in a sentence saying there was no significant difference.
NOT_SIGNIFICANT_CUES = re.compile(
    r"\b(?:no(?:t|n)?[\s-]+(?:statistically\s+)?significant\w*|did\s+not\s+differ|no\s+difference|"
    r"nonsignificant|similar)\b",
    re.I,
)

# Units of length/size after "a � b" that make it a product (20 × 20 mm, 256 × 256 matrix).
DIMENSION_UNITS = re.compile(r"\s*(?:mm|cm|µm|μm|m|pixels?|px|matrix|voxels?|in)\b")

# Short function words: a lost glyph glued between one of these and the next word is a lost space.
FUNCTION_WORDS = frozenset(
    "of the and in to with for on at by from or as an a is was are were be than that".split()
)
