"""The dashboards' SVG charts: scaled right, coloured by target status, accessible and escaped."""

import re
from xml.etree import ElementTree

from django.utils import translation

from reports.charts import MET, MISSED, Point, bar_chart, hbar_chart, line_chart, nice_ceiling

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(str(svg))  # well-formed XML or this raises


def _bars(root, size="height"):
    return {float(r.get("data-value")): float(r.get(size)) for r in root.iter(f"{SVG}rect") if r.get("data-value")}


def test_bars_are_proportional_on_a_0_to_100_axis_for_shares():
    with translation.override("ru"):
        root = _parse(bar_chart(title="Доля", points=[Point("2024", 25.0), Point("2025", 50.0)], height=260))
    bars = _bars(root)
    # plot height = 260 - 16 - 40 = 204; 25 % of 100 → 51, 50 % → 102
    assert bars == {25.0: 51.0, 50.0: 102.0}


def test_the_target_is_drawn_across_its_bar_and_the_status_colours_the_bar():
    root = _parse(
        bar_chart(
            title="ДПО",
            points=[Point("2025", 22.0, target=20.0, status=MET), Point("2026", 10.0, target=30.0, status=MISSED)],
        )
    )
    fills = [r.get("fill") for r in root.iter(f"{SVG}rect") if r.get("data-value")]
    assert fills == ["#2e7d32", "#c62828"]
    targets = [float(line.get("data-target")) for line in root.iter(f"{SVG}line") if line.get("class") == "kpi-target"]
    assert targets == [20.0, 30.0]
    # The 30 % target sits higher (a smaller y) than the 20 % one.
    ys = [float(line.get("y1")) for line in root.iter(f"{SVG}line") if line.get("class") == "kpi-target"]
    assert ys[1] < ys[0]


def test_a_missing_value_says_so_instead_of_drawing_zero():
    with translation.override("ru"):
        svg = str(bar_chart(title="Т", points=[Point("2023", None, target=5.0), Point("2024", 7.0)]))
    root = _parse(svg)
    assert list(_bars(root)) == [7.0]
    assert "нет данных" in svg


def test_counts_get_a_nice_axis_above_the_largest_value():
    assert nice_ceiling(7) == 10
    assert nice_ceiling(21) == 25
    assert nice_ceiling(180) == 200
    root = _parse(bar_chart(title="Мероприятия", points=[Point("2025", 3.0, target=2.0)], unit="шт."))
    # 3 × 1.05 → axis top 5: the bar is 3/5 of the plot height 204
    assert _bars(root) == {3.0: 122.4}


def test_title_and_description_make_it_readable_to_a_screen_reader():
    with translation.override("ru"):
        root = _parse(bar_chart(title="Доля педагогов", points=[Point("2025", 12.5, target=20.0)]))
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.text == "Доля педагогов"
    assert desc.text == "2025: 12,5 % (цель 20 %)."  # as the tables print it (reports.formatting)
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


def test_every_label_is_escaped():
    evil = '<script>alert("x")</script>'
    for svg in (
        bar_chart(title=evil, points=[Point(evil, 1.0)]),
        hbar_chart(title=evil, points=[Point(evil, 1.0)]),
        line_chart(title=evil, labels=[evil], series=[(evil, [1.0])]),
    ):
        assert "<script>" not in str(svg)
        _parse(svg)


def test_horizontal_bars_grow_with_rows_and_cut_long_names():
    names = ["МБОУ «Средняя общеобразовательная школа № 1 имени Героя Советского Союза»", "Школа № 2"]
    root = _parse(hbar_chart(title="По школам", points=[Point(names[0], 40.0), Point(names[1], 80.0)], row=24))
    assert root.get("viewBox") == "0 0 640 64"  # 2 × 24 + 2 × 8
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert names[1] in texts and any(t.endswith("…") and len(t) == 32 for t in texts)
    widths = _bars(root, "width")
    assert widths[80.0] == 2 * widths[40.0]


def test_lines_break_where_a_quarter_has_no_value():
    root = _parse(
        line_chart(
            title="Пульс",
            labels=["I кв.", "II кв.", "III кв.", "IV кв."],
            series=[("Нагрузка", [3.0, 3.5, None, 4.0]), ("Группа", [2.0, 2.5, 3.0, 3.5])],
            unit="балла",
        )
    )
    lines = list(root.iter(f"{SVG}polyline"))
    # The first series is one segment (I–II; IV alone has no line), the second runs through all four quarters.
    assert [len(pl.get("points").split()) for pl in lines] == [2, 4]
    assert len([c for c in root.iter(f"{SVG}circle")]) == 7


def test_ids_are_stable_between_processes():
    a = bar_chart(title="A", points=[Point("1", 1.0)])
    b = bar_chart(title="A", points=[Point("1", 1.0)])
    assert re.search(r'id="(chart-[0-9a-f]{10})-t"', str(a)).group(1) == re.search(
        r'id="(chart-[0-9a-f]{10})-t"', str(b)
    ).group(1)
