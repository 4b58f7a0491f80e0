"""Inline SVG bar charts drawn at build time: no JavaScript, a text alternative, and the numbers beside."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from html import escape

from markupsafe import Markup

# Each bar has its label on a line above it, so labels get the whole width. The SVG is drawn 400 units
# wide at its natural size (400 px) and shrinks with narrow screens: on a 360 px phone (about 328 px of
# page width) it is scaled by 0.82, and the site.css font size of 15 units (--chart-font-size) stays
# above 12 px. Side-by-side labels in a 640-unit drawing came out at about 6 px there.
_WIDTH = 400
_LABEL_LINE = 20  # label text line above the bar
_BAR_HEIGHT = 16
_ROW = _LABEL_LINE + _BAR_HEIGHT + 10
_BAR_WIDTH = 296  # leaves room for the value (up to 11 digits at 15 units) right of the longest bar
_MAX_LABEL_CHARS = 25  # 15-unit CJK characters in 400 units


@dataclass
class Chart:
    """One chart: the SVG plus the same numbers for the table beside it."""

    id: str
    title: str
    unit: str
    items: list[tuple[str, Decimal]]
    svg: Markup

    @property
    def description(self) -> str:
        """Text alternative: every label with its value."""
        return "；".join(f"{label} {value}{self.unit}" for label, value in self.items)


def _short(label: str) -> str:
    return label if len(label) <= _MAX_LABEL_CHARS else label[: _MAX_LABEL_CHARS - 1] + "…"


def bar_chart(chart_id: str, title: str, items: list[tuple[str, Decimal | None]], unit: str) -> Chart | None:
    """A horizontal bar chart of `items` (label, value); None when there is nothing to draw."""
    values = [(label, value) for label, value in items if value is not None]
    if not values or all(v <= 0 for _, v in values):
        return None
    largest = max(v for _, v in values)
    height = _ROW * len(values) + 4
    chart = Chart(id=chart_id, title=title, unit=unit, items=values, svg=Markup(""))
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {_WIDTH} {height}" width="{_WIDTH}" height="{height}" '
        f'preserveAspectRatio="xMinYMin meet" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'xmlns="http://www.w3.org/2000/svg" focusable="false">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(chart.description)}</desc>',
    ]
    for index, (label, value) in enumerate(values):
        y = 4 + index * _ROW
        # Geometry only: the printed value is shown as text, so quantizing the bar width loses nothing.
        width = (max(value, Decimal(0)) / largest * _BAR_WIDTH).quantize(Decimal("0.1"))
        bar_y = y + _LABEL_LINE
        parts.append(
            f'<text x="0" y="{y + 15}" class="chart-label">{escape(_short(label))}</text>'
            f'<rect x="0" y="{bar_y}" width="{width}" height="{_BAR_HEIGHT}" class="chart-bar"/>'
            f'<text x="{width + 6}" y="{bar_y + 13}" class="chart-value">{escape(str(value))}</text>'
        )
    parts.append("</svg>")
    chart.svg = Markup("".join(parts))
    return chart
