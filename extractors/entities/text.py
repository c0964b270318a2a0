"""Text helpers the clinical entity components share.

Sentences that do not break after "et al." or "vs.", citation detection (a number from another
study), section lookup for plain text, JSONL pattern files, the paper's abbreviations, and `TextView`:
the paper read with line-end hyphenation undone and tables lifted out of the prose, with a map back
to the paper's offsets.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import spacy
from spacy.tokens import Doc

from extractors.abbreviations import find_abbreviations
from extractors.numbers import PAT_NUMBER_WORD, parse_number
from schemas.context import PaperContext

__all__ = [
    "PATTERN_DIR",
    "PAT_INT",
    "PAT_COUNT",
    "PAT_CITATION",
    "CITING_SECTIONS",
    "TextView",
    "alternation",
    "cited_sentences",
    "load_patterns",
    "paper_abbreviations",
    "paper_views",
    "parse_count",
    "pattern_terms",
    "section_of",
    "sentence_index",
    "sentence_spans",
    "sentences_of",
    "text_view",
]

PATTERN_DIR = Path(__file__).parent / "patterns"

# An integer count: thousands groups or plain digits, never half of a decimal, a word ("A1") or a
# hyphenated compound ("IL-2"); or a spelled-out number ("Forty-two").
# An em dash printed as "---" may precede a count ("(56%)---12 in the soy group"); a letter-hyphen may not.
PAT_INT = r"(?<![\w.·,/])(?<!\w-)(?:\d{1,3}(?:,\d{3})+|\d+)(?![\d.·]\d|[\w%])"
PAT_COUNT = rf"(?:{PAT_INT}|{PAT_NUMBER_WORD})"

# Sentence splits the sentencizer makes after abbreviations that never end a sentence.
PAT_NO_SENTENCE_END = re.compile(
    r"(?:\bet al|\bvs|\be\.g|\bi\.e|\bFig|\bFigs|\bNo|\bref|\bapprox|\bca)\.\s*$", re.I
)
# Citation markers: "(12)", "(4,22)", "(5,20–30)", "[3]", "Smith et al."
PAT_CITATION = re.compile(
    r"\(\s*\d{1,3}(?:\s*[,–\-]\s*\d{1,3})*\s*\)|\[\s*\d{1,3}(?:\s*[,–\-]\s*\d{1,3})*\s*\]|\bet al\b"
)
# This paper speaking about itself: a sentence with these is never cited.
PAT_OWN_WORK = re.compile(r"\b(?:we|our|us|present study|this study)\b", re.I)
# Section headings in plain text, used when no sections are known.
PAT_HEADING = re.compile(
    r"^\s*(?P<h>INTRODUCTION|BACKGROUND|(?:MATERIALS AND )?METHODS|PATIENTS AND METHODS|RESULTS|DISCUSSION|"
    r"CONCLUSIONS?|REFERENCES)\s*$",
    re.M,
)
HEADING_NAMES = {
    "INTRODUCTION": "introduction",
    "BACKGROUND": "introduction",
    "RESULTS": "results",
    "DISCUSSION": "discussion",
    "CONCLUSION": "conclusion",
    "CONCLUSIONS": "conclusion",
    "REFERENCES": "references",
}
CITING_SECTIONS = {"introduction", "discussion", "background"}


@cache
def load_patterns(kind: str) -> tuple[dict[str, Any], ...]:
    """The JSONL pattern file `patterns/<kind>.jsonl`, one dict per line."""
    path = PATTERN_DIR / f"{kind}.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return tuple(rows)


def pattern_terms(kind: str, label: str) -> list[dict[str, Any]]:
    return [row for row in load_patterns(kind) if row.get("label") == label]


def alternation(words: list[str]) -> str:
    """A regex alternation of literal phrases, longest first, spaces matching any white space.

    Built as a trie (`ab(?:c|d)?` rather than `abc|abd|ab`): Python's regex engine tries every
    branch of a flat alternation at every position, so a lexicon of hundreds of terms made the
    entity components spend most of their time here. A greedy optional tail keeps longest-first.
    """
    trie: dict[str, Any] = {}
    for word in {w for w in words if w}:
        node = trie
        for token in (r"\s+" if ch == " " else re.escape(ch) for ch in word):
            node = node.setdefault(token, {})
        node[""] = {}  # end of a phrase
    return _render_trie(trie)


def _render_trie(node: dict[str, Any]) -> str:
    branches = [token + _render_trie(child) for token, child in node.items() if token]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:
        return f"(?:{body})?"
    return body


def parse_count(text: str) -> int | None:
    value = parse_number(text.replace("\n", " "))
    if value is None or value != int(value) or value < 0:
        return None
    return int(value)


def sentence_spans(doc: Doc) -> list[tuple[int, int]]:
    """Character spans of the doc's sentences, re-joined where the split followed "et al." etc."""
    spans: list[list[int]] = []
    text = doc.text
    for sent in doc.sents:
        start, end = sent.start_char, sent.end_char
        if spans:
            prev = text[spans[-1][0] : spans[-1][1]]
            nxt = text[start:end].lstrip()
            if (
                PAT_NO_SENTENCE_END.search(prev)
                or (nxt[:1].islower())
                or re.match(r"\d{1,3}(?:,\d+)*\)", nxt)
            ):
                spans[-1][1] = end
                continue
        spans.append([start, end])
    return [(s, e) for s, e in spans]


def section_of(ctx: PaperContext, offset: int) -> str | None:
    """The section at `offset`; when no sections are known, the last plain-text heading before it."""
    name = ctx.section_at(offset) if ctx.sections else None
    if name:
        return name
    found = None
    for m in PAT_HEADING.finditer(ctx.repaired, 0, offset):
        found = HEADING_NAMES.get(m["h"], "methods")
    return found


def cited_sentences(ctx: PaperContext, sents: list[tuple[int, int]]) -> list[bool]:
    """Per sentence: does it report another study (literature cited in an introduction or discussion)?

    A sentence is cited when it carries a citation marker, or follows one that does, in an
    introduction or discussion, and does not speak of this study ("we", "our").
    """
    text = ctx.repaired
    out: list[bool] = []
    prev_marked = False
    for s, e in sents:
        sent = text[s:e]
        section = section_of(ctx, max(s, e - 1))  # a heading may open the sentence
        marked = bool(PAT_CITATION.search(sent))
        own = bool(PAT_OWN_WORK.search(sent))
        citing = section in CITING_SECTIONS
        out.append(citing and not own and (marked or prev_marked))
        prev_marked = citing and marked and not own
    return out


def paper_abbreviations(doc: Doc, ctx: PaperContext) -> dict[str, str]:
    """`ctx.abbreviations`, or (until the pipeline fills it) the definitions found in the text."""
    if ctx.abbreviations:
        return ctx.abbreviations
    cached = doc.user_data.get("evidence_abbreviations")
    if cached is None:
        cached = find_abbreviations(ctx.repaired)
        doc.user_data["evidence_abbreviations"] = cached
    return cached


# Line-end hyphenation: "stabili-\nzation" is one word; "177Lu-\nDOTATATE" keeps its hyphen.
PAT_SOFT_BREAK = re.compile(r"(?<=[a-z])-[ \t]*\n\s*(?=[a-z])")
PAT_HARD_BREAK = re.compile(r"(?<=-)[ \t]*\n\s*(?=\w)")


@dataclass(frozen=True)
class TextView:
    """The repaired text with line-end hyphenation undone, and the way back to the paper's offsets.

    Patterns run on `text`; `index[k]` is the offset in the paper of view character k.
    """

    text: str
    index: tuple[int, ...]
    length: int

    def to_paper(self, start: int, end: int) -> tuple[int, int]:
        if start >= len(self.index):
            return self.length, self.length
        return self.index[start], (self.index[end - 1] + 1 if end > start else self.index[start])

    def to_view(self, offset: int) -> int:
        return bisect_left(self.index, offset)

    def context(self, ctx: PaperContext) -> PaperContext:
        """`ctx` seen through the view: same facts, view offsets (table cells keep paper offsets)."""
        sections = [
            sec.model_copy(update={"start": self.to_view(sec.start), "end": self.to_view(sec.end)})
            for sec in ctx.sections
        ]
        return replace(
            ctx,
            text=self.text,
            repaired=self.text,
            sections=sections,
            uncertain_offsets=frozenset(self.to_view(o) for o in ctx.uncertain_offsets),
        )

    def sentences(self, sents: list[tuple[int, int]]) -> list[tuple[int, int]]:
        return [(self.to_view(s), self.to_view(e)) for s, e in sents]

    def restore(self, entities: list[Any], ctx: PaperContext) -> list[Any]:
        """Entities found in the view, with paper offsets and verbatim paper text (cells are already so)."""
        out = []
        for ent in entities:
            if ent.table is not None:  # read from a cell: offsets are the paper's already
                out.append(ent.model_copy(update={"text": ctx.text[ent.start : ent.end]}))
                continue
            s, e = self.to_paper(ent.start, ent.end)
            out.append(ent.model_copy(update={"start": s, "end": e, "text": ctx.text[s:e]}))
        return out


def text_view(
    text: str, drop: list[tuple[int, int]] | None = None, keep: list[tuple[int, int]] | None = None
) -> TextView:
    """Undo line-end hyphenation, keeping a map back to `text`.

    `drop` removes regions (tables printed inside the prose, so a sentence they interrupt reads
    whole); `keep` keeps only those regions (the tables themselves).
    """
    if keep is not None:
        base = [i for s, e in sorted(keep) for i in range(s, e)]
    elif drop:
        gone = {i for s, e in drop for i in range(s, e)}
        base = [i for i in range(len(text)) if i not in gone]
    else:
        base = list(range(len(text)))
    plain = "".join(text[i] for i in base)
    joined: set[int] = set()
    for pat in (PAT_SOFT_BREAK, PAT_HARD_BREAK):
        for m in pat.finditer(plain):
            joined.update(range(m.start(), m.end()))
    index = tuple(base[k] for k in range(len(plain)) if k not in joined)
    return TextView("".join(text[i] for i in index), index, len(text))


@lru_cache(maxsize=1)
def _sentencizer() -> Any:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def reset_sentencizer() -> None:
    """Forget the cached sentence splitter: its vocabulary keeps every string it has tokenised."""
    _sentencizer.cache_clear()


def sentences_of(text: str) -> list[tuple[int, int]]:
    """Sentences of `text` from spaCy's sentencizer, re-joined after "et al." and the like."""
    nlp = _sentencizer()
    nlp.max_length = max(nlp.max_length, len(text) + 1)
    return sentence_spans(nlp(text))


@lru_cache(maxsize=8)
def _views(
    text: str, tables: tuple[tuple[int, int], ...]
) -> tuple[tuple[TextView, tuple[tuple[int, int], ...]], ...]:
    prose = text_view(text, drop=list(tables))
    out = [(prose, tuple(sentences_of(prose.text)))]
    if tables:
        inside = text_view(text, keep=list(tables))
        out.append((inside, tuple(sentences_of(inside.text))))
    return tuple(out)


def paper_views(ctx: PaperContext) -> list[tuple[TextView, PaperContext, list[tuple[int, int]]]]:
    """The paper read as prose (tables lifted out, hyphenation undone) and, apart, its table regions.

    Each item: the view, `ctx` in view offsets, and the view's sentences. Table cells (`ctx.tables`)
    go with the prose view only, so cell-based entities are found once.
    """
    spans = tuple(
        sorted(
            (t.start, t.end)
            for t in ctx.tables
            if t.start is not None and t.end is not None and t.end > t.start
        )
    )
    out = []
    for k, (view, sents) in enumerate(_views(ctx.repaired, spans)):
        vctx = view.context(ctx)
        if k > 0:
            vctx = replace(vctx, tables=[])
        out.append((view, vctx, list(sents)))
    return out


def sentence_index(sents: list[tuple[int, int]], offset: int) -> int:
    for i, (s, e) in enumerate(sents):
        if s <= offset < e:
            return i
    return max(0, len(sents) - 1)
