"""A small terminal line chart drawn with braille dots: people read a curve faster than a table.

Dependency-free: `line_chart` turns (x, y) points into lines of text (each character cell holds
2 x 4 braille dots, so a 60 x 12 chart has 120 x 48 dots), with the y range on the left and the
x range underneath. `print_chart` hands those lines to a rich Console without markup. Values are
floats here because this is display only; money never passes through this module as a float
in any computation that is kept.

Used by `taoctl quote --curve` and `taoctl subnet price`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

_BRAILLE_BASE = 0x2800
# dot bit for (column 0..1, row 0..3) inside one braille cell
_DOT_BITS = ((0x01, 0x02, 0x04, 0x40), (0x08, 0x10, 0x20, 0x80))


def _plain(value: float) -> str:
    return f"{value:.6g}"


def line_chart(
    xs: Sequence[float],
    ys: Sequence[float],
    *,
    width: int = 60,
    height: int = 12,
    title: str = "",
    x_label: str = "",
    y_label: str = "",
    x_format: Callable[[float], str] = _plain,
    y_format: Callable[[float], str] = _plain,
    from_zero: bool = False,
) -> list[str]:
    """Render a line through the points (sorted by x) as text lines.

    The y axis spans the data (a price moving from 1.002 to 1.006 fills the chart's height);
    `from_zero` starts it at 0 instead when all values are non-negative. Returns the lines
    without trailing newlines; an empty or single-point series still renders.
    """
    if len(xs) != len(ys):
        raise ValueError("xs and ys must have the same length")
    width, height = max(width, 10), max(height, 3)
    points = sorted(zip(xs, ys, strict=True))
    lines: list[str] = [title] if title else []
    if not points:
        return [*lines, "(no data)"]
    x_min, x_max = points[0][0], points[-1][0]
    y_values = [y for _, y in points]
    y_min, y_max = min(y_values), max(y_values)
    if from_zero and y_min >= 0:
        y_min = 0.0
    if y_max == y_min:  # a flat line sits in the middle of a small band around its value
        pad = abs(y_max) * 0.01 or 1.0
        y_min, y_max = (y_min if from_zero and y_min == 0 else y_min - pad), y_max + pad
    if x_max == x_min:
        x_max = x_min + 1.0
    dots_w, dots_h = width * 2, height * 4

    def to_dot(x: float, y: float) -> tuple[int, int]:
        col = round((x - x_min) / (x_max - x_min) * (dots_w - 1))
        row = round((y_max - y) / (y_max - y_min) * (dots_h - 1))
        return col, row

    grid = [[0] * width for _ in range(height)]

    def plot(col: int, row: int) -> None:
        if 0 <= col < dots_w and 0 <= row < dots_h:
            grid[row // 4][col // 2] |= _DOT_BITS[col % 2][row % 4]

    previous = None
    for x, y in points:
        current = to_dot(x, y)
        if previous is None:
            plot(*current)
        else:
            for col, row in _segment(previous, current):
                plot(col, row)
        previous = current

    top, bottom = y_format(y_max), y_format(y_min)
    label_w = max(len(top), len(bottom), len(y_label))
    if y_label:
        lines.append(y_label.rjust(label_w))
    for i, cells in enumerate(grid):
        label = top if i == 0 else bottom if i == height - 1 else ""
        text = "".join(chr(_BRAILLE_BASE + bits) if bits else " " for bits in cells)
        lines.append(f"{label.rjust(label_w)} ┤{text}")
    lines.append(" " * label_w + " └" + "─" * width)
    left, right = x_format(x_min), x_format(points[-1][0] if len(points) > 1 else x_max)
    gap = max(width - len(left) - len(right), 1)
    lines.append(" " * (label_w + 2) + left + " " * gap + right)
    if x_label:
        lines.append(" " * (label_w + 2) + x_label.center(width).rstrip())
    return lines


def _segment(start: tuple[int, int], end: tuple[int, int]) -> list[tuple[int, int]]:
    """Dots on the straight line between two dots (Bresenham), both ends included."""
    (x0, y0), (x1, y1) = start, end
    dx, dy = abs(x1 - x0), -abs(y1 - y0)
    sx, sy = (1 if x0 < x1 else -1), (1 if y0 < y1 else -1)
    err = dx + dy
    out = []
    while True:
        out.append((x0, y0))
        if (x0, y0) == (x1, y1):
            return out
        e2 = 2 * err
        if e2 >= dy:
            err += dy
            x0 += sx
        if e2 <= dx:
            err += dx
            y0 += sy


def print_chart(console, xs: Sequence[float], ys: Sequence[float], **options) -> None:
    """Print `line_chart(xs, ys, **options)` on a rich Console (no markup, no highlighting)."""
    for line in line_chart(xs, ys, **options):
        console.print(line, markup=False, highlight=False, soft_wrap=True)
