"""Help: the update rules in the lecture's notation, and the About box."""

from __future__ import annotations

import html

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from core.optim import OPTIMIZERS
from gui.i18n import core_text
from gui.qtutil import fit_to_screen

__all__ = ["UpdateRulesDialog", "about_html", "update_rules_html"]


def about_html() -> str:
    """The About box's text (in the window's language)."""
    return QCoreApplication.translate(
        "help",
        "<h3>Descent Lab</h3>"
        "<p>See why mini-batches and momentum make neural networks trainable: optimizer paths "
        "on a 3D loss surface and a contour map, update by update.</p>"
        "<p>After Hung-yi Lee, <i>Machine Learning 2022 Spring</i> (NTU), “When a neural "
        "network won't train (2): batch and momentum”.</p>"
        "<p>Built with PySide6, pyqtgraph and NumPy. MIT licence.</p>")


_INTRO = QT_TRANSLATE_NOOP("help", """
<h2>The update rules</h2>
<p>Notation of the lecture: θ the parameters, L the loss, g = ∇L<sub>b</sub>(θ) the gradient of
the loss of one mini-batch b, η the learning rate, λ the momentum, m the movement. Update t turns
θ<sup>t−1</sup> into θ<sup>t</sup> using the gradient g<sup>t−1</sup> at the point it starts
from.</p>
<h3>Batches and epochs</h3>
<p>The N examples are shuffled before every epoch and split into batches of size B; one epoch is
every batch once: ⌈N / B⌉ updates. Each update follows the loss of its own batch,
L<sub>b</sub>(θ) = (1/|b|) Σ<sub>i∈b</sub> ℓ<sub>i</sub>(θ) — a different loss every time,
which is why small batches do not stop where ∇L = 0.</p>
<h3>Critical points</h3>
<p>Where g = 0 the Hessian H = ∇²L decides: all eigenvalues &gt; 0 → local minimum; both signs →
saddle point, which can be escaped along an eigenvector of a negative eigenvalue.</p>
""")


def update_rules_html() -> str:
    """Every optimizer's update rule (``OptimizerInfo.update_rule_text``) as HTML."""
    parts = [QCoreApplication.translate("help", _INTRO)]
    for info in OPTIMIZERS.values():
        params = ", ".join(f"{p.symbol} = {p.default:g}" for p in info.params)
        parts.append(
            f"<h3>{html.escape(core_text(info.title))}</h3>"
            f"<pre style='font-family:\"DejaVu Sans Mono\",monospace; font-size:10pt'>"
            f"{html.escape(core_text(info.update_rule_text))}</pre>"
            "<p style='color:gray'>"
            + QCoreApplication.translate("help", "defaults: {values}").format(
                values=html.escape(params)) + "</p>"
        )
    return "".join(parts)


class UpdateRulesDialog(QDialog):
    """A scrollable page with the update rules."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Update rules — Descent Lab"))
        self.resize(780, 700)
        fit_to_screen(self)  # (a 768-pixel screen has less room than that)
        self.browser = QTextBrowser()
        self.browser.setHtml(update_rules_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.browser)
        lay.addWidget(buttons)
