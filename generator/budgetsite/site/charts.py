"""Inline SVG bar charts drawn at build time: no JavaScript, a text alternative, and the numbers beside."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from html import escape

from markupsafe import Markup

from budgetsite.site.render import display_wan

_ROW = 30
_LABEL_WIDTH = 210
_BAR_WIDTH = 330
_WIDTH = 640
_MAX_LABEL_CHARS = 13


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
        return "；".join(f"{label} {display_wan(value)}{self.unit}" for label, value in self.items)


def _short(label: str) -> str:
    return label if len(label) <= _MAX_LABEL_CHARS else label[: _MAX_LABEL_CHARS - 1] + "…"


def bar_chart(chart_id: str, title: str, items: list[tuple[str, Decimal | None]], unit: str) -> Chart | None:
    """A horizontal bar chart of `items` (label, value); None when there is nothing to draw."""
    values = [(label, value) for label, value in items if value is not None]
    if not values or all(v <= 0 for _, v in values):
        return None
    largest = max(v for _, v in values)
    height = _ROW * len(values) + 10
    chart = Chart(id=chart_id, title=title, unit=unit, items=values, svg=Markup(""))
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {_WIDTH} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'xmlns="http://www.w3.org/2000/svg" focusable="false">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(chart.description)}</desc>',
    ]
    for index, (label, value) in enumerate(values):
        y = 5 + index * _ROW
        # Geometry only: the printed value is shown as text, so quantizing the bar width loses nothing.
        width = (max(value, Decimal(0)) / largest * _BAR_WIDTH).quantize(Decimal("0.1"))
        parts.append(
            f'<text x="{_LABEL_WIDTH - 8}" y="{y + 19}" text-anchor="end" class="chart-label">'
            f"{escape(_short(label))}</text>"
            f'<rect x="{_LABEL_WIDTH}" y="{y + 4}" width="{width}" height="{_ROW - 10}" class="chart-bar"/>'
            f'<text x="{_LABEL_WIDTH + width + 6}" y="{y + 19}" class="chart-value">{escape(display_wan(value))}</text>'
        )
    parts.append("</svg>")
    chart.svg = Markup("".join(parts))
    return chart
