#!/usr/bin/env python3
"""openpyxl's write-only mode with and without lxml: a pure-openpyxl micro-benchmark (no Django).

    python bench/xlsx_lxml.py [ROWS]        # in any venv with openpyxl (and lxml, to compare)
    OPENPYXL_LXML=False python bench/xlsx_lxml.py   # the same venv with openpyxl's pure-Python writer

Writes ROWS rows shaped like the KPI workbook's attendance sheet (a date, a time, nine texts; dates formatted,
wrapped text columns) into a temporary file; prints one JSON line: rows, seconds, peak RSS, whether lxml was used.
"""

import json
import resource
import sys
import tempfile
import time
from datetime import date, timedelta

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment
from openpyxl.xml import LXML

rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
wrap = Alignment(wrap_text=True, vertical="top")
workbook = Workbook(write_only=True)
sheet = workbook.create_sheet("Посещаемость")
started = time.perf_counter()
day = date(2025, 9, 1)
for n in range(rows):
    when = WriteOnlyCell(sheet, value=day + timedelta(days=n % 200))
    when.number_format = "DD.MM.YYYY"
    texts = [
        "18:30",
        "Педагогический кластер «27»",
        "2025/2026",
        f"Методический семинар № {n % 40}",
        f"Занятие {n % 12}",
        f"Константинопольская Александра Владимировна {n}",
        f"МБОУ СОШ № {n % 600}",
        "Хабаровский муниципальный район",
        "присутствовал(а)",
        "координатор",
    ]
    cells = [when]
    for index, text in enumerate(texts):
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"
        if index in (1, 3, 4, 6):
            cell.alignment = wrap
        cells.append(cell)
    sheet.append(cells)
with tempfile.NamedTemporaryFile(suffix=".xlsx") as tmp:
    workbook.save(tmp.name)
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"rows": rows, "lxml": LXML, "seconds": round(seconds, 2), "peak_rss_mb": round(peak)}))
