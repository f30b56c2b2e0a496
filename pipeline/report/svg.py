"""Small inline SVG charts for the report: no scripts, no network, colours from the page's CSS.

Every chart keeps its raw values in data attributes so the page's filter script can redraw it
with the same geometry (see `setStack` and `setBars` in the page script).
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape


def _fmt(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def stacked_bar(parts: Sequence[tuple[float, str, str]], label: str, height: int = 14) -> Markup:
    """A horizontal 100% bar; `parts` are (value, css class, title). Stretches to its container's width."""
    total = sum(max(v, 0) for v, _, _ in parts)
    x = 0.0
    rects = []
    for value, css, title in parts:
        width = 100 * max(value, 0) / total if total else 0.0
        rects.append(
            f'<rect class="{escape(css)}" x="{_fmt(x)}" y="0" width="{_fmt(width)}" height="{height}" '
            f'data-v="{_fmt(value)}"><title>{escape(title)}</title></rect>'
        )
        x += width
    return Markup(
        f'<svg class="stack" viewBox="0 0 100 {height}" preserveAspectRatio="none" role="img" '
        f'aria-label="{escape(label)}" height="{height}">{"".join(rects)}</svg>'
    )


def histogram(counts: Sequence[int], labels: Sequence[str], classes: Sequence[str], label: str,
              width: int = 330, height: int = 120) -> Markup:
    """Vertical bars with a label under each and the count above it."""
    n = max(len(counts), 1)
    slot = width / n
    top = max(max(counts, default=0), 1)
    plot = height - 32
    bars = []
    for i, (count, text, css) in enumerate(zip(counts, labels, classes, strict=True)):
        h = plot * count / top
        x = i * slot + slot * 0.12
        bars.append(
            f'<g><rect class="{escape(css)}" x="{_fmt(x)}" y="{_fmt(16 + plot - h)}" width="{_fmt(slot * 0.76)}" '
            f'height="{_fmt(h)}" data-v="{count}"><title>{escape(text)}: {count}</title></rect>'
            f'<text class="count" x="{_fmt(x + slot * 0.38)}" y="{_fmt(12 + plot - h)}" text-anchor="middle">'
            f'{count}</text>'
            f'<text x="{_fmt(x + slot * 0.38)}" y="{height - 4}" text-anchor="middle">{escape(text)}</text></g>'
        )
    return Markup(
        f'<svg class="hist" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}" '
        f'data-plot="{plot}" width="{width}" height="{height}">{"".join(bars)}</svg>'
    )


def bar(value: float, maximum: float, css: str, label: str, width: int = 120, height: int = 12) -> Markup:
    """One horizontal bar, as long as value / maximum of the box."""
    w = width * max(value, 0) / maximum if maximum > 0 else 0.0
    return Markup(
        f'<svg class="bar" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(label)}" data-max="{_fmt(maximum)}"><rect class="{escape(css)}" x="0" y="0" '
        f'width="{_fmt(w)}" height="{height}" data-v="{_fmt(value)}"/></svg>'
    )
