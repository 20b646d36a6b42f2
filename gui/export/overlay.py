"""The overlay drawn on exported frames: the update counter and each visible run's settings
and loss, fitted into any frame size."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QRect,
    QRectF,
    Qt,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QPainterPath,
)

from gui.i18n import with_cjk
from gui.theme import RunStyle
from gui.views._display import format_value

if TYPE_CHECKING:
    from core.run import Trajectory

#: The overlay's font (DejaVu Sans has θ, η, λ and the subscripts).
OVERLAY_FONT = "DejaVu Sans"


# =============================================================================================
# overlay


@dataclass(frozen=True)
class OverlayLine:
    """One line of the overlay: cells (aligned in columns) in one colour (None: theme text)."""

    cells: tuple[str, ...]
    color: str | None = None


def _short(value: float) -> str:

    return format_value(float(value), 3)


def overlay_lines(trajectories: Sequence[Trajectory | None], styles: Sequence[RunStyle],
                  t: int) -> list[OverlayLine]:
    """The overlay's text at update ``t``: a header with the update counter, then one line per
    visible run: label, optimizer, η (under a schedule: η_t of the update that led to θᵗ, or of
    the first at t = 0), λ, batch size, epoch counter and current loss L(θᵗ).

    A run that stopped before ``t`` shows its last point and why it stopped."""
    t = max(int(t), 0)
    t_max = max((tr.updates for tr in trajectories if tr is not None), default=0)
    lines = [OverlayLine((QCoreApplication.translate("overlay", "update {t} / {T}").format(
        t=t, T=t_max),))]
    for tr, style in zip(trajectories, styles, strict=False):
        if tr is None or not style.visible:
            continue
        cfg = tr.config
        k = min(t, tr.updates)
        lam = cfg.momentum
        bpe = tr.schedule.batches_per_epoch
        if k == 0:
            epoch = QCoreApplication.translate("overlay", "epoch 0")
        elif bpe == 1:
            epoch = QCoreApplication.translate("overlay", "epoch {k}").format(k=k)
        else:
            e, b, n = tr.batch_position(k - 1)
            epoch = QCoreApplication.translate("overlay", "epoch {e} · {b}/{n}").format(
                e=e + 1, b=b, n=n)
        loss = float(tr.loss[k]) if len(tr.loss) else float("nan")
        end = ""
        if t > tr.updates:
            end = (QCoreApplication.translate("overlay", "diverged") if tr.status == "diverged"
                   else QCoreApplication.translate("overlay", "stopped at {n}").format(
                       n=tr.updates))
        cells = (
            cfg.label,
            cfg.optimizer,
            f"η={_short(cfg.lr)}" if cfg.schedule.is_constant
            else f"η_t={_short(cfg.lr_at(max(k - 1, 0)))}",
            f"λ={_short(lam)}" if lam is not None else "",
            f"B={cfg.batch_size}",
            epoch,
            f"L={_short(loss)}",
            end,
        )
        lines.append(OverlayLine(cells, style.qcolor().name()))
    return lines


def max_share(width: int) -> float:
    """Widest overlay box in pixels: 70 % of a narrow frame, 55 % of a wide one."""
    return width * (0.70 if width < 900 else 0.55)


@functools.lru_cache(maxsize=16)
def _metrics(pixel_size: int, bold: bool = False) -> QFontMetricsF:
    font = with_cjk(QFont(OVERLAY_FONT))
    font.setPixelSize(pixel_size)
    font.setBold(bold)
    return QFontMetricsF(font)


@functools.lru_cache(maxsize=8192)
def _advance(pixel_size: int, text: str, bold: bool = False) -> float:
    """Width of ``text`` in the overlay font (cached: labels and most numbers repeat)."""
    return _metrics(pixel_size, bold).horizontalAdvance(text)


def _columns(rows: Sequence[Sequence[str]], ncol: int, px: int,
             gap: float) -> tuple[list[float], float]:
    """Width of each column of ``rows`` and of the whole table (empty columns take no gap)."""
    widths = [max((_advance(px, r[c]) for r in rows if c < len(r)), default=0.0)
              for c in range(ncol)]
    used = [x for x in widths if x > 0]
    return widths, sum(used) + gap * max(len(used) - 1, 0)


@dataclass(frozen=True)
class OverlayLayout:
    """Where and how big the overlay is drawn: ``box`` (within the area), the text's pixel
    size, the table (``rows`` of cells, column ``widths``), ``lines`` (the header, then the
    lines drawn: a run may take two) and which of them start a run (``dots``)."""

    box: QRectF
    px: int
    scale: float
    lines: tuple[OverlayLine, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    dots: tuple[bool, ...]


def _two_line(lines: Sequence[OverlayLine]) -> tuple[list[OverlayLine], list[bool]]:
    """Each run on two lines: its name, optimizer and end; then its numbers (indented)."""
    out: list[OverlayLine] = [lines[0]]
    dots: list[bool] = []
    for line in lines[1:]:
        c = line.cells
        out.append(OverlayLine((c[0], *c[1:2], *c[7:8]), line.color))
        out.append(OverlayLine(tuple(c[2:7]), line.color))
        dots += [True, False]
    return out, dots


def overlay_layout(lines: Sequence[OverlayLine], area: QRect) -> OverlayLayout:
    """Fit the overlay into ``area``: the largest text with one line per run that fits; if
    none does, two lines per run (name; numbers); long names are cut with "…" last. The box
    never leaves ``area`` (less its margins) unless even 8-pixel text cannot fit."""
    w, h = area.width(), area.height()
    scale = min(max(min(h / 480.0, w / 520.0), 0.75), 3.0)
    pad, gap, margin = 6.0 * scale, 8.0 * scale, 8.0 * scale
    base = 12.0 * scale
    header = lines[0].cells[0] if lines[0].cells else ""
    # the largest text that fits: long labels are cut to 14 characters, then the text shrinks
    # (to 70 %), then the box may take the whole width, then a run takes two lines, and only
    # then labels are cut shorter and the text shrinks to 8 px
    one = (list(lines), [True] * (len(lines) - 1))
    two = _two_line(lines)
    wide = w - 2 * margin
    steps = ((one, 1.0, 14, max_share(w)), (one, 0.9, 14, max_share(w)),
             (one, 0.8, 14, max_share(w)), (one, 0.8, 14, wide), (one, 0.7, 14, wide),
             (two, 0.9, 14, max_share(w)), (two, 0.8, 14, wide), (two, 0.7, 14, wide),
             (two, 0.7, 8, wide), (two, 0.6, 6, wide))
    for (cand, dots), factor, keep_chars, share in steps:
        px = max(round(base * factor), 8)
        fm = _metrics(px)
        dot = fm.height() * 0.55
        avail = min(share, wide) - 2 * pad - dot - 0.6 * gap
        ncol = max((len(line.cells) for line in cand[1:]), default=0)
        rows = [list(line.cells) for line in cand[1:]]
        widths, total = _columns(rows, ncol, px, gap)
        if total > avail and rows:
            keep = max(avail - (total - widths[0]), _advance(px, "M" * keep_chars) * 0.8)
            for r, line, d in zip(rows, cand[1:], dots, strict=True):
                if d:  # only the names are cut
                    r[0] = fm.elidedText(line.cells[0], Qt.TextElideMode.ElideRight, keep)
            widths, total = _columns(rows, ncol, px, gap)
        height = fm.height() * len(cand) + 2 * pad
        if (total <= avail and _advance(px, header, True) <= avail + dot + 0.6 * gap
                and height <= h - 2 * margin):
            break
    text_w = max(dot + 0.6 * gap + total, _advance(px, header, True))
    box = QRectF(0, 0, text_w + 2 * pad, fm.height() * len(cand) + 2 * pad)
    box.moveLeft(area.left() + max(w - box.width() - margin, 0.0))
    box.moveTop(area.top() + margin)
    return OverlayLayout(box, px, scale, tuple(cand), tuple(tuple(r) for r in rows),
                         tuple(widths), tuple(dots))


def draw_overlay(image: QImage, lines: Sequence[OverlayLine], corner: str = "top-right",
                 area: QRect | None = None) -> None:
    """Draw ``lines`` onto ``image`` (in place) in a rounded, semi-transparent dark box in a
    corner: the first line bold, the others in columns, each run in its colour after a dot.

    Sizes follow the frame (12 px text at 480 px high, up to 3× that); long run labels are
    shortened with "…" and the text shrinks so that the box stays within
    :func:`max_share` of the width. ``area``: the part of the image to place it in (default:
    all of it)."""
    if not lines:
        return
    area = area if area is not None else image.rect()
    lay = overlay_layout(lines, area)
    box, px, rows, widths, dots = QRectF(lay.box), lay.px, lay.rows, lay.widths, lay.dots
    lines = lay.lines
    scale = lay.scale
    pad, gap, margin = 6.0 * scale, 8.0 * scale, 8.0 * scale
    if "left" in corner:
        box.moveLeft(area.left() + margin)
    if "bottom" in corner:
        box.moveTop(area.top() + max(area.height() - box.height() - margin, 0.0))
    font = with_cjk(QFont(OVERLAY_FONT))
    font.setPixelSize(px)
    fm = _metrics(px)
    dot = fm.height() * 0.55
    line_h = fm.height()
    text_w = box.width() - 2 * pad
    bold = QFont(font)
    bold.setBold(True)
    header = lines[0].cells[0] if lines[0].cells else ""

    left_middle = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    p = QPainter(image)
    try:
        p.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        path = QPainterPath()
        path.addRoundedRect(box, 5 * scale, 5 * scale)
        p.fillPath(path, QColor(14, 15, 19, 200))
        p.setPen(QColor(255, 255, 255, 45))
        p.drawPath(path)
        x0, top = box.left() + pad, box.top() + pad
        p.setFont(bold)
        p.setPen(QColor("#F2F2F2"))
        p.drawText(QRectF(x0, top, text_w, line_h), left_middle, header)
        p.setFont(font)
        for line, cells, with_dot in zip(lines[1:], rows, dots, strict=True):
            top += line_h
            colour = QColor(line.color or "#F2F2F2")
            if with_dot:
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(colour)
                p.drawEllipse(QRectF(x0, top + (line_h - dot) / 2, dot, dot))
            p.setPen(colour)
            x = x0 + dot + 0.6 * gap
            for text, cw in zip(cells, widths, strict=False):
                if cw > 0:
                    p.drawText(QRectF(x, top, cw + 2, line_h), left_middle, text)
                    x += cw + gap
    finally:
        p.end()
