"""
Writes an Excel 97-2003 workbook (BIFF8) with xlwt, the way many national
and provincial systems export (their Java/Python back ends use xlwt or POI).

Reads JSON on stdin: {"path": ..., "sheets": [{"name", "hidden", "rows",
"merges", "hiddenColumns"}]}; a cell is null, a string, a number, or
{"date": "YYYY-MM-DD", "format": "<Excel number format>"}. Merges are
[top, bottom, left, right] with 0-based inclusive rows and columns.
"""
import datetime
import json
import sys

import xlwt


def main():
    spec = json.load(sys.stdin)
    book = xlwt.Workbook(encoding="utf-8")
    styles = {}

    def date_style(fmt):
        if fmt not in styles:
            styles[fmt] = xlwt.easyxf(num_format_str=fmt)
        return styles[fmt]

    for sheet in spec["sheets"]:
        ws = book.add_sheet(sheet["name"], cell_overwrite_ok=True)
        if sheet.get("hidden"):
            ws.visibility = 1
        merged = set()
        for top, bottom, left, right in sheet.get("merges", []):
            value = sheet["rows"][top][left] if left < len(sheet["rows"][top]) else None
            ws.write_merge(top, bottom, left, right, value if value is not None else "")
            for r in range(top, bottom + 1):
                for c in range(left, right + 1):
                    merged.add((r, c))
        for r, row in enumerate(sheet["rows"]):
            for c, cell in enumerate(row):
                if cell is None or (r, c) in merged:
                    continue
                if isinstance(cell, dict):
                    day = datetime.datetime.strptime(cell["date"], "%Y-%m-%d")
                    ws.write(r, c, day, date_style(cell.get("format", "YYYY-MM-DD")))
                else:
                    ws.write(r, c, cell)
        for c in sheet.get("hiddenColumns", []):
            ws.col(c).hidden = True
    book.save(spec["path"])


main()
