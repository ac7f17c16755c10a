"""Read meeting texts: decode .txt, .docx, .xlsx and .csv files and normalise the text for the parser.

``normalize`` is deterministic and idempotent (``normalize(normalize(t)) == normalize(t)``); every
later step of the importer works on its output, so spans index into normalised text. What it does,
in order:

1. Drop the BOM, zero-width and bidi marks and control characters; unify line endings (a form feed
   is a page break: a blank line).
2. NFKC: full-width ，；：（）！？ become , ; : ( ) ! ?, while 。、“”《》【】 stay. Circled numbers
   ①…⑳ stay as written (NFKC would turn them into bare digits and lose the enumeration; an item
   keeps the marker of its source).
3. Spaces: tabs and runs of spaces become one space, lines are stripped, and a space next to a Chinese
   character or Chinese punctuation is removed ("上云企业 1200 家" -> "上云企业1200家",
   "9 月 12 日" -> "9月12日"); spaces between Latin words stay.
4. ○/◯ used as a zero digit: "二○一八" -> "二〇一八", "2○18" -> "2018"; a year of four digits
   with a Latin O in it ("二O一八年", "2O18年") is fixed the same way. 零 is kept.
5. Web-page chrome lines are dropped: breadcrumbs (首页 > 新闻 > …), 发布时间/来源/作者 lines,
   浏览量/阅读数, 字号 大 中 小, 分享到, 打印, 关闭窗口, 上一篇/下一篇, and decorated page numbers
   ("- 12 -", "第3页"). Only whole short lines made of such pieces go; words inside a sentence stay.
6. Lines broken across a page are joined with nothing in between (Chinese has no spaces). A line
   is "open" when it ends mid-sentence: not in 。!?;:… (or such a mark followed by a closing quote),
   not a short heading without sentence punctuation (全体会议, 【…】 titles, dates, "(市府办)"), not a
   "label:value" line (牵头单位:…) unless it stops at 、, and not ending in a bracket of fields
   "(…:…)". An open line is joined to the next non-blank line when that line continues it: it does
   not start a paragraph (【, 一、, (一), 1., 第N条, bullets, a date, "label:", 会议强调/要求/…) and
   is not a short heading (after a 、 even a short line finishes the list); a date goes on a line
   that stops at a comma or a word waiting for it (…加快建设, / 确保).
   Bare page-number lines between the two halves are dropped. A short complete line between them
   (a photo caption) is dropped too when it is set off by two or more blank lines or looks like a
   caption (摄, 图为, 供图); otherwise it is taken as the end of the broken sentence. A short
   heading-like line set off by blank lines between the halves (a running page header such as
   华溪年鉴(2021)) is dropped when the line after it continues the sentence. A text whose line ends
   are all real paragraph ends (``hard_line_ends``: a .docx, see below) skips this step.
7. Blank lines collapse to one; the text ends with one newline.

``read_path`` and ``read_bytes`` return a ``Source``: the name, the normalised text, and the date of
the page's 发布时间 line, read before step 5 drops that line (a report that names only month and
day takes its year from it).

``read_bytes`` gives a .docx list paragraph the number Word shows before it (一、 1. (一), from the
numbering definitions, not the text), or its bullet (● for one drawn from a symbol font), and joins a body paragraph's Shift+Enter lines that do not end a
sentence. Its paragraphs stay apart even without a final full stop (a heading over a decision, two
decisions): normalising joins no line of a .docx, unless its paragraphs are a printed page's lines
(most of them stop mid-sentence at the same width, as a PDF converted to Word does). It turns .docx
tables into lines. A task-split table (columns such as 序号, 任务, 牵头单位,
配合单位, 完成时限) gives one line per task in the shape of minutes: "1.任务(牵头单位:X;配合单位:Y;完成时限:Z)。"
with the header labels as written in the table, so the parser reads tables and minutes alike. A row
spanning the whole table (a section title) is a line of its own; other tables give one line per row,
"label:value" pairs joined by ";" when the table has a header row, the cells joined by ";" otherwise.
A spreadsheet (.xlsx: every worksheet; .csv: comma, semicolon or tab separated, in any encoding
``decode`` reads) is read as such a table: a task-split sheet or a ledger (台账) of tasks gives task
lines, a title merged across the sheet a line of its own, a cell merged down several rows its value in
each, and a date cell a date in Chinese (2024年6月30日). Beside a task sheet, a note or cover sheet
(说明, 填报说明, 封面) is left out; a task sheet that opens with its header and no title row of its own
is titled by the workbook (its document title, or a file name such as 重点工作任务台账.xlsx).
``normalize`` does the same for such a table pasted as text: its rows split by tabs or runs of
spaces, or written in Markdown (| 序号 | 工作任务 | … |), or one cell a line under a header that opens
with 序号.
"""

from __future__ import annotations

import datetime
import io
import os
import re
import unicodedata
from pathlib import Path
from typing import NamedTuple

from importer.errors import InputError
from importer.numerals import int_to_cn
from importer.segment import publication_date
from importer.types import BULLETS


class Source(NamedTuple):
    """A document as read: its name, its normalised text, and the date its page was published (or None)."""

    name: str
    text: str
    published: datetime.date | None = None


def source_of(name: str, raw: str, *, hard_line_ends: bool = False) -> Source:
    """Normalise a text (pasted, or decoded from a file) and keep its publication date.

    With ``hard_line_ends`` every line end of raw is a real paragraph end (see ``normalize``).
    """
    return Source(name, normalize(raw, hard_line_ends=hard_line_ends), page_date(raw))


def page_date(text: str) -> datetime.date | None:
    """The date of the page's publication line, looked for near its top."""
    return publication_date(text[:2000])


MAX_BYTES = 20 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
DOCX_SUFFIXES = {".docx"}
SHEET_SUFFIXES = {".xlsx", ".xlsm", ".csv"}
_UNSUPPORTED = {
    ".doc": "暂不支持旧版 Word 文档(.doc)，请在 Word 或 WPS 中“另存为” .docx 或 .txt 后再导入。",
    ".wps": "暂不支持 WPS 文档(.wps)，请在 WPS 中“另存为” .docx 或 .txt 后再导入。",
    ".rtf": "暂不支持 RTF 文档，请“另存为” .docx 或 .txt 后再导入。",
    ".odt": "暂不支持 ODT 文档，请“另存为” .docx 或 .txt 后再导入。",
    ".pdf": "暂不支持 PDF 文件，请把其中文字复制出来另存为 .txt，或转换为 .docx 后再导入。",
    ".ofd": "暂不支持 OFD 文件，请把其中文字复制出来另存为 .txt，或转换为 .docx 后再导入。",
    ".xls": "暂不支持旧版 Excel 表格(.xls)，请在 Excel 或 WPS 中“另存为” .xlsx 或 .csv 后再导入。",
    ".et": "暂不支持 WPS 表格(.et)，请在 WPS 中“另存为” .xlsx 或 .csv 后再导入。",
    ".ods": "暂不支持 ODS 表格，请“另存为” .xlsx 或 .csv 后再导入。",
}

# --- errors and decoding -------------------------------------------------------------------------


def read_path(path) -> Source:
    """Read one file and return its Source (file name, normalised text, publication date).

    Raises InputError if the file is unusable.
    """
    p = Path(path)
    shown = str(path)
    if not p.exists():
        raise InputError(shown, "文件不存在，请检查路径是否正确。")
    if p.is_dir():
        raise InputError(shown, "这是一个文件夹，不是文件；请选择其中的 .txt 或 .docx 文件。")
    if not p.is_file():
        raise InputError(shown, "不是普通文件，无法读取。")
    _check_suffix(shown, p.suffix)
    _check_size(shown, p.stat().st_size)
    try:
        data = p.read_bytes()
    except PermissionError as exc:
        raise InputError(shown, "没有读取这个文件的权限。") from exc
    except OSError as exc:
        raise InputError(shown, f"读取失败（{exc.strerror or exc}）。") from exc
    return _read(data, p.suffix, shown)._replace(name=p.name)


def read_bytes(data: bytes, name: str) -> Source:
    """Decode the bytes of a .txt, .docx, .xlsx or .csv file called name and return its Source."""
    return _read(data, os.path.splitext(name)[1], name)


def _read(data: bytes, suffix: str, name: str) -> Source:
    _check_suffix(name, suffix)
    _check_size(name, len(data))
    if not data:
        raise InputError(name, "文件为空（0 字节）。")
    kind = suffix.lower()
    hard = False
    if kind in DOCX_SUFFIXES:
        raw = _docx_text(data, name)
        # A Word paragraph ends where its writer pressed Enter, not at a page's edge; unless the
        # document is a printed text converted line by line, as a PDF may be.
        hard = not _wrapped_lines(raw)
    elif kind == ".csv":
        raw = _csv_text(data, name)
    elif kind in SHEET_SUFFIXES:
        raw = _xlsx_text(data, name)
    else:
        raw = decode(data, name)
    source = source_of(name, raw, hard_line_ends=hard)
    if not source.text.strip():
        raise InputError(name, "文件里没有文字内容。")
    return source


def _check_suffix(name: str, suffix: str) -> None:
    s = suffix.lower()
    if s in TEXT_SUFFIXES or s in DOCX_SUFFIXES or s in SHEET_SUFFIXES:
        return
    if s in _UNSUPPORTED:
        raise InputError(name, _UNSUPPORTED[s])
    raise InputError(name, f"不支持 {suffix} 类型的文件，请保存为 .docx、.txt 或 .xlsx 后再导入。")


def _check_size(name: str, size: int) -> None:
    if size > MAX_BYTES:
        raise InputError(name, f"文件大小 {size / 1024 / 1024:.1f} MB，超过 20 MB 的上限；请拆分后分别导入。")


_SIGNATURES = (
    (b"PK\x03\x04", "这是压缩包或 Word(.docx) 文件而不是纯文本；如果是 Word 文档，请把扩展名改为 .docx。"),
    (b"%PDF", "这是 PDF 文件而不是纯文本；请把其中文字复制出来另存为 .txt。"),
    (b"\xd0\xcf\x11\xe0", "这是旧版 Word/Excel(.doc/.xls) 文件而不是纯文本；请“另存为” .docx 或 .txt。"),
    (b"\x89PNG", "这是图片文件，不是文本文件。"),
    (b"\xff\xd8\xff", "这是图片文件，不是文本文件。"),
    (b"GIF8", "这是图片文件，不是文本文件。"),
)
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32"),
    (b"\xef\xbb\xbf", "utf-8-sig", "UTF-8"),
    (b"\xff\xfe", "utf-16-le", "UTF-16"),
    (b"\xfe\xff", "utf-16-be", "UTF-16"),
)
# Characters a decoded text must not hold: controls other than tab/newline/CR/form feed, NUL,
# surrogates, private use, noncharacters, the replacement character.
_BAD_CHARS = re.compile(
    "[\x00-\x08\x0e-\x19\x1b-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\ufdd0-\ufdef\ufffe\uffff\ufffd]"
)
# Characters that make up real Chinese texts; garbage decodings are mostly outside these ranges.
_COMMON_CHARS = re.compile(
    "[\t\n\r\x0c -~\u00a0-\u00ff\u2000-\u206f\u2100-\u218f\u2190-\u21ff\u2200-\u22ff\u2460-\u24ff"
    "\u2500-\u25ff\u2600-\u26ff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f"
    "\uff00-\uffef\u0391-\u03c9\u0401-\u0451]+"
)
_SAMPLE = 65536


def decode(data: bytes, name: str = "") -> str:
    """Decode text bytes: BOM, then UTF-8, UTF-16 without BOM, GB18030; raise InputError otherwise."""
    for bom, encoding, label in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding.replace("-sig", ""))
            except UnicodeDecodeError as exc:
                raise InputError(
                    name, f"文件以 {label} 标记开头，但第 {exc.start} 字节起的内容无法按 {label} 解码。"
                ) from exc
            if _BAD_CHARS.search(text):
                raise InputError(name, f"文件以 {label} 标记开头，但内容含有二进制数据，不是文本文件。")
            return text
    for signature, reason in _SIGNATURES:
        if data.startswith(signature):
            raise InputError(name, reason)
    text = _try(data, "utf-8")
    if text is not None and "\x00" not in text and len(_BAD_CHARS.findall(text)) <= len(text) // 1000:
        return text  # strict UTF-8 is strong evidence; a stray control character is dropped later
    text = _utf16_without_bom(data)
    if text is not None:
        return text
    text = _try(data, "gb18030")
    if text is not None and _plausible(text):
        return text
    if b"\x00" in data or re.search(rb"[\x01-\x08\x0e-\x1a\x1c-\x1f]", data[:_SAMPLE]):
        raise InputError(name, "文件含有二进制内容，不是文本文件（请导入 .txt 或 .docx）。")
    raise InputError(
        name, "无法识别文字编码（已尝试 UTF-8、UTF-16、GB18030/GBK）；请用记事本“另存为” UTF-8 编码后再导入。"
    )


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _plausible(text: str) -> bool:
    """Tell whether decoded text looks like a real (Chinese) text rather than a wrong decoding."""
    if _BAD_CHARS.search(text):
        return False
    sample = text[:_SAMPLE]
    if not sample:
        return True
    uncommon = len(_COMMON_CHARS.sub("", sample))
    return uncommon <= len(sample) * 0.05


def _utf16_without_bom(data: bytes) -> str | None:
    if len(data) < 2 or len(data) % 2:
        return None
    head = data[: _SAMPLE * 2]
    even_nuls, odd_nuls = head[0::2].count(0), head[1::2].count(0)
    order = ("utf-16-be", "utf-16-le") if even_nuls > odd_nuls else ("utf-16-le", "utf-16-be")
    for encoding in order:
        text = _try(data, encoding)
        if text is not None and _plausible(text):
            # ASCII-only UTF-16 is full of NUL bytes; Chinese UTF-16 needs a clear majority of CJK.
            sample = text[:_SAMPLE]
            cjk = sum(1 for c in sample if "\u3000" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef")
            if max(even_nuls, odd_nuls) * 4 >= len(head) // 2 or cjk * 2 >= len(sample):
                return text
    return None


# --- .docx ---------------------------------------------------------------------------------------


def _docx_text(data: bytes, name: str) -> str:
    """Return the paragraphs and table rows of a .docx file, one per line, in document order."""
    import zipfile

    import docx  # python-docx, imported here so reading plain text does not pay for it

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(name, "不是有效的 Word(.docx) 文件，可能已损坏，或是改了扩展名的其他文件。") from exc
    except Exception as exc:  # lxml and python-docx raise many kinds of errors for broken files
        raise InputError(name, f"不是有效的 Word(.docx) 文件（{type(exc).__name__}）。") from exc
    lines: list[str] = []
    _block_lines(document.element.body, document, lines, _Numbering(document))
    return "\n".join(lines)


def _block_lines(element, parent, lines: list[str], numbering: _Numbering | None = None) -> None:
    """Append the text of the paragraphs and tables under element; parent is its python-docx owner."""
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in element.iterchildren():
        if child.tag == qn("w:p"):
            text = Paragraph(child, parent).text
            label = numbering.label(child) if numbering else ""
            body = numbering is not None and parent is numbering.document
            if label and label in BULLETS and not body:
                label = ""  # a bullet in a cell (before a department's name) is layout
            # An auto-numbered 序号 cell holds only its number; an empty numbered body line is a gap.
            if label and (text.strip() or not body):
                text = label + text
            if "\n" in text and body:
                text = _join_soft_breaks(text)
            lines.append(text)
        elif child.tag == qn("w:tbl"):
            lines.extend(_table_lines(Table(child, parent), numbering))
        elif child.tag == qn("w:sdt"):  # content control: its content is ordinary blocks
            for content in child.iterchildren(qn("w:sdtContent")):
                _block_lines(content, parent, lines, numbering)


def _wrapped_lines(raw: str) -> bool:
    """Tell whether a document's paragraphs are the lines of a printed page (a PDF converted to Word).

    Such lines stop mid-sentence at the margin, most of them at the same length; paragraphs
    written in Word stop where their writer ended them, at any length.
    """
    lines = [line.strip(" \t\u3000") for line in raw.split("\n")]
    long = [line for line in lines if len(line) >= 20]
    # Widths as printed (a Chinese character two, a Latin digit one): a full line's is the margin's.
    widths = [
        sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
        for line in long
        if _is_open(unicodedata.normalize("NFKC", line))
    ]
    if len(widths) < 3 or len(widths) * 2 < len(long):
        return False
    common = max(sum(abs(w - m) <= 1 for w in widths) for m in set(widths))
    return common >= 3 and common * 5 >= len(widths) * 3


def _join_soft_breaks(text: str) -> str:
    """Join the lines of a body paragraph broken by Shift+Enter, unless a line ends a sentence or the next starts one.

    A soft break only wraps a line (a title over two lines, a sentence pushed on); in a table cell it
    separates units or steps and stays.
    """
    pieces = text.split("\n")
    out = pieces[0]
    for piece in pieces[1:]:
        before = unicodedata.normalize("NFKC", out).rstrip(" \t\u3000").rstrip(_QUOTES)
        after = unicodedata.normalize("NFKC", piece).strip(" \t")
        if not before or not after or before[-1] in _CLOSERS or _PARAGRAPH_START.match(after):
            out += "\n" + piece
        else:
            out += piece.lstrip(" \t\u3000")
    return out


class _Numbering:
    """The numbers Word shows before list paragraphs (一、 1. (一)), counted in document order.

    They come from numbering definitions, not from the paragraph's text; without them numbered
    decisions lose the marker that starts each item, and one without a full stop runs into the next.
    """

    def __init__(self, document) -> None:
        from docx.oxml.ns import qn

        self._qn = qn
        self.document = document
        self._nums: dict[str, tuple[str, dict[int, tuple[str, str, int]]]] = {}
        self._counts: dict[str, dict[int, int]] = {}
        self._styles: dict[str, tuple[str | None, str | None, str | None]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return  # a document without lists
        abstracts = {
            a.get(qn("w:abstractNumId")): {
                _int(lvl.get(qn("w:ilvl")), 0): (
                    self._val(lvl, "w:numFmt") or "decimal",
                    self._val(lvl, "w:lvlText") or "",
                    _int(self._val(lvl, "w:start"), 1),
                )
                for lvl in a.iterchildren(qn("w:lvl"))
            }
            for a in root.iterchildren(qn("w:abstractNum"))
        }
        for num in root.iterchildren(qn("w:num")):
            abstract = self._val(num, "w:abstractNumId")
            levels = dict(abstracts.get(abstract, {}))
            for override in num.iterchildren(qn("w:lvlOverride")):
                ilvl, start = _int(override.get(qn("w:ilvl")), 0), self._val(override, "w:startOverride")
                if start is not None and ilvl in levels:
                    levels[ilvl] = (*levels[ilvl][:2], _int(start, 1))
            self._nums[num.get(qn("w:numId"))] = (abstract or "", levels)
        for style in document.styles.element.iterchildren(qn("w:style")):
            ppr = style.find(qn("w:pPr"))
            num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
            num_id = self._val(num_pr, "w:numId") if num_pr is not None else None
            ilvl = self._val(num_pr, "w:ilvl") if num_pr is not None else None
            self._styles[style.get(qn("w:styleId"))] = (num_id, ilvl, self._val(style, "w:basedOn"))

    def _val(self, element, tag: str) -> str | None:
        child = element.find(self._qn(tag))
        return None if child is None else child.get(self._qn("w:val"))

    def label(self, p) -> str:
        """Count the paragraph p in its list and return the number Word shows before it ("" if none)."""
        qn = self._qn
        ppr = p.find(qn("w:pPr"))
        num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
        num_id = ilvl = None
        if num_pr is not None:
            num_id, ilvl = self._val(num_pr, "w:numId"), self._val(num_pr, "w:ilvl")
        style, seen = (self._val(ppr, "w:pStyle") if ppr is not None else None), set()
        while style and style not in seen and (num_id is None or ilvl is None):
            seen.add(style)
            style_num, style_ilvl, style = self._styles.get(style, (None, None, None))
            num_id, ilvl = num_id or style_num, ilvl or style_ilvl
        if not num_id or num_id not in self._nums:
            return ""  # numId 0 takes a style's numbering away
        abstract, levels = self._nums[num_id]
        level = _int(ilvl, 0)
        if level not in levels:
            return ""
        counts = self._counts.setdefault(abstract, {})
        counts[level] = counts[level] + 1 if level in counts else levels[level][2]
        for deeper in [k for k in counts if k > level]:
            del counts[deeper]  # a new 一、 starts its 1. 2. again
        fmt, text, _ = levels[level]
        numbers = [counts.get(k, levels.get(k, ("", "", 1))[2]) for k in range(level + 1)]
        formats = [levels.get(k, ("decimal", "", 1))[0] for k in range(level + 1)]
        return _number_label(text, numbers, formats)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


_CN_COUNTING = {"chineseCounting", "chineseCountingThousand", "taiwaneseCounting", "taiwaneseCountingThousand",
                "japaneseCounting", "ideographDigital", "chineseLegalSimplified"}  # fmt: skip


def _number_label(text: str, numbers: list[int], formats: list[str]) -> str:
    """Fill a level text such as "%1、" or "(%2)" with the numbers of the levels, each in its format.

    A bullet level gives its bullet (■ ◆ …), or ● for one drawn from a symbol font: like a number,
    it starts an item, and keeps a decision without a full stop from running into the next.
    """

    def one(m: re.Match) -> str:
        k = int(m.group(1)) - 1
        return _format_number(numbers[k], formats[k]) if k < len(numbers) else ""

    if formats[-1] == "bullet":
        return text if len(text) == 1 and text in BULLETS else "●"
    return re.sub(r"%([1-9])", one, text) if formats[-1] != "none" else ""


def _format_number(n: int, fmt: str) -> str:
    if fmt in _CN_COUNTING:
        return int_to_cn(n)
    if fmt.startswith("decimalEnclosedCircle") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "ideographTraditional" and 1 <= n <= 10:
        return "甲乙丙丁戊己庚辛壬癸"[n - 1]
    if fmt in ("lowerLetter", "upperLetter") and n >= 1:
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman") and 1 <= n < 4000:
        roman = ""
        for value, digits in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                              (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):  # fmt: skip
            while n >= value:
                roman, n = roman + digits, n - value
        return roman.upper() if fmt == "upperRoman" else roman
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


_ROLE_PATTERNS = (
    ("number", re.compile(r"^(序号|编号|序|No\.?)$", re.I)),
    ("lead", re.compile(r"(牵头|责任|主办|主责|负责|承办)(单位|部门)")),
    ("support", re.compile(r"(配合|协办|协助|参与|协作|协同)(单位|部门)")),
    (
        "deadline",
        # not 实际完成时间: a ledger's column of the day the work was finished
        re.compile(
            r"(时限|期限|时间节点|(?<!实际)完成(?:时间|日期)|截止时间|截止日期|进度安排|时间要求|^时间$)"
        ),
    ),
    ("task", re.compile(r"(任务|事项|内容|工作|举措|措施|项目名称)")),
)
_SENTENCE_END = "。;,:!?、"


# --- spreadsheets (.xlsx, .csv) -------------------------------------------------------------------


def _csv_text(data: bytes, name: str) -> str:
    """Return the rows of a .csv file as lines, read like a .docx table (see the module docstring)."""
    import csv

    text = decode(data, name)
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:  # one column, or too irregular to tell: commas, as Excel writes them
        dialect = csv.excel
    try:
        rows = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as exc:
        raise InputError(
            name, f"CSV 文件格式有误（{exc}），请用 Excel 或 WPS 打开后重新“另存为” .csv。"
        ) from exc
    lines = _sheet_lines(rows)
    title = _workbook_title(None, name) if lines and _task_header_at(rows) == 0 else ""
    return "\n".join([title, *lines] if title else lines)


def _xlsx_text(data: bytes, name: str) -> str:
    """Return the rows of every worksheet of an .xlsx file as lines, a blank line between sheets."""
    import zipfile

    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError(
            name, "不是有效的 Excel(.xlsx) 文件，可能已损坏，或是改了扩展名的其他文件。"
        ) from exc
    except Exception as exc:  # openpyxl and lxml raise many kinds of errors for broken files
        raise InputError(name, f"不是有效的 Excel(.xlsx) 文件（{type(exc).__name__}）。") from exc
    sheets = []
    for sheet in book.worksheets:
        rows = [[_sheet_value(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        # A merged range shows its value in its first cell only; every cell it covers has it,
        # as in Word, so a lead unit merged down several rows applies to each of them.
        for merged in sheet.merged_cells.ranges:
            value = rows[merged.min_row - 1][merged.min_col - 1]
            for r in range(merged.min_row - 1, merged.max_row):
                for c in range(merged.min_col - 1, merged.max_col):
                    rows[r][c] = value
        lines = _sheet_lines(rows)
        if lines:
            sheets.append((sheet.title, lines, _task_header_at(rows)))
    tasks = [s for s in sheets if s[2] is not None]
    if tasks:
        # 填报说明 / 封面 before the task sheet: how to fill the ledger in, not its tasks nor its name.
        sheets = [s for s in sheets if s[2] is not None or not _is_note(s[0], s[1][0])]
        if sheets[0][2] == 0:  # the task sheet comes first and has no title row of its own
            title = _workbook_title(book.properties.title, name)
            if title:
                sheets[0] = (sheets[0][0], [title, *sheets[0][1]], 0)
    return "\n\n".join("\n".join(lines) for _, lines, _ in sheets)


_NOTE = re.compile(r"(?:填报|填表|编制|使用|表格|台账)?(?:说明|须知|要求)|注意事项|封面|目录|备注")
_LEDGER_NAME = re.compile(r"台账|清单|任务|事项|分解|分工|督办")


def _is_note(sheet_title: str, first_line: str) -> bool:
    """Tell a note or cover sheet (填报说明, 封面) by its name or its first line."""
    return any(_NOTE.fullmatch(re.sub(r"\s+", "", s).rstrip(":：")) for s in (sheet_title, first_line))


def _workbook_title(title: str | None, file_name: str) -> str:
    """The title a workbook gives itself: its document title, or a file name that names a ledger."""
    if title and title.strip():
        return title.strip()
    stem = re.sub(r"\s+", "", Path(file_name).stem)
    if len(re.findall("[\u4e00-\u9fff]", stem)) >= 4 and _LEDGER_NAME.search(stem):
        return stem
    return ""


def _task_header_at(rows: list[list[str]]) -> int | None:
    """The index among a sheet's non-empty rows of its task header (序号 任务 牵头单位 …), or None."""
    filled = [row for row in rows if any(c.strip() for c in row)]
    for index, row in enumerate(filled[:3]):
        if _header_roles([re.sub(r"\s+", "", c) for c in row if c.strip()]):
            return index
    return None


def _sheet_value(value) -> str:
    """A cell's value as the text a person reads in it: dates in Chinese, 30.0 as 30."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        value = value.date()
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _sheet_lines(rows: list[list[str]]) -> list[str]:
    """Lines of a sheet's rows: empty rows and columns left out, a row spanning the sheet kept whole."""
    rows = [[c.strip() for c in row] for row in rows]
    rows = [row for row in rows if any(row)]
    used = [
        i for i in range(max((len(r) for r in rows), default=0)) if any(i < len(r) and r[i] for r in rows)
    ]
    grid = []
    for row in rows:
        cells = [row[i] if i < len(row) else "" for i in used]
        if len(set(cells)) == 1:  # a title merged across the sheet
            cells = cells[:1]
        grid.append([c.split("\n") for c in cells])
    return _grid_lines(grid)


def _row_cells(row) -> list:
    """Return the distinct cells of a row (a merged cell once), in order."""
    cells, seen = [], set()
    for cell in row.cells:
        key = id(cell._tc)
        if key not in seen:
            seen.add(key)
            cells.append(cell)
    return cells


def _paragraphs(cell, numbering: _Numbering | None = None) -> list[str]:
    """The lines of a .docx cell: its paragraphs, and the rows of a table nested in it."""
    parts: list[str] = []
    _block_lines(cell._tc, cell, parts, numbering)
    return parts


def _joined(paragraphs: list[str], sep: str = ";") -> str:
    """A cell's lines as one field: sep between two lines unless the first ends a sentence."""
    text = ""
    for part in (p.strip() for p in "\n".join(paragraphs).split("\n")):
        if not part:
            continue
        # A cell is read before normalize: its "，" must end a line as well as the "," it becomes.
        if text and unicodedata.normalize("NFKC", text[-1]) not in _SENTENCE_END:
            text += sep
        text += part
    return text


def _header_roles(cells: list[str]) -> list[str] | None:
    roles = []
    for text in cells:
        label = re.sub(r"\s+", "", text)
        role = next((r for r, pattern in _ROLE_PATTERNS if pattern.search(label)), "extra")
        roles.append(role)
    if "task" in roles and {"lead", "support", "deadline"} & set(roles):
        return roles
    return None


def _table_lines(table, numbering: _Numbering | None = None) -> list[str]:
    return _grid_lines([[_paragraphs(c, numbering) for c in _row_cells(row)] for row in table.rows])


def _grid_lines(rows: list[list[list[str]]]) -> list[str]:
    """Lines of a table given as rows of cells, each cell the list of its lines (see the module docstring)."""
    lines: list[str] = []
    header_at, roles, labels = None, None, []
    for index, cells in enumerate(rows[:3]):
        texts = [_joined(c) for c in cells]
        roles = _header_roles(texts)
        if roles:
            header_at, labels = index, [re.sub(r"\s+", "", t) for t in texts]
            break
    plain_header = None
    if header_at is None and rows and len(rows[0]) >= 2:
        first = [re.sub(r"\s+", "", _joined(c)) for c in rows[0]]
        if all(0 < len(t) <= 12 and not any(ch in t for ch in "。,;:，；：") for t in first):
            plain_header = first
    for index, cells in enumerate(rows):
        if header_at is not None and index <= header_at:
            if index < header_at:
                lines.extend(_plain_row(cells, None))
            continue
        if plain_header is not None and index == 0:
            continue
        if header_at is not None and len(cells) == len(roles) and len(cells) > 1:
            texts = [
                _joined(c, "、" if r in ("lead", "support") else ";").strip()
                for c, r in zip(cells, roles, strict=True)
            ]
            lines.append(_task_line_texts(texts, roles, labels))
        else:
            lines.extend(_plain_row(cells, plain_header))
    return [line for line in lines if line.strip()]


def _plain_row(cells, header) -> list[str]:
    if len(cells) == 1:
        return list(cells[0])
    texts = [_joined(c) for c in cells]
    if header is not None and len(header) == len(texts):
        return [";".join(f"{h}:{t}" for h, t in zip(header, texts, strict=True) if t)]
    return [";".join(t for t in texts if t)]


def _clean_field(value: str) -> str:
    return value.replace("。", ",").strip().rstrip(",;、")


def _task_line_texts(texts: list[str], roles: list[str], labels: list[str]) -> str:
    """Render one row of a task-split table as "1.task(牵头单位:X;配合单位:Y;完成时限:Z)。"."""
    number, task_parts, fields = "", [], {"lead": [], "support": [], "deadline": [], "extra": []}
    for text, role, label in zip(texts, roles, labels, strict=True):
        if not text:
            continue
        if role == "number":
            number = text
        elif role == "task" and not task_parts:
            task_parts.append(text)
        else:
            key = role if role in fields else "extra"
            fields[key].append(f"{label}:{_clean_field(text)}")
    distinct = {c for c in [number, *task_parts] if c} | {
        f.split(":", 1)[1] for fs in fields.values() for f in fs
    }
    if len(distinct) == 1 and not fields["lead"] and not fields["support"] and not fields["deadline"]:
        return next(iter(distinct))  # a merged title row spanning the table
    task = task_parts[0].rstrip("。;,、 ") if task_parts else ""
    if number and number[-1] not in ".、)":
        number += "." if number.isdigit() else "、"
    bracket = ";".join(fields["lead"] + fields["support"] + fields["deadline"] + fields["extra"])
    return f"{number}{task}({bracket})。" if bracket else f"{number}{task}。"


# --- normalisation -------------------------------------------------------------------------------

_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_CIRCLED = re.compile("[\u2460-\u2473]")
_CIRCLED_SPLIT = re.compile("([\u2460-\u2473])")
_SPACES = re.compile(r"[ \t]+")
_TABS = re.compile(r"[ ]*\t[ ]*")
_MARKDOWN_RULE = re.compile(r"\|(?:\s*:?-{3,}:?\s*\|)+")
# Chinese characters and punctuation: a space beside one of them is layout, not meaning.
_CJK = "\u2e80-\u2fff\u3000-\u303f\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f“”‘’…—"
_CJK_CHAR = re.compile(f"[{_CJK}]")
_SPACE_RUN_ANY = re.compile(" +")


def _drop_cjk_spaces(line: str) -> str:
    """Drop each run of spaces with a Chinese character (or punctuation) on either side.

    The runs are found first and their neighbours looked at: a pattern with look-arounds tried at
    every character took a fifth of normalize.
    """

    def keep_or_drop(m: re.Match) -> str:
        s, e = m.start(), m.end()
        if (s and _CJK_CHAR.match(line, s - 1)) or (e < len(line) and _CJK_CHAR.match(line, e)):
            return ""
        return m.group()

    return _SPACE_RUN_ANY.sub(keep_or_drop, line)


_CN_DIGITS = "〇零一二三四五六七八九"
# A ○ counts as a digit only after another numeral: "○1.加强…" keeps its bullet.
_CIRCLE_RUN = re.compile(f"[{_CN_DIGITS}0-9][{_CN_DIGITS}○◯0-9]*[○◯][{_CN_DIGITS}○◯0-9]*")
_YEAR_WITH_O = re.compile(f"(?<![{_CN_DIGITS}○◯0-9A-Za-z])[{_CN_DIGITS}○◯0-9Oo]{{4}}(?=年)")
# Where _YEAR_WITH_O would match a run that is not all Arabic or all Chinese digits: the only runs
# _fix_zeros may change. Most lines have only plain years (2017年), and then nothing to call back.
_ODD_YEAR = re.compile(
    f"(?<![{_CN_DIGITS}○◯0-9A-Za-z])(?=[{_CN_DIGITS}○◯0-9Oo]{{4}}年)(?![0-9]{{4}}|[{_CN_DIGITS}]{{4}})"
)


def _fix_zero_run(run: str, force: bool) -> str:
    chinese = sum(c in "一二三四五六七八九" for c in run)
    arabic = sum(c.isdigit() for c in run)
    if not force and chinese + arabic == 0:
        return run  # a lone ○ (a bullet, a shape) is not a digit
    if chinese >= arabic:
        return re.sub("[○◯Oo0]", "〇", run)
    return re.sub("[○◯Oo〇零]", "0", run)


def _fix_zeros(text: str) -> str:
    if "○" in text or "◯" in text:
        text = _CIRCLE_RUN.sub(lambda m: _fix_zero_run(m.group(), False), text)
    if "年" not in text or not _ODD_YEAR.search(text):
        return text
    return _YEAR_WITH_O.sub(
        lambda m: _fix_zero_run(m.group(), False) if _mixed_year(m.group()) else m.group(), text
    )


def _mixed_year(run: str) -> bool:
    has_chinese = any(c in "一二三四五六七八九〇零" for c in run)
    has_arabic = any(c.isdigit() for c in run)
    return ("O" in run or "o" in run or (has_chinese and has_arabic)) and (has_chinese or has_arabic)


_CHROME_HINTS = (
    "首页", "位置", "时间", "日期", "来源", "作者", "编辑", "审核", "校对", "记者", "浏览", "阅读", "点击",
    "访问", "查看", "字号", "字体", "分享", "打印", "关闭", "收藏", "返回", "保存", "纠错", "扫一扫", "手机",
    "上一篇", "下一篇", ">", "页", "TOP", "top",
)  # fmt: skip
_CHROME_TOKEN = re.compile(
    r"""
    (?:发布|发稿|更新|录入|上传|信息|成文)(?:时间|日期)\s*:?\s*[\d\-/.年月日:\s]{4,}
  | (?:信息|文章|稿件|新闻|消息)?来源\s*:\s*[^\s|,。;]{1,30}
  | (?:作者|编辑|责任编辑|责编|审核|审稿|校对|发布者|发布人|发布机构|记者|通讯员|摄影|摄)\s*:\s*[^\s|,。;]{0,20}
  | (?:浏览|阅读|点击|访问|查看)(?:量|次数|数|人次)\s*:?\s*\d*\s*次?
  | (?:字号|字体)\s*:?\s*(?:[\[【(]?\s*[大中小默认]{1,2}\s*[\]】)]?\s*){0,4}
  | 分享(?:到)?\s*:?\s*(?:(?:微信|微博|新浪微博|腾讯微博|QQ空间|QQ好友|QQ|朋友圈|豆瓣|人人网|钉钉)\s*)*
  | (?:打印|关闭|收藏|保存)(?:本页|此页|文章|正文|窗口|页面)?
  | 加入收藏 | 返回(?:顶部|首页|列表|上一页)? | 我要纠错 | 纠错 | 扫一扫
  | (?:在|用)?手机(?:上)?(?:打开|阅读|浏览|查看)(?:当前页|本页|本文)?
  | TOP | top
    """,
    re.VERBOSE,
)
_CHROME_REST = re.compile(r"[\s|/·•\-—_:,;.\[\]【】()]*")
_BREADCRUMB = re.compile(
    r"^(?:(?:当前位置|您的位置|您现在的位置|所在位置|位置)\s*:?\s*)?"
    r"[^\s>›»→。,;]{1,15}(?:\s*(?:>|›|»|→|>>)+\s*[^\s>›»→。,;]{1,20}){1,8}\s*>?$"
)
_NEXT_PREV = re.compile(r"^(?:上一篇|下一篇|上一条|下一条)\s*:.{0,60}$")
_PAGE_DECORATED = re.compile(
    r"^(?:[-—–~·•]+\s*\d{1,4}\s*[-—–~·•]+|第\s*\d{1,4}\s*页(?:\s*[,/]?\s*共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页|page\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$",
    re.I,
)
_PAGE_BARE = re.compile(r"^(?:\d{1,4}|\d{1,4}\s*/\s*\d{1,4})$")


def _is_chrome(line: str) -> bool:
    """Tell whether a whole line is web-page or print chrome rather than text."""
    if _PAGE_DECORATED.match(line):
        return True
    if len(line) > 120 or not any(h in line for h in _CHROME_HINTS):
        return False
    if _NEXT_PREV.match(line):
        return True
    if ("首页" in line or "位置" in line or line.count(">") >= 2) and _BREADCRUMB.match(line):
        return True
    pieces = _CHROME_TOKEN.findall(line)
    if not pieces:
        return False
    return _CHROME_REST.fullmatch(_CHROME_TOKEN.sub("", line)) is not None


_CLOSERS = "。!?;:…."
_QUOTES = "”’」』\"'"
_SENTENCE_PUNCT = set(",;:。!?")
_LABEL_LINE = re.compile(r"^[\u4e00-\u9fff]{2,8}:")
_TRAILING_PARENS = re.compile(r"\([^()]*\)$")
_PARAGRAPH_START = re.compile(
    r"""^(?:
        【
      | [一二三四五六七八九十百]+[、.]
      | \(?[一二三四五六七八九十]+\)
      | \d{1,3}(?:[、)]|\.(?!\d))
      | \(\d{1,3}\)
      | [\u2460-\u2473]
      | 第[一二三四五六七八九十百\d]+[条章节部分项]
      | [●◆■□▲△★☆※•▪◇○◎\-—]
      | \d{1,2}月\d{1,2}日 | \d{4}年\d{1,2}月 | [一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日
      | [\u4e00-\u9fff]{2,8}:
      | \([^()]{1,12}\)$
      | 会议[还并]?(?:指出|强调|要求|认为|明确|决定|同意|原则同意|研究|审议|听取|通报|传达|议定|确定|部署|提出|讨论|学习)
    )""",
    re.VERBOSE,
)
_CAPTION = re.compile(r"(摄|图为|供图|图片|照片|^图\d|^\(图)")
_DATE_START = re.compile(r"\d{1,2}月\d{1,2}日|\d{4}年\d{1,2}月")
_BYLINE = re.compile(r"(?:\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{1,2}-\d{1,2})\s*\d{1,2}:\d{2}")
_FIELD_LABEL = re.compile(
    r"(?:(?:牵头|主办|主责|负责|责任|配合|协办|参与)(?:单位|部门)|完成时限|完成时间|时间节点|责任人):"
)
_WAITS_FOR_MORE = re.compile(r"(?:[,、]|确保|力争|争取|并|要|将|于|在|至|到)$")


def _is_heading(line: str) -> bool:
    return len(line) <= 40 and not any(c in _SENTENCE_PUNCT for c in line)


def _is_open(line: str) -> bool:
    """Tell whether a line stops in the middle of a sentence."""
    if _is_heading(line):
        return False
    if len(line) <= 40 and _LABEL_LINE.match(line) and not line.endswith("、"):
        return False  # 责任单位:县农业农村局、 goes on: a list does not stop at 、
    core = line
    while True:
        m = _TRAILING_PARENS.search(core)
        if not m:
            break
        if ":" in m.group():
            return False  # a bracket of fields: (责任单位:…;完成时限:…)
        core = core[: m.start()].rstrip()
    if not core:
        return False
    if core != line and core[-1] in _CLOSERS:
        return False  # "…工作。(市府办)"
    if core[-1] in _QUOTES:
        core = core.rstrip(_QUOTES)
        return not core or core[-1] not in _CLOSERS
    return core[-1] not in _CLOSERS


def _continues(line: str, prev: str = "") -> bool:
    """Tell whether a line can be the second half of a sentence broken across a page (after ``prev``)."""
    if ":" in line and _BYLINE.search(line):
        return False  # 云溪发布 2024年08月02日 20:15 under a title: the post's byline, no sentence's end
    if _PARAGRAPH_START.match(line):
        label = _LABEL_LINE.match(line)
        if label and prev and any(_FIELD_LABEL.fullmatch(prev[-k:] + label.group()) for k in (1, 2, 3)):
            return True  # …示范村20个。责\n任单位:市农业农村局: the label was broken, not begun
        # 加快建设,\n6月30日前完成验收: a date after a comma or a word waiting for it goes on the sentence
        return bool(_DATE_START.match(line) and _WAITS_FOR_MORE.search(prev))
    if prev.endswith("、"):
        return True  # 责任单位:县农业农村局、\n各乡镇: even a short line finishes the list
    return not (_is_heading(line) and len(line) <= 25)


def _is_caption(line: str, blanks_before: int) -> bool:
    if len(line) > 40 or _is_open(line) or _PARAGRAPH_START.match(line):
        return False
    return blanks_before >= 2 or bool(_CAPTION.search(line))


def _is_page_header(line: str, blanks_before: int, after: tuple[str, int]) -> bool:
    """Tell a page's running header from a heading: short, set off by blank lines, mid-sentence."""
    following, blanks_after = after
    return (
        blanks_before >= 1
        and blanks_after >= 1
        and len(line) <= 25
        and _is_heading(line)
        and not line.startswith("【")
        and _continues(following)
        and not _is_heading(following)
    )


def _join_broken_lines(paras: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Join lines broken across a page; paras are (line, blank lines before it)."""
    out: list[tuple[str, int]] = []
    n, i = len(paras), 0
    while i < n:
        text, before = paras[i]
        i += 1
        while i < n and _is_open(text):
            j = i
            while j < n and _PAGE_BARE.match(paras[j][0]):
                j += 1
            if j >= n:
                break
            cand, cand_before = paras[j]
            k = j + 1
            while k < n and _PAGE_BARE.match(paras[k][0]):
                k += 1
            if not _continues(cand, text):
                # A running page header (华溪年鉴(2021)) set off between the two halves of a word.
                if k < n and _is_page_header(cand, cand_before, paras[k]):
                    text, i = text + paras[k][0], k + 1
                    continue
                break
            if k < n and _is_caption(cand, cand_before) and _continues(paras[k][0]):
                text, i = text + paras[k][0], k + 1  # drop the caption between the two halves
            else:
                text, i = text + cand, j + 1
        out.append((text, before))
    return out


_SPACE_RUN = re.compile(r" {2,}")


def _spaced_cells(raw: str, table: tuple[list[str], list[str]] | None) -> list[str] | None:
    """Split a line at runs of two or more spaces when it is a task table's header or one of its rows."""
    if raw.count("  ") < 2:
        # 序号 任务 牵头单位 … / 2 建成污水处理设施5座 县住建局 …: cells one space apart, read as a
        # header only when every cell is a short label, as a row only under a header as wide
        if raw.count(" ") < 2:
            return None
        cells = raw.split()
        if table is not None:
            return cells if len(cells) == len(table[0]) else None
        if len(cells) < 3 or any(len(c) > 6 for c in cells):
            return None
        return cells if _header_roles(cells) else None
    cells = [re.sub(r"\s+", "", c) for c in _SPACE_RUN.split(raw.strip())]
    if len(cells) < 3:
        return None
    if table is not None:
        return cells if len(cells) == len(table[0]) else None
    if any(len(c) > 12 for c in cells):
        return None  # a header row is short labels; "9  月  15日,…" is a line with stray spaces
    return cells if _header_roles(cells) else None


def _nfkc_keeping_circled(text: str) -> str:
    pieces = _CIRCLED_SPLIT.split(text)
    return "".join(p if _CIRCLED.fullmatch(p) else unicodedata.normalize("NFKC", p) for p in pieces)


_BARE_NUMBER = re.compile(r"[0-9]{1,3}")


def _cells_on_lines(lines: list[str]) -> list[str]:
    """Rebuild a task table whose cells were pasted one a line (序号 / 工作任务 / 牵头单位 / … / 1 / …).

    Only a table that opens with a 序号 column is read, row by row from each bare number; a row
    that does not hold one line per column (an empty or a wrapped cell) is left as it was.
    """
    stripped = [line.strip(" \t\u3000") for line in lines]
    out: list[str] = []
    i, n = 0, len(stripped)
    while i < n:
        width = _header_width(stripped, i)
        if not width:
            out.append(lines[i])
            i += 1
            continue
        labels = stripped[i : i + width]
        roles = _header_roles(labels)
        j = i + width
        rows: list[str] = []
        while j + width <= n and _BARE_NUMBER.fullmatch(stripped[j]):
            cells = stripped[j : j + width]
            if not all(cells) or any(_BARE_NUMBER.fullmatch(c) for c in cells[1:]):
                break
            rows.append(_task_line_texts(cells, roles, labels))
            j += width
        if not rows:
            out.append(lines[i])
            i += 1
            continue
        out.extend(rows)
        i = j
    return out


def _header_width(lines: list[str], i: int) -> int:
    """The number of header lines of a one-cell-a-line task table starting at ``i``, or 0."""
    if not _ROLE_PATTERNS[0][1].match(lines[i]):
        return 0
    width = 1
    while (
        i + width < len(lines)
        and 0 < len(lines[i + width]) <= 8
        and not _BARE_NUMBER.fullmatch(lines[i + width])
        and not any(c in _SENTENCE_END for c in lines[i + width])
    ):
        width += 1
    return width if width >= 3 and _header_roles(lines[i : i + width]) else 0


def normalize(text: str, *, hard_line_ends: bool = False) -> str:
    """Return text normalised for the parser (see the module docstring); idempotent.

    With ``hard_line_ends`` no line is joined to the next (step 6 is skipped): the caller knows
    each line end is a real paragraph end, as a .docx reader does.
    """
    text = _INVISIBLE.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = text.replace("\x0c", "\n\n").replace("\x0b", "\n")
    text = _CONTROLS.sub("", text)
    text = _nfkc_keeping_circled(text)
    text = _INVISIBLE.sub("", text)  # NFKC can expose none, but keep the invariant cheap and explicit
    paras: list[tuple[str, int]] = []
    blanks = 0
    table: tuple[list[str], list[str]] | None = None  # (roles, labels) of a pasted task table
    for raw in _cells_on_lines(text.split("\n")):
        raw = raw.strip(" \t")
        if raw.startswith("|") and raw.endswith("|") and raw.count("|") >= 3:
            # | 序号 | 工作任务 | 牵头单位 |: a table written in Markdown reads as one pasted with tabs
            if _MARKDOWN_RULE.fullmatch(raw):
                continue
            raw = "\t".join(c.strip() for c in raw[1:-1].split("|"))
        spaced = None if "\t" in raw else _spaced_cells(raw, table)
        if raw.count("\t") >= 2:  # a row of a table pasted from Excel or Word
            cells = [re.sub(r"\s+", "", c) for c in _TABS.split(raw)]
            roles = _header_roles(cells)
            if roles:
                table = (roles, cells)
                continue
            if table and len(cells) == len(table[0]):
                raw = _task_line_texts(cells, *table)
            else:
                raw = "|".join(cells)
        elif spaced is not None:  # the same table pasted with its tabs turned into runs of spaces
            roles = _header_roles(spaced)
            if roles:
                table = (roles, spaced)
                continue
            raw = _task_line_texts(spaced, *table)
        elif raw:
            table = None
        if " " in raw or "\t" in raw:
            line = _drop_cjk_spaces(_SPACES.sub(" ", raw).strip())
            fixed = _fix_zeros(line)
            if fixed != line:
                # A zero repaired into 〇 (一○ , / 0二○一八) is Chinese: the space beside it goes in this
                # pass, not the next (normalize is idempotent); a dropped space can join a run of digits.
                fixed = _fix_zeros(_drop_cjk_spaces(fixed))
            line = fixed
        else:
            line = _fix_zeros(raw.strip())
        if line and _is_chrome(line):
            continue
        if not line:
            blanks += 1
            continue
        paras.append((line, min(blanks, 2)))
        blanks = 0
    # Joining can, rarely, make a chrome line out of two halves, and dropping it can bring two
    # halves together: repeat until nothing changes, so that normalize stays idempotent.
    for _ in range(0 if hard_line_ends else 5):
        joined = [(_fix_zeros(line), before) for line, before in _join_broken_lines(paras)]
        joined = [p for p in joined if not _is_chrome(p[0])]
        if joined == paras:
            break
        paras = joined
    out: list[str] = []
    for index, (line, before) in enumerate(paras):
        if index and before:
            out.append("")
        out.append(line)
    return "\n".join(out) + "\n" if out else ""
