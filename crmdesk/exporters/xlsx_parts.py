"""The fixed parts of an export's .xlsx package, and the worksheet's head and tail.

An export workbook holds one sheet; everything but the sheet's rows is known before the first
row is written (the filter's range, after the last). The styles are the five an export uses:
plain, the header (the colours of ``exporters.workbook``), a date, a moment and an amount.
"""
from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from openpyxl.utils import get_column_letter

from crmdesk.exporters.workbook import HEADER_FILL, HEADER_FONT, MAX_WIDTH, MIN_WIDTH
from crmdesk.models.fieldtypes import DATE_FORMAT, MONEY_FORMAT

# The cell styles' indexes in STYLES' cellXfs.
HEADER_STYLE, DATE_STYLE, MOMENT_STYLE, MONEY_STYLE = 1, 2, 3, 4
SHEET = "xl/worksheets/sheet1.xml"
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

CONTENT_TYPES = _HEAD + (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '</Types>')

ROOT_RELATIONSHIPS = _HEAD + (
    f'<Relationships xmlns="{_PACKAGE}">'
    f'<Relationship Id="rId1" Type="{_RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>'
    '</Relationships>')

WORKBOOK_RELATIONSHIPS = _HEAD + (
    f'<Relationships xmlns="{_PACKAGE}">'
    f'<Relationship Id="rId1" Type="{_RELATIONSHIPS}/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_RELATIONSHIPS}/styles" Target="styles.xml"/>'
    '</Relationships>')


def _argb(colour: str) -> str:
    return "FF" + colour[-6:]


def _format(code: int) -> str:
    return (f'<xf numFmtId="{code}" fontId="0" fillId="0" borderId="0" xfId="0" '
            'applyNumberFormat="1"/>')


STYLES = _HEAD + (
    f'<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="3">'
    f'<numFmt numFmtId="164" formatCode={quoteattr(DATE_FORMAT)}/>'
    f'<numFmt numFmtId="165" formatCode={quoteattr(DATE_FORMAT + " hh:mm")}/>'
    f'<numFmt numFmtId="166" formatCode={quoteattr(MONEY_FORMAT)}/>'
    '</numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    f'<font><b/><sz val="11"/><color rgb="{_argb(HEADER_FONT.color.rgb)}"/>'
    '<name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    f'<fill><patternFill patternType="solid"><fgColor rgb="{_argb(HEADER_FILL.fgColor.rgb)}"/>'
    '<bgColor indexed="64"/></patternFill></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    '</cellStyleXfs>'
    '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" '
    'applyFill="1" applyAlignment="1"><alignment vertical="center"/></xf>'
    + _format(164) + _format(165) + _format(166)  # DATE_, MOMENT_, MONEY_STYLE
    + '</cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '<dxfs count="0"/><tableStyles count="0"/></styleSheet>')


def workbook(sheet: str, columns: int, rows: int) -> str:
    """The workbook part: one sheet named ``sheet``, with its filter's hidden name."""
    last = get_column_letter(max(columns, 1))
    quoted = "'{}'".format(sheet.replace("'", "''"))
    return _HEAD + (
        f'<workbook xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}">'
        '<bookViews><workbookView/></bookViews>'
        f'<sheets><sheet name={quoteattr(sheet)} sheetId="1" r:id="rId1"/></sheets>'
        + (f'<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" '
           f'hidden="1">{escape(quoted)}!$A$1:${last}${rows + 1}'
           '</definedName></definedNames>' if columns else '')
        + '</workbook>')


def column_width(width: int) -> float:
    """A width in characters as Excel stores it (a digit 7 pixels wide, 5 pixels padding)."""
    width = max(MIN_WIDTH, min(MAX_WIDTH, width))
    return round((int(width * 7 + 0.5) + 5) / 7, 8)


def sheet_head(widths: Sequence[int], headers: Sequence[str]) -> str:
    """The worksheet up to its data rows: the frozen header row, the widths, the headers."""
    cols = "".join(f'<col min="{i}" max="{i}" width="{column_width(w)}" customWidth="1"/>'
                   for i, w in enumerate(widths, start=1))
    cells = "".join(f'<c r="{get_column_letter(i)}1" s="{HEADER_STYLE}" t="inlineStr">'
                    f'<is><t>{escape(text)}</t></is></c>'
                    for i, text in enumerate(headers, start=1))
    return _HEAD + (
        f'<worksheet xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}">'
        '<sheetViews><sheetView tabSelected="1" workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
        + (f"<cols>{cols}</cols>" if cols else "")
        + f'<sheetData><row r="1">{cells}</row>')


def sheet_tail(columns: int, rows: int) -> str:
    """The worksheet after its ``rows`` data rows: the filter over them and the header."""
    ranged = (f'<autoFilter ref="A1:{get_column_letter(columns)}{rows + 1}"/>'
              if columns else "")
    return (f'</sheetData>{ranged}<pageMargins left="0.7" right="0.7" top="0.75" '
            'bottom="0.75" header="0.3" footer="0.3"/></worksheet>')
