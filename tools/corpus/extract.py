#!/usr/bin/env python3
"""Turns unpacked Debian packages into raw paragraphs, one source at a time.

Usage: extract.py PKGROOT RAWDIR SOURCE [SOURCE ...]

PKGROOT/<package>/ holds each package unpacked with `dpkg-deb -x`.  For every
SOURCE this writes RAWDIR/<SOURCE>.tsv with one line per paragraph:

    <document id> TAB <paragraph text>

Paragraphs here are only stripped of their markup; filtering, normalisation,
de-duplication and the train / held-out split are done by clean_split.py.
The document id groups paragraphs that belong together (a Bible chapter, a
dictionary entry, a section of a manual) so that the split never cuts one.

Standard library only; output depends only on the input files (files are
visited in sorted order, nothing is random).
"""

import base64
import gzip
import html
import html.parser
import os
import re
import subprocess
import sys
import unicodedata

# ---------------------------------------------------------------------------
# helpers


def ws(text):
    """Collapses all whitespace runs to one space."""
    return " ".join(text.split())


def sorted_files(root, suffixes, exclude=()):
    """Files under root whose names end with one of suffixes, sorted by path."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in filenames:
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            if not name.endswith(suffixes) or os.path.islink(path):
                continue
            if any(re.search(pat, rel) for pat in exclude):
                continue
            out.append((rel, path))
    out.sort()
    return out


class Writer:
    def __init__(self, path):
        self.f = open(path, "w", encoding="utf-8", newline="\n")
        self.count = 0

    def put(self, doc, text):
        text = ws(text)
        if text:
            self.f.write(doc.replace("\t", " ") + "\t" + text + "\n")
            self.count += 1

    def close(self):
        self.f.close()


# ---------------------------------------------------------------------------
# dictd databases (.index + .dict.dz)

B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def b64num(s):
    n = 0
    for ch in s:
        n = n * 64 + B64.index(ch)
    return n


def dictd_entries(index_path, dict_path):
    """(headword, text) of each distinct entry, in file order."""
    with gzip.open(dict_path, "rb") as f:
        data = f.read()
    spans = {}
    with open(index_path, encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 3 or parts[0].startswith("00database") or parts[0].startswith("00-database"):
                continue
            off, length = b64num(parts[1]), b64num(parts[2])
            spans.setdefault((off, length), parts[0])
    for (off, length), word in sorted(spans.items()):
        yield word, data[off:off + length].decode("utf-8", errors="replace")


def blocks(text):
    """Splits text at blank lines into lists of lines (trailing spaces cut)."""
    cur = []
    for line in text.split("\n"):
        if line.strip():
            cur.append(line.rstrip())
        elif cur:
            yield cur
            cur = []
    if cur:
        yield cur


def indent(line):
    return len(line) - len(line.lstrip(" "))


# ---------------------------------------------------------------------------
# GCIDE (Webster 1913 + WordNet 1.5 + supplements)

GCIDE_TAG = re.compile(r"\[(?:1913 Webster|Webster 1913 Suppl\.|WordNet 1\.5|PJC|Century Dict\.|"
                       r"[A-Za-z0-9 .]*Webster[A-Za-z0-9 .]*|[A-Z]{2,4})[^\]]*\]")
GCIDE_CITE = re.compile(r"\s--\s?(?:[A-Z][A-Za-z.'&]*\.?\s?){1,6}(?:\([^)]*\))?\.?\s*$")


GCIDE_MARKS = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", ",": "\u0327"}
GCIDE_LIGATURES = {"ae": "\u00e6", "AE": "\u00c6", "oe": "\u0153", "OE": "\u0152"}


def gcide_inline(text):
    text = re.sub(r"\s--\s*\{.*$", "", text)  # trailing derived forms: -- {Dis*tinct"ly}, adv.
    text = re.sub(r"--(?:[A-Z0-9][\w'&]*\.?,?\s?)(?:[A-Z0-9][\w'&]*\.?,?\s?|[ivxlc]+\.\s?|\d+\.?\s?){0,5}", " ", text)  # citations: --Milton. --Sir T. Browne.
    text = re.sub(r"\([^()\s]*[*`\"][^()\s]*\)", " ", text)  # pronunciations: ([i^]n*v[i^]g"[~e]r*[=a]t)
    text = GCIDE_TAG.sub(" ", text)
    # accented letters are written ['e] [`a] [^o] ["u] [~n] [,c]; ligatures [ae] [oe]
    text = re.sub(r"\[([\'`^\"~,])([A-Za-z])\]", lambda m: unicodedata.normalize(
        "NFC", m.group(2) + GCIDE_MARKS[m.group(1)]), text)
    text = re.sub(r"\[(ae|AE|oe|OE)\]", lambda m: GCIDE_LIGATURES[m.group(1)], text)
    prev = None
    while prev != text:  # [Obs.], [R.], etymologies, inflections, cross references; innermost first
        prev = text
        text = re.sub(r"\[[^\[\]]*\]", " ", text)
    # {Di*chot"o*mous*ly} -> Dichotomously (syllable marks only occur inside braces)
    text = re.sub(r"\{([^{}]*)\}", lambda m: re.sub(r"[*\"`]", "", m.group(1)), text)
    text = text.replace("\\", "")
    text = re.sub(r"\.(?:\s\.)+", "...", text)
    return ws(text).replace(" ,", ",").replace(" .", ".").replace(" ;", ";")


def gcide_headword(block_lines):
    head = " ".join(l.strip() for l in block_lines)
    m = re.match(r"^(.*?)\s*\\", head)
    word = m.group(1) if m else head.split(",")[0]
    return ws(re.sub(r"[*\"`]", "", word))


def extract_gcide(pkg, w):
    base = os.path.join(pkg, "dict-gcide/usr/share/dictd/gcide")
    for word, text in dictd_entries(base + ".index", base + ".dict.dz"):
        bl = list(blocks(text))
        if not bl:
            continue
        doc = "gcide:" + word
        first = bl[0]
        # the header (headword, pronunciation, part of speech, inflections, etymology) may
        # run over several lines: it ends where its brackets balance on a line ending in
        # '.', ']' or ')'; the definitions start after it.
        head_end, depth = 0, 0
        while head_end < len(first) and head_end < 8:
            line = first[head_end]
            if head_end > 0 and re.match(r"^\s*\d+\.\s", line):
                break
            depth += line.count("[") - line.count("]")
            head_end += 1
            if depth <= 0 and line.rstrip()[-1:] in ".])":
                break
        headword = gcide_headword(first[:1])
        if not headword or headword.startswith("00"):
            continue
        rest = [first[head_end:]] + bl[1:]
        for lines in rest:
            if not lines:
                continue
            body = [l for l in lines if not re.match(r"^\s*\[[^\]]*\]\s*$", l)]
            if not body:
                continue
            if indent(body[0]) >= 8:
                # a quotation: keep the words, drop the author after the dashes
                quote = " ".join(l.strip() for l in body)
                quote = re.sub(r"\s--\s?[A-Z0-9].*$", "", quote)
                w.put(doc, gcide_inline(quote))
                continue
            line = " ".join(l.strip() for l in body)
            if line.startswith("Syn:") or line.startswith("Syn.") or line.startswith("See also"):
                continue
            line = gcide_inline(line)
            line = re.sub(r"^[\s.,;:]*(?:(?:\d+\.|\([a-z]\))\s*)*", "", line)
            if line.startswith("Note:"):
                w.put(doc, line[5:])
            elif line:
                w.put(doc, headword + ": " + line)


# ---------------------------------------------------------------------------
# The Devil's Dictionary, the Jargon File: plain dictd prose


def extract_devil(pkg, w):
    base = os.path.join(pkg, "dict-devil/usr/share/dictd/devil")
    for word, text in dictd_entries(base + ".index", base + ".dict.dz"):
        for lines in blocks(text):
            # poems are indented; their author sits alone far to the right
            lines = [l for l in lines if not (indent(l) >= 20 and len(l.split()) <= 4)]
            para = " ".join(l.strip() for l in lines)
            para = re.sub(r"(?<!\w)_([^_]+)_(?!\w)", r"\1", para)
            w.put("devil:" + word, para)


def extract_jargon(pkg, w):
    base = os.path.join(pkg, "dict-jargon/usr/share/dictd/jargon")
    for word, text in dictd_entries(base + ".index", base + ".dict.dz"):
        bl = list(blocks(text))
        if len(bl) < 2:
            continue
        headword = ws(bl[0][0])
        first = True
        for lines in bl[1:]:
            if indent(lines[0]) != 4:
                continue  # code, verse and diagrams are indented further
            para = " ".join(l.strip() for l in lines)
            para = re.sub(r"\{([^{}]*)\}", r"\1", para)
            para = re.sub(r"^\d+\.\s*", "", para)
            para = re.sub(r"^(?:\[[^\]]*\]\s*)+", "", para)
            para = para.replace(" }", "")
            if first:
                para = headword + ": " + para
                first = False
            w.put("jargon:" + word, para)


# ---------------------------------------------------------------------------
# WordNet 3.0 glosses


def extract_wordnet(pkg, w):
    root = os.path.join(pkg, "wordnet-base/usr/share/wordnet")
    for pos in ("noun", "verb", "adj", "adv"):
        with open(os.path.join(root, "data." + pos), encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("  ") or "|" not in line:
                    continue
                fields, gloss = line.split("|", 1)
                parts = fields.split()
                offset = parts[0]
                lemma = re.sub(r"\(.*?\)$", "", parts[4]).replace("_", " ")
                gloss = gloss.strip()
                # "definition; definition; "example"; "example"" -- examples are quoted
                cut = re.search(r'(^|;)\s*"', gloss)
                defs = gloss[:cut.start()] if cut else gloss
                exs = re.findall(r'"([^"]+)"', gloss[cut.start():]) if cut else []
                defs = [d.strip() for d in defs.split(";") if d.strip()]
                exs = [e.strip() for e in exs]
                if not defs:
                    continue
                text = lemma + ": " + "; ".join(defs).rstrip(".") + "."
                for ex in exs:
                    if ex:
                        ex = ex[0].upper() + ex[1:]
                        text += " " + ex + ("" if ex[-1] in ".!?" else ".")
                w.put("wordnet:%s:%s" % (pos, offset), text)


# ---------------------------------------------------------------------------
# King James Bible (decoded with the package's own `bible` program)


def extract_bible(pkg, w):
    prog = os.path.join(pkg, "bible-kjv/usr/bin/bible")
    data = os.path.join(pkg, "bible-kjv-text/usr/lib")
    out = subprocess.run([prog, "-f", "-p", data, "gen1:1-rev22:21"], check=True,
                         capture_output=True, env=dict(os.environ)).stdout.decode("utf-8", "replace")
    chapter, para = None, []

    def flush():
        if para:
            w.put("bible:" + chapter, " ".join(para))
            para.clear()

    for line in out.split("\n"):
        m = re.match(r"^(\w+?)(\d+):(\d+) (.*)$", line.strip())
        if not m:
            continue
        ch = m.group(1) + m.group(2)
        if ch != chapter:
            flush()
            chapter = ch
        para.append(m.group(4).strip())
        # a paragraph of a few verses: long enough to carry context, short enough to learn from
        if sum(len(v) for v in para) >= 600:
            flush()
    flush()


# ---------------------------------------------------------------------------
# fortune cookies

FORTUNE_SKIP = {"ascii-art", "art", "translate-me", "ethnic", "knghtbrd"}


def extract_fortunes(pkg, w):
    files = []
    for p in ("fortunes-min", "fortunes"):
        root = os.path.join(pkg, p, "usr/share/games/fortunes")
        if os.path.isdir(root):
            for name in sorted(os.listdir(root)):
                path = os.path.join(root, name)
                if "." in name or os.path.islink(path) or name in FORTUNE_SKIP:
                    continue
                files.append((p + "/" + name, path))
    for rel, path in files:
        with open(path, encoding="utf-8", errors="replace") as f:
            items = re.split(r"\n%\n", "\n" + f.read() + "\n")
        for i, item in enumerate(items):
            lines = [l for l in item.split("\n") if l.strip()]
            # drop the attribution ("-- Mark Twain") and anything drawn with spaces
            while lines and re.match(r"^\s*(--|—|~)", lines[-1]):
                lines.pop()
            if not lines or any(re.search(r"\S {4,}\S", l) for l in lines):
                continue
            w.put("fortune:%s:%d" % (rel, i), " ".join(l.strip() for l in lines))


# ---------------------------------------------------------------------------
# POD (perl-doc)

POD_SKIP = re.compile(r"(perltoc|perluniprops|perlapi|perlintern|perlmodlib|perlebcdic|perlport|perlvms|perlos\w*|perlaix"
                      r"|perlhpux|perlsolaris|perlwin32|perlcygwin|perlirix|perlqnx|perlhist|perlartistic|perlgpl"
                      r"|perlrecharclass|perlunicook)\.pod$")


def pod_inline(text):
    """Strips POD formatting codes: B<x> I<x> C<x> C<< x >> L<text|link> E<lt> ..."""
    out = []
    stack = []  # (code, number of angle brackets, start index in out)
    i = 0
    while i < len(text):
        c = text[i]
        if c.isupper() and text.startswith("<", i + 1):
            n = 1
            while text.startswith("<", i + 1 + n):
                n += 1
            if n == 1 or (i + 1 + n < len(text) and text[i + 1 + n].isspace()):
                stack.append((c, n, len(out)))
                i += 1 + n
                continue
        if stack and c == ">":
            code, n, start = stack[-1]
            if n == 1 or (text.startswith(">" * n, i) and i > 0 and text[i - 1].isspace()):
                stack.pop()
                inner = "".join(out[start:]).strip()
                del out[start:]
                if code == "E":
                    inner = {"lt": "<", "gt": ">", "verbar": "|", "sol": "/", "quot": '"', "amp": "&"}.get(inner, "")
                elif code in "XZ":
                    inner = ""
                elif code == "L":
                    if "|" in inner:
                        inner = inner.split("|", 1)[0]
                    elif "/" in inner and "://" not in inner:
                        left, right = inner.split("/", 1)
                        inner = right.strip('"') if right else left
                out.append(inner)
                i += n
                continue
        out.append(c)
        i += 1
    return "".join(out)


def extract_perl(pkg, w):
    root = os.path.join(pkg, "perl-doc/usr/share/perl")
    for rel, path in sorted_files(root, (".pod",)):
        if POD_SKIP.search(rel):
            continue
        name = os.path.basename(rel)[:-4]
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        section = 0
        skipping = False
        for para in re.split(r"\n\s*\n", text):
            if not para.strip():
                continue
            if para.startswith("="):
                cmd = para.split(None, 1)[0]
                if cmd in ("=begin", "=for"):
                    skipping = cmd == "=begin"
                elif cmd == "=end":
                    skipping = False
                elif cmd.startswith("=head"):
                    section += 1
                elif cmd == "=item":
                    rest = para.split(None, 1)[1] if len(para.split(None, 1)) > 1 else ""
                    # "=item text" on one paragraph with prose after the first line
                    lines = rest.split("\n", 1)
                    if len(lines) > 1 and lines[1].strip():
                        w.put("perl:%s#%d" % (name, section), pod_inline(lines[1]))
                continue
            if skipping or para[0] in " \t":
                continue  # verbatim paragraph: code
            w.put("perl:%s#%d" % (name, section), pod_inline(para))


# ---------------------------------------------------------------------------
# HTML (Sphinx output of the Python and Linux docs, DocBook / Publican books)

BLOCK = {"p", "div", "li", "ul", "ol", "dl", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
         "table", "tr", "td", "th", "section", "article", "aside", "header", "footer", "nav", "body", "figure",
         "figcaption", "caption", "hr", "br", "pre", "form", "main", "title"}
SKIP_TAGS = {"script", "style", "pre", "head", "table", "dt", "nav", "footer", "header", "form", "math", "svg",
             "figure", "sup", "textarea", "object", "button", "select"}
SKIP_CLASSES = {"sphinxsidebar", "sphinxsidebarwrapper", "related", "footer", "navheader", "navfooter", "docnav",
                "toc", "headerlink", "linenos", "admonition-title", "toctree-wrapper", "contents", "highlight",
                "literal-block", "literallayout", "programlisting", "screen", "synopsis", "cmdsynopsis",
                "funcsynopsis", "titlepage", "sig", "sig-object", "rubric", "mobile-nav", "doc-backlink",
                "footnote", "footnotes", "citation", "breadcrumbs", "wy-nav-side", "rst-footer-buttons",
                "document-revisions", "legalnotice", "versionmodified", "guibutton", "prompt", "option-list",
                "field-list", "productionlist", "doctest", "code-block-caption", "indextable", "title"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
VOID = {"br", "hr", "img", "meta", "link", "input", "col", "area", "base", "wbr", "source", "embed", "param",
        "track"}


class ProseHTML(html.parser.HTMLParser):
    """Collects the text of paragraphs; code, navigation, tables and headings are left out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paras = []  # (section number, text)
        self.buf = []
        self.skip = []  # stack of tag names that opened a skipped subtree
        self.heading = 0
        self.section = 0

    def flush(self):
        text = ws("".join(self.buf))
        self.buf = []
        if text and not self.heading:
            self.paras.append((self.section, text))

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            if tag in ("br", "hr") and not self.skip:
                self.buf.append(" ")
            return
        classes = set()
        for k, v in attrs:
            if k == "class" and v:
                classes.update(v.split())
        if self.skip:
            self.skip.append(tag)
            return
        if tag in SKIP_TAGS or classes & SKIP_CLASSES or any(c.startswith("highlight") for c in classes):
            if tag in BLOCK:
                self.flush()
            self.skip.append(tag)
            return
        if tag in BLOCK:
            self.flush()
        if tag in HEADINGS:
            self.heading += 1
        if tag in HEADINGS or tag == "section" or "section" in classes or "sect1" in classes:
            self.section += 1

    def handle_startendtag(self, tag, attrs):
        if tag in ("br", "hr") and not self.skip:
            self.buf.append(" ")

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if self.skip:
            # close the innermost open element with this name (tolerates unclosed <p>, <li>)
            for j in range(len(self.skip) - 1, -1, -1):
                if self.skip[j] == tag:
                    del self.skip[j:]
                    break
            return
        if tag in BLOCK:
            self.flush()
        if tag in HEADINGS and self.heading:
            self.heading -= 1

    def handle_data(self, data):
        if not self.skip:
            self.buf.append(data)

    def close(self):
        super().close()
        self.flush()


def html_paragraphs(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    p = ProseHTML()
    p.feed(text)
    p.close()
    return p.paras


def extract_html_tree(w, prefix, root, exclude=()):
    for rel, path in sorted_files(root, (".html",), exclude):
        for section, text in html_paragraphs(path):
            text = text.replace("\u00b6", "")
            w.put("%s:%s#%d" % (prefix, rel, section), text)


def extract_python(pkg, w):
    extract_html_tree(w, "python", os.path.join(pkg, "python3.11-doc/usr/share/doc/python3.11/html"),
                      exclude=(r"^_", r"^(genindex|py-modindex|search|contents|glossary|copyright|license|bugs|about)",
                               r"^whatsnew/changelog", r"^c-api/stable", r"^library/token"))


def extract_linux(pkg, w):
    extract_html_tree(w, "linux", os.path.join(pkg, "linux-doc-6.1/usr/share/doc/linux-doc-6.1/html"),
                      exclude=(r"^_", r"^translations/", r"^(genindex|search)\.html",
                               r"(^|/)(abi|ABI)-", r"^admin-guide/abi", r"^devicetree/bindings",
                               r"^process/license-rules", r"^process/magic-number", r"/kernel-api\.html$",
                               r"^(driver-api|core-api)/.*(api|symbols)\.html$", r"^userspace-api/media/.*v4l.*",
                               r"^userspace-api/ioctl/ioctl-number", r"^admin-guide/kernel-parameters",
                               r"^networking/device_drivers/", r"^admin-guide/sysctl/"))


def extract_handbook(pkg, w):
    extract_html_tree(w, "handbook", os.path.join(pkg, "debian-handbook/usr/share/doc/debian-handbook/html/en-US"),
                      exclude=(r"^Common_Content", r"^(ix01|index)\.html$"))


def extract_debref(pkg, w):
    root = os.path.join(pkg, "debian-reference-en/usr/share/debian-reference")
    for rel, path in sorted_files(root, (".en.html",)):
        if rel.startswith("index"):
            continue
        for section, text in html_paragraphs(path):
            w.put("debref:%s#%d" % (rel, section), text)


# ---------------------------------------------------------------------------

EXTRACTORS = {
    "bible": extract_bible,
    "devil": extract_devil,
    "fortunes": extract_fortunes,
    "jargon": extract_jargon,
    "gcide": extract_gcide,
    "wordnet": extract_wordnet,
    "handbook": extract_handbook,
    "debref": extract_debref,
    "python": extract_python,
    "perl": extract_perl,
    "linux": extract_linux,
}


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__)
    pkg, raw = argv[1], argv[2]
    os.makedirs(raw, exist_ok=True)
    for source in argv[3:]:
        if source not in EXTRACTORS:
            sys.exit("unknown source: " + source)
        w = Writer(os.path.join(raw, source + ".tsv.tmp"))
        EXTRACTORS[source](pkg, w)
        w.close()
        os.replace(os.path.join(raw, source + ".tsv.tmp"), os.path.join(raw, source + ".tsv"))
        print("extracted %-9s %8d paragraphs" % (source, w.count), file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
