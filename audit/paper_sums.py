"""subgroup_sum and row_count: parts against wholes, narrative counts against per-patient listings.

Rules:
- **subgroup_sum** (text): "N patients (a men and b women)" — parts of a sex split printed in
  brackets right after a count must add up to it. Alternatives enumerated with "or", each with its
  bracketed size ("6 patients required chemotherapy (n = 2) or radiotherapy (n = 1), ... or
  chemoembolization (n = 1)"), add up to the count that opens the sentence (parts far short of it,
  under 80%, may enumerate a subset: "106 women were recruited, but a number were lost to pregnancy
  (n = 3) ... or withdrawal (n = 8)", and get no verdict); with no such count, a
  sum equal to a group size the paper reports links them (a mismatch is no evidence: the whole may
  be stated nowhere). (Tables: a "Total" row must be the column sum of
  the count rows above it, back to the previous Total or heading row.)
- **row_count** (listing): a claim "k of N patients ... <outcome>" where a listing table can rebuild
  the N patients — all of them, or those a "<column> <value>" phrase selects ("group B"), with or
  without the rows a footnote excludes — and names the outcome as a category of one of its columns
  (the category's stem is a word of the sentence: "progression" / "Progression"). k must equal the
  count of rows with that category (exact, or starting with it). "k of these M" first rebuilds the M
  patients as the one category of the subgroup with exactly M rows that the sentence or the one
  before it names ("beneficial in 14 of 19" ... "Nine of these 14").
"""

from __future__ import annotations

import re

from audit.claims import (
    Paper,
    finding,
    norm_label,
    norm_map,
    norm_text,
    parse_number,
    span_of,
    word_positions,
)
from audit.paper_tables import Listing, find_listings
from schemas import Cohort, EvidenceSpan, Finding

__all__ = ["check_sums"]

WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
}  # fmt: skip
PAT_K = r"(\d+|" + "|".join(WORDS) + r")"
RE_K_OF_N = re.compile(rf"(?<![\w.]){PAT_K} of (these |those |the )?(remaining )?(\d+)(?![\d.])")
SEX = {
    "men": "m",
    "women": "f",
    "male": "m",
    "female": "f",
    "males": "m",
    "females": "f",
    "boys": "m",
    "girls": "f",
}
RE_PERSONS = re.compile(
    r"\b(patients?|subjects?|participants?|persons?|people|individuals?|children|adults?|adolescents?|"
    r"infants?|volunteers?|cases?|controls?|respondents?|students?|members?|residents?|workers?|women|men|"
    r"boys|girls|smokers|users|donors|recipients|survivors)\b",
    re.I,
)
RE_TOTAL = re.compile(r"^\s*(total|all)\b", re.I)
NEGATIONS = {"not", "no", "non", "none", "without"}


def _int(word: str) -> int:
    return int(word) if word.isdigit() else WORDS[word]


# -- subgroup sums ---------------------------------------------------------------------------------------


def _sex_splits(paper: Paper) -> list[Finding]:
    out: list[Finding] = []
    cohorts = sorted(
        (e for e in paper.of_kind("cohort") if isinstance(e, Cohort) and e.table is None),
        key=lambda e: e.start,
    )
    for k, whole in enumerate(cohorts):
        parts = []
        for e in cohorts[k + 1 : k + 3]:
            gap = paper.text[whole.end : e.start]
            if len(gap) > 40 or ")" in gap:
                break
            lab = (e.label or "").lower()
            if lab in SEX:
                parts.append(e)
        sexes = {SEX[(p.label or "").lower()] for p in parts}
        if len(parts) != 2 or sexes != {"m", "f"} or "(" not in paper.text[whole.end : parts[0].start]:
            continue
        total = sum(p.n for p in parts)
        # "Fifteen schools (76 boys and 73 girls)": the bracket splits people, the count is not of them
        if not RE_PERSONS.search(paper.text[whole.start : whole.end + 25]) or any(
            p.n > whole.n for p in parts
        ):
            continue
        ev = [span_of(whole)] + [span_of(p) for p in parts]
        said = " and ".join(paper.text[p.start : p.end].strip() for p in parts)
        if total == whole.n:
            msg = f"'{paper.text[whole.start : whole.end]}' ({said}): {parts[0].n} + {parts[1].n} = {total}, consistent."
            out.append(finding("subgroup_sum", "consistent", msg, ev))
        else:
            msg = (
                f"'{paper.text[whole.start : whole.end]}' is split into {said}, which add up to {total}, "
                f"not {whole.n}; check the count or its parts."
            )
            # parts short of the whole may be missing data (uncertain); parts beyond it cannot be
            out.append(
                finding(
                    "subgroup_sum",
                    "inconsistent",
                    msg,
                    ev,
                    "minor",
                    whole.n,
                    total,
                    whole.uncertain or total < whole.n,
                )
            )
    return out


# "(n = 7)" on its own in brackets; the "=" may be a damaged glyph ("n 5 7", "n � 7")
RE_N_EQUALS = re.compile(r"\(?\s*n\s*(?:=|5|�)?\s*\d+\s*\)?", re.I)
RE_OR = re.compile(r"\bor\b", re.I)
SUBSET_SHARE = 0.8  # parts adding up to less than this share of their whole may be a subset of it


def _bracketed(paper: Paper, e: Cohort) -> bool:
    said = paper.text[e.start : e.end]
    opened = said.lstrip().startswith("(") or paper.text[max(0, e.start - 3) : e.start].rstrip().endswith("(")
    closed = said.rstrip().endswith(")") or paper.text[e.end : e.end + 3].lstrip().startswith(")")
    return opened and closed and bool(RE_N_EQUALS.fullmatch(said.strip()))


RE_SPLIT_CUE = re.compile(r":|\b(either|of whom|of which|including|i\.e\.)\b", re.I)


def _unnest(paper: Paper, parts: list[Cohort]) -> list[Cohort]:
    """'saline (n = 40) versus EPO (n = 40): either 40000 IU (n = 20) or 20000 IU (n = 20)': a part
    split further (a colon, "either", "of whom" after it, and parts that add up to it) stays, its
    split goes."""
    out: list[Cohort] = []
    k = 0
    while k < len(parts):
        out.append(parts[k])
        run, m = 0, k + 1
        while m < len(parts) and run < parts[k].n:
            run += parts[m].n
            m += 1
        nested = m - k > 2 and run == parts[k].n
        cue = k + 1 < len(parts) and RE_SPLIT_CUE.search(paper.text[parts[k].end : parts[k + 1].start])
        k = m if nested and cue else k + 1
    return out


def _partitions(parts: list[Cohort], whole: int) -> list[list[Cohort]] | None:
    """Two or more consecutive runs of parts that each add up to the whole (one sentence splitting
    the same patients twice, by stage and by arm), else None."""
    runs: list[list[Cohort]] = [[]]
    for p in parts:
        runs[-1].append(p)
        if sum(q.n for q in runs[-1]) == whole:
            runs.append([])
    complete = runs[:-1] if not runs[-1] else []
    return complete if len(complete) >= 2 and all(len(r) >= 2 for r in complete) else None


RE_GROUP_NAME = re.compile(r"^(?:(?:group|arm|cohort) [a-z0-9]{1,3}|[a-z-]{3,} (?:group|arm))$")


def _named_group(paper: Paper, lead: str, narrative: list[Cohort], parts: list[Cohort]) -> Cohort | None:
    """The named group ("group A", "control arm") the sentence opens with, at the largest size the
    paper's narrative gives it, when the sentence names exactly one such group before its parts."""
    lead_text = norm_text(lead)
    # "randomized to the Infusion group (n = 120) or the Bolus group (n = 120)": a group that is one
    # of the parts is no whole
    part_labels = {norm_text(p.label or "").strip() for p in parts}
    by_label: dict[str, Cohort] = {}
    for e in narrative:
        label = norm_text(e.label or "").strip()
        if e in parts or label in part_labels or not RE_GROUP_NAME.match(label):
            continue
        m = re.search(rf"(?<![a-z0-9]){re.escape(label)}(?![a-z0-9])", lead_text)
        # the name opens the sentence, not the first part's bracket ("... to group A (n = 5) or ...")
        if m and re.search(r"[a-z]{3}", lead_text[m.end() :]):
            if label not in by_label or e.n > by_label[label].n:
                by_label[label] = e
    return next(iter(by_label.values())) if len(by_label) == 1 else None


def _enumerations(paper: Paper) -> list[Finding]:
    """'X (n = a), Y (n = b), or Z (n = c)': exclusive alternatives add up to their whole."""
    cohorts = sorted(
        (e for e in paper.of_kind("cohort") if isinstance(e, Cohort) and not e.cited),
        key=lambda e: e.start,
    )
    narrative = [e for e in cohorts if e.table is None]
    by_sentence: dict[tuple[int, int], list[Cohort]] = {}
    for e in narrative:
        if _bracketed(paper, e):
            by_sentence.setdefault(paper.sentence(e.start, e.end), []).append(e)
    out: list[Finding] = []
    for (lo, _hi), parts in by_sentence.items():
        # "or" marks alternatives (each patient counted once); "and" lists (symptoms) may overlap
        if len(parts) < 2 or not RE_OR.search(paper.text[parts[0].end : parts[-1].start]):
            continue
        parts = _unnest(paper, parts)
        total = sum(p.n for p in parts)
        listed = " + ".join(str(p.n) for p in parts)
        wholes = [
            e for e in narrative
            if lo <= e.start < parts[0].start and e.n >= max(p.n for p in parts)
            and not RE_N_EQUALS.match(paper.text[e.start : e.end].strip())  # "6 patients", not "(N = 277 ...)"
        ]  # fmt: skip
        matching = [e for e in wholes if e.n == total]
        # Any other number before the parts ("32 of the 251 women ...", "6/49 patients", "277
        # recruited, 115 of whom ...") may be the real whole: then only a match is a verdict.
        lead = paper.text[lo : parts[0].start]
        numbers = [int(m.group()) for m in re.finditer(r"(?<![\d.])\d+(?![\d.]\d)", lead)]
        if not matching and total in numbers:
            continue  # the parts add up to a number the sentence gives, which no entity carries
        sole = len(numbers) == 1 and len(wholes) == 1
        whole = matching[-1] if matching else (wholes[-1] if sole else None)
        if whole is not None and whole.n * SUBSET_SHARE > total:
            continue  # far short of the whole: the parts may enumerate a subset ("a number were lost: ...")
        if whole is not None:
            said = paper.text[whole.start : whole.end]
            ev = [span_of(whole)] + [span_of(p) for p in parts]
            runs = _partitions(parts, whole.n)
            if total == whole.n or runs:
                if runs:  # "249 patients with stage IIIB (n=34), IIIC (n=97) ... randomized to A (n=163) or B (n=86)"
                    listed = "; ".join(" + ".join(str(p.n) for p in run) for run in runs)
                msg = f"The alternatives enumerated for '{said}' add up to it: {listed} = {whole.n}."
                out.append(finding("subgroup_sum", "consistent", msg, ev))
            else:
                msg = (
                    f"The alternatives enumerated for '{said}' add up to {listed} = {total}, not {whole.n}; "
                    "check the count or its parts."
                )
                out.append(finding("subgroup_sum", "inconsistent", msg, ev, "minor", whole.n, total))
            continue
        # No whole in the sentence: a match with a reported size links the parts; a mismatch proves
        # nothing (the whole may be stated nowhere), so it raises no finding.
        sizes = [e for e in cohorts if e not in parts and e.n == total]
        named = _named_group(paper, lead, narrative, parts)
        if named is not None and not sizes:
            # "Group A patients received X (n = 5) or Y (n = 15)": the group the sentence names is the
            # whole, at the largest size the paper gives it (a size after exclusions would have matched)
            if named.n * SUBSET_SHARE <= total:
                said = paper.text[named.start : named.end]
                msg = (
                    f"The alternatives enumerated for {named.label} add up to {listed} = {total}, not the "
                    f"{named.n} the paper gives for {named.label} ('{said}'); check the count or its parts."
                )
                ev = [span_of(p) for p in parts] + [span_of(named)]
                out.append(finding("subgroup_sum", "inconsistent", msg, ev, "minor", named.n, total))
            continue
        if sizes:
            where = sizes[0]
            msg = (
                f"The alternatives enumerated in one sentence add up to {listed} = {total}, "
                f"the size the paper gives for {where.label or 'a group'}."
            )
            out.append(
                finding("subgroup_sum", "consistent", msg, [span_of(p) for p in parts] + [span_of(where)])
            )
    return out


def _table_totals(paper: Paper) -> list[Finding]:
    out: list[Finding] = []
    for g in paper.grids:
        for i in range(g.n_body):
            if not RE_TOTAL.match(g.row_label(i)):
                continue
            for j in range(1, len(g.body(i))):
                if g.col_labels.get(j, "").strip() == "%":
                    continue
                total = parse_number(g.text(i, j))
                if total is None or total != int(total):
                    continue
                parts: list[float] = []
                rows: list[int] = []
                for r in range(i - 1, -1, -1):
                    if RE_TOTAL.match(g.row_label(r)):
                        break
                    t = g.text(r, j).strip()
                    x = parse_number(t)
                    if t == "" and all(not c.strip() for c in g.body(r)[1:]):
                        break  # a heading row closes the block
                    if x is None or x != int(x):
                        parts = []
                        break
                    parts.append(x)
                    rows.append(r)
                if len(parts) < 2:
                    continue
                s = int(sum(parts))
                ev = [g.span(i, j)] + [g.span(r, j) for r in rows]
                where = f"{g.label} '{g.row_label(i)}' ({g.col_label(j)})"
                if s == int(total):
                    msg = f"{where} = {int(total)} equals the sum of the {len(parts)} rows above it."
                    out.append(finding("subgroup_sum", "consistent", msg, ev))
                else:
                    msg = f"{where} = {int(total)} but the {len(parts)} rows above it add up to {s}."
                    out.append(finding("subgroup_sum", "inconsistent", msg, ev, "minor", s, int(total)))
    return out


def _category_blocks(paper: Paper) -> list[Finding]:
    """Blocks of count rows (Male/Female; tumour types) under group columns with their n: a block whose
    counts add up to n in one group column is a partition of the group and must do so in every column."""
    out: list[Finding] = []
    for g in paper.grids:
        cols = [j for j in range(1, g.n_cols()) if g.col_n(j)]
        if not cols:
            continue
        blocks: list[list[int]] = []
        cur: list[int] = []
        for i in range(g.n_body):
            cells = [g.text(i, j).strip() for j in cols]
            ints = [parse_number(c) for c in cells if c]
            if (
                cells
                and all(
                    c == "" or (x is not None and x == int(x))
                    for c, x in zip(cells, [parse_number(c) if c else 0 for c in cells], strict=True)
                )
                and ints
            ):
                cur.append(i)
                continue
            if len(cur) >= 2:
                blocks.append(cur)
            cur = []
        if len(cur) >= 2:
            blocks.append(cur)
        for rows in blocks:
            sums = {j: int(sum(parse_number(g.text(i, j)) or 0 for i in rows)) for j in cols}
            hits = [j for j in cols if sums[j] == g.col_n(j)]
            if not hits:
                continue
            labels = ", ".join(g.row_label(i) for i in rows)
            for j in cols:
                ev = [g.span(i, j) for i in rows] + [g.header_span(j)]
                where = f"{g.label} rows {labels} under {g.col_label(j)}"
                if sums[j] == g.col_n(j):
                    out.append(finding("subgroup_sum", "consistent", f"{where} add up to n = {sums[j]}.", ev))
                else:
                    msg = (
                        f"{where} add up to {sums[j]}, not n = {g.col_n(j)}, while the same rows add up to n "
                        f"under {g.col_label(hits[0])}; check a count or the group size."
                    )
                    out.append(finding("subgroup_sum", "inconsistent", msg, ev, "minor", g.col_n(j), sums[j]))
    return out


# -- row counts against listings -------------------------------------------------------------------------


def _categorical(lst: Listing, j: int) -> bool:
    vals = [lst.grid.text(i, j).strip() for i in lst.ids]
    filled = [v for v in vals if v not in ("", "—", "-")]
    return bool(filled) and sum(parse_number(v) is not None for v in filled) < 0.5 * len(filled)


def _stem(value: str) -> str | None:
    words: list[str] = re.findall(r"[a-z]+", norm_text(value))
    if not words or words[0] in NEGATIONS or len(words[0]) < 5:
        return None
    return words[0][:6]


def _mentions(stem: str, text: str) -> bool:
    return re.search(rf"(?<![a-z]){re.escape(stem)}", text) is not None


def _groups(lst: Listing, sentence: str) -> list[tuple[int, str]]:
    """'group B' in the sentence -> (column, value) filters of the listing."""
    out = []
    g = lst.grid
    for j in range(1, g.n_cols()):
        head = norm_label(g.col_labels.get(j, ""))
        if not head or not _categorical(lst, j):
            continue
        values = {g.text(i, j).strip() for i in lst.ids}
        if len(values) > 6:
            continue
        for v in values:
            if v and re.search(
                rf"(?<![a-z]){re.escape(head)} {re.escape(norm_text(v))}(?![a-z0-9])", sentence
            ):
                out.append((j, v))
    return out


def _bases(lst: Listing, filters: list[tuple[int, str]]) -> list[tuple[str, list[int]]]:
    rows = [i for i in sorted(lst.ids) if all(lst.grid.text(i, j).strip() == v for j, v in filters)]
    kept = [i for i in rows if i not in lst.excluded]
    out = [("", rows)]
    if len(kept) != len(rows):
        out.insert(0, (" (footnote-excluded patients left out)", kept))
    return out


def _categories(lst: Listing, rows: list[int], text: str, skip: set[int]) -> list[tuple[int, str]]:
    """(column, value) categories whose stem the text uses."""
    found = []
    g = lst.grid
    for j in range(1, g.n_cols()):
        if j in skip or not _categorical(lst, j):
            continue
        for v in sorted({g.text(i, j).strip() for i in rows}):
            st = _stem(v)
            if st and _mentions(st, text):
                found.append((j, v))
    return found


def _count(lst: Listing, rows: list[int], j: int, value: str) -> tuple[int, int, list[int]]:
    g = lst.grid
    exact = [i for i in rows if g.text(i, j).strip().lower() == value.lower()]
    loose = [i for i in rows if norm_text(g.text(i, j)).startswith(norm_text(value))]
    return len(exact), len(loose), loose


def _row_counts(paper: Paper, listings: list[Listing]) -> list[Finding]:
    out: list[Finding] = []
    if not listings:
        return out
    text = paper.text
    done: set[tuple[int, int]] = set()
    for m0 in re.finditer(r"\b(\d+|[A-Za-z]+) of (these |those |the )?(remaining )?\d+\b", text):
        s, e = paper.sentence(m0.start(), m0.end())
        if (s, e) in done or paper.in_table_region(s):
            continue
        done.add((s, e))
        norm, idx = norm_map(text[s:e], s)
        ps, _ = paper.sentence(max(0, s - 2), max(0, s - 1))
        previous = norm_text(text[ps:s])
        for m in RE_K_OF_N.finditer(norm):
            k, these, n = _int(m.group(1)), m.group(2), int(m.group(4))
            if k > n:
                continue
            claim = EvidenceSpan(start=idx[m.start()], end=idx[m.end() - 1] + 1)
            for lst in listings:
                out += _one_claim(lst, norm, previous, k, n, bool(these), claim, m.end())
    return out


def _one_claim(
    lst: Listing, norm: str, previous: str, k: int, n: int, these: bool, claim: EvidenceSpan, after: int
) -> list[Finding]:
    g = lst.grid
    filters = _groups(lst, norm)
    used_cols = {j for j, _ in filters}
    for note, base in _bases(lst, filters):
        subset, subset_desc = base, ""
        if these:
            cands = []
            for j, v in _categories(lst, base, norm + " " + previous, used_cols):
                rows = [i for i in base if g.text(i, j).strip() == v]
                if len(rows) == n:
                    cands.append((j, v, rows))
            if len(cands) != 1:
                continue
            j0, v0, subset = cands[0]
            used = used_cols | {j0}
            subset_desc = f" with {g.col_label(j0)} = '{v0}'"
        else:
            if len(base) != n:
                continue
            used = used_cols
        # the outcome is named after the count ("9 of 12 patients ... had tumor progression")
        cats = _categories(lst, subset, norm[after:], used)
        cols = {j for j, _ in cats}
        if len(cols) != 1:
            continue
        j = cols.pop()
        values = sorted({v for _, v in cats}, key=len)
        value = values[0]
        exact, loose, rows = _count(lst, subset, j, value)
        flt = ", ".join(f"{g.col_label(c)} = {v}" for c, v in filters) or "all listed patients"
        who = f"{g.label} ({flt}{subset_desc}{note}: {len(subset)} patients)"
        ids = ", ".join(str(lst.ids[i]) for i in rows) or "none"
        ev = [claim] + [g.span(i, j) for i in subset] + [g.span(i, c) for i in subset for c, _ in filters]
        if exact <= k <= loose:
            msg = f"The text's {k} of {n} matches {who}: {exact} with {g.col_label(j)} = '{value}' (patients {ids})."
            return [finding("row_count", "consistent", msg, ev)]
        rng = f"{exact}" if exact == loose else f"{exact}–{loose}"
        msg = (
            f"The text gives {k} of {n}, but {who} has {rng} with {g.col_label(j)} = '{value}' "
            f"(patients {ids}); check the narrative count or the table."
        )
        sev = "major" if abs(k - exact) >= 2 else "minor"
        return [finding("row_count", "inconsistent", msg, ev, sev, exact, k, uncertain=these)]
    return []


RE_K_WITH = re.compile(
    rf"(?<![\w.]){PAT_K} (?:patients|subjects|cases)(?: \([^)]{{0,30}}\))? with ([a-z][a-z-]+)"
)
CELL_STOP = {"the", "and", "with", "none", "not", "then", "yes", "no"}


def _cell_tokens(lst: Listing, j: int) -> set[str]:
    """Words printed in column j's cells that are rare enough to name the column (marker names)."""
    counts: dict[str, int] = {}
    for i in lst.ids:
        for w in set(re.findall(r"[a-z0-9][a-z0-9-]*[a-z][a-z0-9-]*", norm_text(lst.grid.text(i, j)))):
            if len(w) >= 3 and w not in CELL_STOP:
                counts[w] = counts.get(w, 0) + 1
    return {w for w, c in counts.items() if c <= len(lst.ids) / 2}


def _with_claims(paper: Paper, listings: list[Listing]) -> list[Finding]:
    """ "k patients with <category> ... <marker named in one column's cells>": rows that have the category
    and a filled cell in that column are counted."""
    out: list[Finding] = []
    text = paper.text
    seen: set[tuple[int, int]] = set()
    for m0 in re.finditer(r"patients|subjects|cases", text):
        s, e = paper.sentence(m0.start(), m0.end())
        if (s, e) in seen or paper.in_table_region(s):
            continue
        seen.add((s, e))
        norm, idx = norm_map(text[s:e], s)
        for m in RE_K_WITH.finditer(norm):
            k, word = _int(m.group(1)), m.group(2)
            claim = EvidenceSpan(start=idx[m.start()], end=idx[m.end() - 1] + 1)
            for lst in listings:
                g = lst.grid
                cats = [
                    (j, v) for j in range(1, g.n_cols()) if _categorical(lst, j)
                    for v in sorted({g.text(i, j).strip() for i in lst.ids})
                    if (st := _stem(v)) and word.startswith(st)
                ]  # fmt: skip
                if len({j for j, _ in cats}) != 1:
                    continue
                jc, value = cats[0]
                rest = norm[m.end() :]
                outcome = [
                    j for j in range(1, g.n_cols())
                    if j != jc and _categorical(lst, j) and any(word_positions(w, rest) for w in _cell_tokens(lst, j))
                ]  # fmt: skip
                if len(outcome) != 1:
                    continue
                jo = outcome[0]
                filled = [i for i in sorted(lst.ids) if g.text(i, jo).strip() not in ("", "—", "-", "–")]
                hits = [i for i in filled if g.text(i, jc).strip() == value and i not in lst.excluded]
                if not filled:
                    continue
                ids = ", ".join(str(lst.ids[i]) for i in hits) or "none"
                who = f"{g.label}: {len(filled)} patients with an entry in {g.col_label(jo)}"
                ev = [claim] + [g.span(i, jo) for i in filled] + [g.span(i, jc) for i in filled]
                if len(hits) == k:
                    msg = f"The text's {k} patients with {word}: {who}, of whom {len(hits)} have {g.col_label(jc)} = '{value}' (patients {ids})."
                    out.append(finding("row_count", "consistent", msg, ev))
                else:
                    msg = (
                        f"The text gives {k} patients with {word}, but {who}, of whom only {len(hits)} have "
                        f"{g.col_label(jc)} = '{value}' (patients {ids}); check the count or the category."
                    )
                    out.append(finding("row_count", "inconsistent", msg, ev, "minor", len(hits), k))
    return out


def _narrative_categories(paper: Paper) -> list[Finding]:
    """ "lung (n = 14)" in the text against the 'Lung' row of a table whose group columns cover the
    paper's study population: the row's counts across the groups must add up to the narrative n."""
    out: list[Finding] = []
    main = paper.main_cohort()
    if main is None:
        return out
    for g in paper.grids:
        cols = [j for j in range(1, g.n_cols()) if g.col_n(j)]
        if len(cols) < 2 or sum(g.col_n(j) or 0 for j in cols) != main:
            continue
        rows = {norm_label(g.row_label(i)): i for i in range(g.n_body) if g.row_label(i)}
        for e in paper.of_kind("cohort"):
            if e.table is not None or e.cited or not isinstance(e, Cohort) or not e.label:
                continue
            i = rows.get(norm_label(e.label))
            if i is None:
                continue
            vals = [g.text(i, j).strip() for j in cols]
            nums = [parse_number(v) if v else 0.0 for v in vals]
            if any(x is None or x != int(x) for x in nums):
                continue
            total = int(sum(x or 0 for x in nums))
            ev = [span_of(e), g.span(i, 0)] + [g.span(i, j) for j in cols]
            where = f"{g.label} '{g.row_label(i)}' ({' + '.join(v or '0' for v in vals)} = {total})"
            said = paper.text[e.start : e.end]
            if total == e.n:
                out.append(
                    finding("narrative_vs_table", "consistent", f"'{said}' ({e.label}) matches {where}.", ev)
                )
            else:
                msg = f"The text gives {e.label} n = {e.n} ('{said}') but {where} across its groups."
                out.append(finding("narrative_vs_table", "inconsistent", msg, ev, "minor", total, e.n))
    return out


def check_sums(paper: Paper) -> list[Finding]:
    out = (
        _sex_splits(paper)
        + _enumerations(paper)
        + _table_totals(paper)
        + _category_blocks(paper)
        + _narrative_categories(paper)
    )
    listings = find_listings(paper)
    out += _row_counts(paper, listings) + _with_claims(paper, listings)
    return out
