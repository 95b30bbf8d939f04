#!/usr/bin/env python3
# gloss-from-dictd.py: converts a dictd dictionary into a Gloss bundle.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: gloss-from-dictd.py [--flavour NAME] [--id ID] DICT OUT.json
#
# DICT is a dictd dictionary: DICT.index beside DICT.dict.dz (dictzip, which
# is gzip) or DICT.dict; DICT may also name the .index file. The flavours
# know the layout of the dictionaries Debian packages (dict-foldoc,
# dict-jargon, dict-gcide, dict-wn); any other dictionary is read with the
# generic rules, which the flavours only refine. The flavour is guessed from
# the file name unless given.
#
# The bundle has one entry per headword (definitions of the same headword,
# whatever its case, are merged into one entry with a section each), a
# stable unique id made from the headword, a summary (the first sentence or
# definition), the text as Markdown sections that show it literally (its
# paragraphs kept, {cross references} made entry: links where the target
# exists), FOLDOC's <domains> as tags and categories, the source's variant
# headwords as aliases, and the bundle's title, description and licence
# from the dictionary's own 00-database-* entries.
#
# Python 3 standard library only. The dictionaries' licences vary: keep the
# bundles made from them to yourself unless their licence says otherwise.

import argparse
import codecs
import gzip
import html
import json
import os
import re
import sys
import unicodedata

B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
B64_VALUE = {c: i for i, c in enumerate(B64)}

SUMMARY_MAX = 400        # characters; the format allows 4,000
NAME_MAX = 512           # term, alias, heading, tag, category name
BODY_MAX = 200000        # a section body


def b64_number(text):
    value = 0
    for c in text:
        value = value * 64 + B64_VALUE[c]
    return value


# Some dictionaries carry stray Windows-1252 bytes (GCIDE has three right
# quotes); read them as what they meant rather than as U+FFFD.
def _cp1252_fallback(error):
    bad = error.object[error.start:error.end]
    return bad.decode("cp1252", errors="replace"), error.end


codecs.register_error("gloss-cp1252", _cp1252_fallback)


def read_dictionary(base):
    if base.endswith(".index"):
        base = base[: -len(".index")]
    elif base.endswith(".dict.dz"):
        base = base[: -len(".dict.dz")]
    elif base.endswith(".dict"):
        base = base[: -len(".dict")]

    index_path = base + ".index"
    if os.path.exists(base + ".dict.dz"):
        with gzip.open(base + ".dict.dz", "rb") as f:
            data = f.read()
    elif os.path.exists(base + ".dict"):
        with open(base + ".dict", "rb") as f:
            data = f.read()
    else:
        raise SystemExit(f"gloss-from-dictd: no {base}.dict.dz or {base}.dict")

    index = []
    with open(index_path, "rb") as f:
        for number, raw in enumerate(f, 1):
            line = raw.decode("utf-8", errors="gloss-cp1252").rstrip("\r\n")
            if not line:
                continue
            fields = line.split("\t")
            if len(fields) < 3:
                raise SystemExit(f"gloss-from-dictd: {index_path}:{number}: not HEADWORD<TAB>OFFSET<TAB>LENGTH")
            index.append((fields[0], b64_number(fields[1]), b64_number(fields[2])))

    return base, index, data


# --- Text helpers ------------------------------------------------------------

def fold(text):
    """Gloss's search fold, near enough for matching headwords and link
    targets: compatibility decomposition, marks dropped, case folded,
    white space collapsed."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.casefold().split())


def same_word(text):
    """The key that merges headwords: case folded, accents kept ("Resume"
    and "résumé" are two words)."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def collapse(text):
    return " ".join(text.split())


def cut(text, limit):
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


# CommonMark lets any ASCII punctuation be escaped with a backslash; only
# what could start Markdown syntax is (md4c with raw HTML off: escapes,
# code spans, emphasis, links and their definitions, autolinks, entities,
# and block syntax at the start of a line), so that the text stays
# readable as it is.
ALWAYS_ESCAPED = set("\\`*_")


def md_escape(text, line_start=True, label=False):
    """Escapes @text so that Markdown shows it as it is. With @line_start, the
    text begins a line, where more characters mean something; with @label,
    it is the text of a link, where every bracket is escaped."""
    if line_start:
        text = text.lstrip(" ")
    out = []
    n = len(text)
    for i, c in enumerate(text):
        if c in ALWAYS_ESCAPED:
            out.append("\\" + c)
        elif c in "[]" and label:
            out.append("\\" + c)
        elif c == "[" and (re.match(r"[^\[\]]*\][(\[:]", text[i + 1:]) or
                           not re.match(r"[^\[\]]*\]", text[i + 1:])):
            # [label](…), [label][…] and [label]: would be links, and a
            # bracket closed beyond this text might make one
            out.append("\\[")
        elif c == "<" and i + 1 < n and not text[i + 1].isspace():
            # autolinks: <http://…>, <someone@example.org>
            out.append("\\<")
        elif c == "&" and re.match(r"#?[A-Za-z0-9]+;", text[i + 1:]):
            out.append("\\&")
        else:
            out.append(c)
    escaped = "".join(out)
    if line_start:
        m = re.match(r"(\d{1,9})([.)])", escaped)
        if m:
            escaped = m.group(1) + "\\" + m.group(2) + escaped[m.end():]
        elif escaped[:1] in ("-", "+", "#", "=", ">", "|", "~", ":"):
            escaped = "\\" + escaped
    return escaped


def plain_refs(text):
    """The text of cross references without their braces (for summaries)."""
    return re.sub(r"\{([^{}]*)\}", lambda m: collapse(re.sub(r"\s*\([a-z]+:[^()]*\)$|\s*\([^()]*\.html?\)$", "", m.group(1))), text)


def first_sentence(text):
    """The first sentence of @text: up to a full stop, question or
    exclamation mark followed by a space and a capital, not after a common
    abbreviation or a single letter."""
    for m in re.finditer(r"[.?!](?=\s+[\"“‘(\[]?[A-Z0-9])", text):
        before = text[: m.start()]
        word = re.split(r"[\s(]", before)[-1] if before else ""
        if re.fullmatch(r"(?:[A-Za-z]|e\.g|i\.e|etc|cf|c\.f|viz|vs|esp|approx|ca|no|fig|Dr|Mr|Mrs|St|Jr|Prof|Inc|Ltd|Co|al|[A-Z][a-z]?\.[A-Z][a-z]?)", word):
            continue
        return text[: m.end()]
    return text


# GCIDE writes accents in brackets: ["i] is ï, [=e] ē, [a^] ă and so on.
GCIDE_MARKS = {
    '"': "\u0308", "=": "\u0304", "^": "\u0306", "'": "\u0301", "`": "\u0300",
    "~": "\u0303", ".": "\u0307", ",": "\u0327",
}
GCIDE_LIGATURES = {
    "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "aum": "ä", "ng": "ŋ",
    "oo": "o͞o", "th": "þ", "imac": "ī", "emac": "ē", "amac": "ā", "omac": "ō",
    "umac": "ū", "eacute": "é", "egrave": "è", "ecir": "ê", "ccedil": "ç",
}


GREEK = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota",
         "kappa", "lambda", "mu", "nu", "xi", "omicron", "pi", "rho", "sigma", "tau",
         "upsilon", "phi", "chi", "psi", "omega"]
GCIDE_NAMED = {name: chr(0x3B1 + i + (1 if i >= 17 else 0)) for i, name in enumerate(GREEK)}
GCIDE_NAMED.update({name.capitalize(): chr(0x391 + i + (1 if i >= 17 else 0)) for i, name in enumerate(GREEK)})
GCIDE_NAMED.update({"sect": "§", "deg": "°", "frac12": "½", "frac14": "¼", "frac34": "¾",
                    "pound": "£", "cent": "¢", "dagger": "†", "dag": "†", "para": "¶",
                    "times": "×", "divide": "÷", "prime": "′", "min": "′", "sec": "″"})


def gcide_acute(m):
    word = m.group(0)
    start = m.start()
    elision = re.match(r"[a-z]'", word) and not (start > 0 and m.string[start - 1] == "-")
    if elision or re.search(r"'[eE][rnm]$", word):
        return word
    return word.replace("'e", "é").replace("'E", "É")


def gcide_accents(text):
    def before(m):
        return unicodedata.normalize("NFC", m.group(2) + GCIDE_MARKS[m.group(1)])

    def after(m):
        return unicodedata.normalize("NFC", m.group(1) + GCIDE_MARKS[m.group(2)])

    text = re.sub(r'\[(["=\'`~.])([A-Za-z])\]', before, text)
    text = re.sub(r"\[([A-Za-z])([\^,])\]", after, text)
    text = re.sub(r"\[(ae|AE|oe|OE|aum|ng|oo|th|[aeiou]mac|eacute|egrave|ecir|ccedil)\]",
                  lambda m: GCIDE_LIGATURES[m.group(1)], text)
    text = re.sub(r"\[([A-Za-z]+)\]", lambda m: GCIDE_NAMED.get(m.group(1), m.group(0)), text)
    # "Caf'e", "Abb'e", "R'esum'e": an acute e, but not an elision ("d'arc",
    # "l'enfant") nor "e'er", "o'er", "e'en", "'em".
    text = re.sub(r"(?<![A-Za-z'])[A-Za-z][A-Za-z']*'[eE][A-Za-z']*", gcide_acute, text)
    return text


# --- Definitions -------------------------------------------------------------

class Paragraph:
    """A paragraph of a definition: its lines, joined or kept as lines (an
    indented quotation or example)."""

    def __init__(self, lines, keep_lines=False, code=False):
        self.lines = lines
        self.keep_lines = keep_lines or code
        self.code = code

    def text(self):
        if self.keep_lines:
            return "\n".join(self.lines)
        return collapse(" ".join(self.lines))


class Definition:
    def __init__(self, offset):
        self.offset = offset
        self.headwords = []      # as written, the first is the headword
        self.keys = []           # index headwords pointing here
        self.paragraphs = []
        self.domains = []        # FOLDOC's <domains>
        self.updated = None      # FOLDOC's (YYYY-MM-DD)
        self.pronunciation = None


def indent_of(line):
    return len(line) - len(line.lstrip(" "))


SENSE_START = re.compile(r"(?:\d{1,3}[.:]\s|\(\w\)\s|(?:Note|Syn|Usage|Syn\.|Usage\.|Ant)\s*:|\w{1,4} \d{1,3}:\s)")


def split_paragraphs(lines):
    """Splits body lines into paragraphs: at blank lines, at a line back at
    the base indentation after deeper ones (hanging indents, as WordNet's
    senses), and at a new numbered sense. A block deeper than the base is
    kept line by line (quotations, examples)."""
    body = [l.rstrip() for l in lines]
    nonblank = [indent_of(l) for l in body if l.strip()]
    if not nonblank:
        return []
    base = min(nonblank)

    blocks = []
    current = []
    for line in body:
        if line.strip():
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)

    paragraphs = []
    for block in blocks:
        run = []
        quote = []

        # A table drawn with box-drawing characters (the Jargon File has
        # some): its lines as they are, in a code block.
        if any("\u2500" <= l.strip()[:1] <= "\u257f" for l in block):
            deepest = min(indent_of(l) for l in block)
            paragraphs.append(Paragraph([l[deepest:] for l in block], code=True))
            continue

        def flush_run():
            if run:
                paragraphs.append(Paragraph([l.strip() for l in run]))
                run.clear()

        def flush_quote():
            if quote:
                deepest = min(indent_of(l) for l in quote)
                paragraphs.append(Paragraph([l[deepest:] for l in quote], keep_lines=True))
                quote.clear()

        for line in block:
            ind = indent_of(line)
            if ind >= base + 4 and (not run or quote):
                # deeper than the base from the block's start: a quotation
                quote.append(line)
            elif ind <= base + 1:
                flush_quote()
                stripped = line.strip()
                if run and (indent_of(run[-1]) > base + 1 or SENSE_START.match(stripped)):
                    flush_run()
                run.append(line)
            else:
                flush_quote()
                run.append(line)
        flush_quote()
        flush_run()

    return paragraphs


FOLDOC_DOMAIN = re.compile(r"^<([a-z][a-z0-9 ,/&'-]*)>\s*")
FOLDOC_DATE = re.compile(r"^\((\d{4}-\d{2}-\d{2})\)$")


def parse_generic(text, flavour):
    d = Definition(0)
    lines = text.split("\n")
    i = 0
    # The headword lines: unindented lines before the first blank or
    # indented one (FOLDOC lists its variants this way).
    while i < len(lines) and lines[i].strip() and indent_of(lines[i]) == 0:
        d.headwords.append(collapse(lines[i]))
        i += 1
    # Jargon: " /pron/, n." right under the headword.
    if flavour == "jargon" and i < len(lines) and indent_of(lines[i]) <= 2 and lines[i].strip():
        d.pronunciation = collapse(lines[i])
        i += 1

    d.paragraphs = split_paragraphs(lines[i:])

    if flavour == "foldoc":
        kept = []
        for p in d.paragraphs:
            t = p.text()
            m = FOLDOC_DATE.match(t)
            if m:
                d.updated = m.group(1)
                continue
            m = FOLDOC_DOMAIN.match(p.lines[0].lstrip()) if not p.keep_lines else None
            if m:
                for dom in m.group(1).split(","):
                    dom = collapse(dom)
                    if dom and dom not in d.domains:
                        d.domains.append(dom)
                if not kept:
                    # The entry's domain: the category and tags say it.
                    first = p.lines[0].lstrip()[m.end():]
                    p.lines = ([first] if first else []) + p.lines[1:]
                    if not p.lines:
                        continue
            else:
                m = re.match(r"^\d+\.\s+<([a-z][a-z0-9 ,/&'-]*)>", t)
                if m:
                    for dom in m.group(1).split(","):
                        dom = collapse(dom)
                        if dom and dom not in d.domains:
                            d.domains.append(dom)
            kept.append(p)
        d.paragraphs = kept
    return d


GCIDE_HEAD = re.compile(r'(?:^|,\s*|\s+or\s+)([^\\,]+?)\s*\\([^\\]*)\\')


def parse_gcide(text):
    d = Definition(0)
    text = gcide_accents(text)
    lines = text.split("\n")
    # A long head breaks its "\Pro*nun"ci*a`tion\" across lines: join them.
    while lines[0].count("\\") % 2 == 1 and len(lines) > 1 and lines[1].strip():
        lines[0:2] = [lines[0].rstrip() + " " + lines[1].strip()]
    first = lines[0]
    pos_rest = first
    for m in GCIDE_HEAD.finditer(first):
        word = collapse(m.group(1))
        if word and word not in d.headwords:
            d.headwords.append(word)
        pos_rest = first[m.end():].lstrip(" ,")
    if not d.headwords:
        # No "Word \Pron\" head: the first line is the headword.
        d.headwords.append(collapse(first))
        pos_rest = ""
    body = ["   " + pos_rest.strip()] + lines[1:] if pos_rest.strip() else lines[1:]
    d.paragraphs = split_paragraphs(body)
    return d


def parse_definition(text, flavour):
    if flavour == "gcide":
        return parse_gcide(text)
    return parse_generic(text, flavour)


# --- Summaries ---------------------------------------------------------------

def summary_of(d, flavour):
    paragraphs = [p for p in d.paragraphs if not p.keep_lines] or d.paragraphs
    if not paragraphs:
        return None, None
    chosen = paragraphs[0]
    text = plain_refs(chosen.text())

    if flavour == "gcide":
        # Past the part of speech and etymology, to the first sense.
        for p in paragraphs:
            t = p.text()
            if re.match(r"\d+\.\s", t):
                chosen, text = p, plain_refs(t)
                break
        else:
            text = re.sub(r"^\([^()]*\),?\s*", "", text)
            text = re.sub(r"^(?:[a-z]{1,6}\.\s*)*(?:;\s*pl\.[^.]*\.\s*)?", "", text)
            while re.match(r"^(?:\[[^\]]*\]|\([A-Z][a-z]*\.(?: [A-Z][a-z]*\.)*\))\s*", text):
                text = re.sub(r"^(?:\[[^\]]*\]|\([A-Z][a-z]*\.(?: [A-Z][a-z]*\.)*\))\s*", "", text)
        text = re.sub(r"^\d+\.\s*", "", text)
        text = re.sub(r"\s*\[(?:\d{4} Webster|Webster \d{4}[^\]]*|PJC|WordNet[^\]]*|[A-Z][A-Za-z. ]*\d*)\]\s*", " ", text).strip()
        text = re.split(r"\s--[A-Z]", text)[0]
        text = re.split(r";\s+as,\s", text)[0]
    elif flavour == "wn":
        text = re.sub(r"^(?:n|v|adj|adv|a|s|r)?\s*\d*\s*:\s*", "", text)
        text = re.split(r';\s+"|\s\[(?:syn|ant|also|see)\b', text)[0]
    elif flavour == "foldoc":
        text = re.sub(r"^\d+\.\s*(?:<[^>]*>\s*)?", "", text)
    elif flavour == "jargon":
        text = re.sub(r"^\d+\.\s*", "", text)
        text = re.sub(r"^(?:(?:n|v|vt|vi|adj|adv|interj|prep|pron|conj|excl|abbrev|pl)\.,?\s*)+", "", text)
        text = re.sub(r"^\[[^\]]*\]\s*", "", text)

    text = collapse(text)
    if not text:
        return None, None
    sentence = first_sentence(text).strip()
    if sentence and sentence[-1] not in ".?!" and flavour in ("gcide", "wn"):
        sentence = sentence.rstrip(";,: ") + "."
    return cut(sentence, SUMMARY_MAX), chosen


# --- Markdown ------------------------------------------------------------------

REF = re.compile(r"\{([^{}]*)\}")
URL_IN_REF = re.compile(r"^(.*?)\s*\(((?:https?|ftp|news|mailto|telnet|gopher):[^\s()]*|[^\s()]*\.html?)\)$", re.S)


def link_target(label, lookup):
    """The id of the entry @label names: the headword as written (case
    aside), else folded, else a plural's singular. @lookup is a pair of
    dictionaries, by same_word () and by fold ()."""
    exact, folded = lookup
    if same_word(label) in exact:
        return exact[same_word(label)]
    key = fold(label)
    if key in folded:
        return folded[key]
    for strip, add in (("ies", "y"), ("es", ""), ("s", ""), ("'s", "")):
        if key.endswith(strip) and key[: -len(strip)] + add in folded:
            return folded[key[: -len(strip)] + add]
    return None


def inline_markdown(text, lookup, self_id, line_start):
    """Escapes @text and turns its {cross references} into links."""
    out = []
    pos = 0
    at_start = line_start
    for m in REF.finditer(text):
        if m.start() > pos:
            out.append(md_escape(text[pos:m.start()], at_start))
            at_start = False
        inner = collapse(m.group(1))
        url = None
        um = URL_IN_REF.match(inner)
        if um:
            inner, url = collapse(um.group(1)), um.group(2)
        target = link_target(inner, lookup) if inner and url is None else None
        label = md_escape(inner, at_start, label=True) if inner else ""
        if url is not None and re.match(r"https?://[^/@\s]+", url) and inner:
            out.append(f"[{label}](<{url}>)")
        elif url is not None:
            out.append(label + (" " if label else "") + md_escape("(" + url + ")", False))
        elif target is not None and target != self_id:
            out.append(f"[{label}](entry:{target})")
        else:
            out.append(label)
        at_start = False
        pos = m.end()
    if pos < len(text):
        out.append(md_escape(text[pos:], at_start))
    return "".join(out)


def paragraph_markdown(p, lookup, self_id, flavour):
    if p.code:
        lines = [plain_refs(l) for l in p.lines]
        longest = max((len(run) for l in lines for run in re.findall(r"`+", l)), default=0)
        fence = "`" * max(3, longest + 1)
        return fence + "\n" + "\n".join(lines) + "\n" + fence
    if flavour == "gcide" and not p.keep_lines:
        # GCIDE's run-in phrases: "{Boy bishop}, a boy ..." defines the phrase.
        m = re.match(r"\{([^{}]*)\}", p.text())
        if m and collapse(m.group(1)):
            rest = p.text()[m.end():]
            return "**" + md_escape(collapse(m.group(1)), True) + "**" + inline_markdown(rest, lookup, self_id, False)
    if p.keep_lines:
        # A quotation or example: a block quote, its line breaks kept.
        lines = [inline_markdown(l.rstrip(), lookup, self_id, True) for l in p.lines]
        lines = [l if l else "\\" for l in lines]
        return "\n".join("> " + l + ("\\" if k + 1 < len(lines) else "") for k, l in enumerate(lines))
    # Braces may span lines ("{language lawyer\n}"): join first.
    return inline_markdown(p.text(), lookup, self_id, True)


# --- Headers -------------------------------------------------------------------

def header_text(index, data, name):
    for word, offset, length in index:
        if word == name:
            text = data[offset:offset + length].decode("utf-8", errors="gloss-cp1252")
            lines = text.split("\n")
            if lines and lines[0].strip() == name:
                lines = lines[1:]
            return "\n".join(lines).strip()
    return None


LICENCES = [
    (r"GNU\s+Free\s+Documentation\s+License,?\s+Version\s+1\.1\s+or\s+any\s+later", "GFDL-1.1-or-later"),
    (r"GNU\s+Free\s+Documentation\s+License,?\s+Version\s+1\.2\s+or\s+any\s+later", "GFDL-1.2-or-later"),
    (r"GNU\s+General\s+Public\s+License.*?version\s+2,\s+or\s+\(at\s+your\s+option\)\s+any\s+later", "GPL-2.0-or-later"),
    (r"GNU\s+General\s+Public\s+License.*?version\s+3,\s+or\s+\(at\s+your\s+option\)\s+any\s+later", "GPL-3.0-or-later"),
    (r"WordNet.*Princeton University", "LicenseRef-WordNet"),
    (r"in\s+the\s+public\s+domain", "LicenseRef-Public-Domain"),
]


def bundle_metadata(index, data, name):
    short = header_text(index, data, "00-database-short") or name
    long_ = header_text(index, data, "00-database-long")
    info = header_text(index, data, "00-database-info") or ""
    url = header_text(index, data, "00-database-url")

    title = collapse(short)
    description = collapse(long_) if long_ else None
    if not description:
        # FOLDOC's info: the paragraph that introduces the dictionary.
        for para in re.split(r"\n\s*\n", info):
            flat = collapse(plain_refs(para))
            flat = re.sub(r"^<[a-z ]+>\s*", "", flat)
            if len(flat) > 80 and "original data" not in flat and "%%%" not in flat:
                description = flat
                break
    if not description:
        description = title
    description = cut(description, 3000)
    if url:
        description += " Converted from the dictd edition; the original data is at " + collapse(url) + "."

    licence = None
    for pattern, spdx in LICENCES:
        if re.search(pattern, info, re.S | re.I):
            licence = spdx
            break

    updated = None
    m = re.search(r"\((\d{1,2}) (January|February|March|April|May|June|July|August|September|October|November|December) (\d{4})\)", short)
    if m:
        month = ["January", "February", "March", "April", "May", "June", "July", "August",
                 "September", "October", "November", "December"].index(m.group(2)) + 1
        updated = f"{int(m.group(3)):04d}-{month:02d}-{int(m.group(1)):02d}"

    return title, description, licence, updated


# --- Ids -----------------------------------------------------------------------

SYMBOL_NAMES = {
    "+": "plus", "#": "sharp", "&": "and", "@": "at", "$": "dollar", "%": "percent",
    "*": "star", "!": "bang", "=": "equals", "<": "lt", ">": "gt", "~": "tilde",
    "^": "caret", "|": "bar", "?": "question", "/": "slash", "\\": "backslash",
    "'": "quote", '"': "dquote", "`": "backtick", ",": "comma", ";": "semicolon",
    ":": "colon", "(": "lparen", ")": "rparen", "[": "lbracket", "]": "rbracket",
    "{": "lbrace", "}": "rbrace", ".": "dot", "-": "dash", "_": "underscore",
}


def slug(term):
    """A readable id: ASCII letters and digits, punctuation inside words
    kept as . - or spelt out (C++ is c-plus-plus, so that it is not C)."""
    text = unicodedata.normalize("NFKD", term)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("ß", "ss").replace("æ", "ae").replace("œ", "oe").replace("ø", "o").replace("ð", "d").replace("þ", "th").replace("ł", "l")
    parts = []
    for c in text:
        if "a" <= c <= "z" or "0" <= c <= "9":
            parts.append(c)
        elif c == "." or c == "-":
            parts.append(c)
        elif c in SYMBOL_NAMES:
            parts.append("-" + SYMBOL_NAMES[c] + "-")
        elif c.isspace():
            parts.append("-")
        elif ord(c) > 127:
            parts.append(f"-u{ord(c):04x}-")
        else:
            parts.append("-")
    s = "".join(parts)
    s = re.sub(r"-{2,}", "-", s)
    s = re.sub(r"\.{2,}", ".", s)
    s = s.strip("-.")
    if not s:
        s = "entry"
    s = s[:120].strip("-.")
    if not re.match(r"[a-z0-9]", s):
        s = "x" + s
    return s


# --- Conversion ----------------------------------------------------------------

def guess_flavour(base):
    name = os.path.basename(base).lower()
    for flavour in ("foldoc", "jargon", "gcide", "wn"):
        if name.startswith(flavour):
            return flavour
    return "generic"


def convert(base, flavour=None, bundle_id=None):
    base, index, data = read_dictionary(base)
    flavour = flavour or guess_flavour(base)

    # One definition per stretch of the .dict, whatever index lines point
    # to it; metadata entries are not definitions.
    by_offset = {}
    for word, offset, length in index:
        if word.startswith("00-database-") or word.startswith("00-gcide-") or word.startswith("00-web1913-") or word.startswith("00database"):
            continue
        key = (offset, length)
        if key not in by_offset:
            by_offset[key] = []
        if word not in by_offset[key]:
            by_offset[key].append(word)

    definitions = []
    ordered = sorted(by_offset.items())
    for n, ((offset, length), keys) in enumerate(ordered):
        raw = data[offset:offset + length].decode("utf-8", errors="gloss-cp1252")
        raw = raw.replace("\r\n", "\n").replace("\t", "    ")
        d = parse_definition(raw, flavour)
        d.offset = offset
        d.keys = keys
        if not d.headwords:
            d.headwords = [collapse(keys[0])]
        definitions.append(d)

    if flavour == "gcide":
        # The dictd GCIDE leaks the next definition's headword onto the end
        # of some definitions ("[1913 Webster] Monodrama").
        for d, following in zip(definitions, definitions[1:]):
            if not d.paragraphs or d.paragraphs[-1].keep_lines:
                continue
            last = d.paragraphs[-1]
            tail = " " + following.headwords[0]
            if len(last.lines) and last.lines[-1].endswith(tail) and last.lines[-1] != tail.strip():
                last.lines[-1] = last.lines[-1][: -len(tail)]

    # Definitions merged by headword, case aside.
    entries = {}
    order = []
    for d in definitions:
        head = d.headwords[0]
        key = same_word(head)
        if not key:
            continue
        if key not in entries:
            entries[key] = []
            order.append(key)
        entries[key].append(d)

    # Ids: readable, unique, stable (in order of the folded headword, then
    # the headword as written).
    order.sort(key=lambda k: (fold(k), k, entries[k][0].headwords[0]))
    ids = {}
    used = set()
    for key in order:
        base_id = slug(entries[key][0].headwords[0])
        candidate = base_id
        n = 2
        while candidate in used:
            candidate = f"{base_id}-{n}"
            n += 1
        used.add(candidate)
        ids[key] = candidate

    # Aliases: other headwords the definitions give themselves, and index
    # headwords that are forms of the headword (GCIDE's inflections and
    # plurals, in the head of the definition). GCIDE's run-in phrases
    # ("Boy bishop" under "Boy") are not other names of the entry: they stay
    # in its text, where search finds them, and out of its aliases, where
    # they would rank the entry with its name.
    aliases = {}
    for key in order:
        found = []
        seen = {fold(key)}
        for d in entries[key]:
            candidates = list(d.headwords[1:])
            if flavour == "gcide":
                # The grammatical head: "[imp. & p. p. {Derailed}; p. pr. &
                # vb. n. {Derailing}.]", "pl. {Bookshelves}".
                head_text = " ".join(re.findall(
                    r"(?:imp\.|p\. ?p\.|p\. ?pr\.|vb\. ?n\.|pl\.|superl\.|compar\.)[^\]]*",
                    " ".join(p.text() for p in d.paragraphs[:1])))
                for k in d.keys:
                    k = gcide_accents(k)
                    if "{" + k + "}" in head_text:
                        candidates.append(k)
            elif flavour != "wn":
                for k in d.keys:
                    if any(fold(k) == fold(h) for h in d.headwords):
                        continue
                    candidates.append(html.unescape(k))
            for c in candidates:
                c = collapse(c)
                f = fold(c)
                if c and f not in seen:
                    seen.add(f)
                    found.append(cut(c, NAME_MAX))
        aliases[key] = found

    exact = {}
    folded = {}
    for key in order:
        exact[key] = ids[key]
        folded.setdefault(fold(key), ids[key])
    for key in order:
        for a in aliases[key]:
            exact.setdefault(same_word(a), ids[key])
            folded.setdefault(fold(a), ids[key])
    lookup = (exact, folded)

    title, description, licence, updated = bundle_metadata(index, data, os.path.basename(base))

    categories = {}
    out_entries = []
    for key in order:
        defs = entries[key]
        entry_id = ids[key]
        term = cut(defs[0].headwords[0], NAME_MAX)
        entry = {"id": entry_id, "term": term}
        if aliases[key]:
            entry["aliases"] = aliases[key]

        summary = None
        summary_paragraph = None
        for d in defs:
            summary, summary_paragraph = summary_of(d, flavour)
            if summary:
                break
        if summary:
            entry["summary"] = summary

        domains = []
        for d in defs:
            for dom in d.domains:
                if dom not in domains:
                    domains.append(dom)
        if domains:
            cat_id = slug(domains[0])
            categories.setdefault(cat_id, domains[0][:1].upper() + domains[0][1:])
            entry["category"] = cat_id
            entry["tags"] = [cut(t, NAME_MAX) for t in domains]

        dates = [d.updated for d in defs if d.updated]
        if dates:
            entry["updated"] = max(dates)

        sections = []
        heads = [d.headwords[0] for d in defs]
        for number, d in enumerate(defs, 1):
            parts = []
            if d.pronunciation:
                parts.append(md_escape(d.pronunciation, True))
            for p in d.paragraphs:
                # The summary's paragraph is not said twice when the summary
                # is all of it.
                if len(defs) == 1 and p is summary_paragraph and summary and \
                        collapse(plain_refs(p.text())) == summary:
                    continue
                parts.append(paragraph_markdown(p, lookup, entry_id, flavour))
            body = "\n\n".join(x for x in parts if x.strip())
            if not body:
                continue
            if len(body) > BODY_MAX:
                body = body[: BODY_MAX - 1].rsplit("\n\n", 1)[0]
            section = {}
            if len(defs) > 1:
                if len(set(heads)) == len(heads):
                    heading = d.headwords[0]
                else:
                    heading = f"{term} ({number})"
                if d.domains:
                    heading += " — " + ", ".join(d.domains)
                section["heading"] = cut(heading, NAME_MAX)
            section["body"] = body
            sections.append(section)
        if sections:
            entry["sections"] = sections
        out_entries.append(entry)

    bundle = {
        "format": "gloss-bundle",
        "version": 1,
        "id": bundle_id or ("dictd." + re.sub(r"[^A-Za-z0-9._-]", "-", os.path.basename(base))),
        "title": cut(title, NAME_MAX),
        "description": description,
        "language": "en",
    }
    if licence:
        bundle["license"] = licence
    if updated:
        bundle["updated"] = updated
    if categories:
        bundle["categories"] = [{"id": c, "name": cut(n, NAME_MAX)} for c, n in sorted(categories.items())]
    bundle["entries"] = out_entries
    return bundle


def main():
    parser = argparse.ArgumentParser(description="Convert a dictd dictionary into a Gloss bundle.")
    parser.add_argument("dictionary", help="the dictionary: BASE, BASE.index, BASE.dict or BASE.dict.dz")
    parser.add_argument("output", help="the bundle to write (JSON)")
    parser.add_argument("--flavour", choices=["foldoc", "jargon", "gcide", "wn", "generic"],
                        help="the dictionary's layout (guessed from its name)")
    parser.add_argument("--id", dest="bundle_id", help="the bundle's id (default dictd.NAME)")
    args = parser.parse_args()

    bundle = convert(args.dictionary, args.flavour, args.bundle_id)
    tmp = args.output + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(bundle, f, ensure_ascii=False, indent=1)
        f.write("\n")
    os.replace(tmp, args.output)
    print(f"{args.output}: {len(bundle['entries'])} entries", file=sys.stderr)


if __name__ == "__main__":
    main()
