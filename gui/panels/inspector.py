"""The step inspector: update t of the selected run written out in the lecture's notation.

For momentum: θᵗ⁻¹; the batch bᵗ⁻¹ (example indices) and its loss L_b(θᵗ⁻¹); gᵗ⁻¹; λmᵗ⁻¹;
−ηgᵗ⁻¹; mᵗ = λmᵗ⁻¹ − ηgᵗ⁻¹; θᵗ = θᵗ⁻¹ + mᵗ — other optimizers show their own terms
(:func:`core.optim.explain_step`). Below: the Hessian ∇²L at θᵗ, its eigenvalues and the
verdict (minimum, saddle, …). Numbers are aligned in a monospaced column, in the run's colour.
"""

from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QGroupBox, QLabel, QSizePolicy, QVBoxLayout, QWidget

from core.analysis import classify, vector_norm
from core.present import step_terms
from gui.i18n import run_message
from gui.panels.lessons import momentum_sum_html
from gui.panels.numbers import fmt_number, fmt_vector
from gui.qtutil import Throttle
from gui.state import AppState
from gui.theme import readable, theme_named

__all__ = ["THROTTLE_MS", "StepInspector", "fmt_number", "fmt_vector"]

#: Shortest interval between two refreshes while playback runs or records keep changing.
THROTTLE_MS = 150
#: Most optimizer updates replayed per event-loop turn when the inspector jumps far.
REPLAY_CHUNK = 2000


_SUP = str.maketrans("0123456789−", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def _sup(n: int) -> str:
    return str(n).translate(_SUP)


class StepInspector(QGroupBox):
    """Rich-text view of the selected run's update t (refreshed on t, selection and records)."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Step inspector"), parent)
        self.state = state
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.text = QLabel()
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        lay = QVBoxLayout(self)
        lay.addWidget(self.heading)
        lay.addWidget(self.text)
        lay.addStretch(1)
        self.terms: list[tuple[str, np.ndarray]] = []
        self._throttle = QTimer(self)
        self._throttle.setSingleShot(True)
        self._throttle.setInterval(THROTTLE_MS)
        self._throttle.timeout.connect(self.refresh)
        self._replay = QTimer(self)  # continues a long replay of the optimizer state
        self._replay.setSingleShot(True)
        self._replay.setInterval(0)
        self._replay.timeout.connect(self.refresh)
        self._throttled = False
        state.currentChanged.connect(self._on_current)
        for sig in (state.selectionChanged, state.optionsChanged):  # (the theme: text colour)
            sig.connect(self.refresh)
        # new records (an η slider dragged re-simulates the run on every move): at most one
        # refresh per THROTTLE_MS, so the moves in between cost only the views' repaint
        self.soon = Throttle(self.refresh, THROTTLE_MS, self)
        state.trajectoriesChanged.connect(self.soon)
        state.runsChanged.connect(self.soon)
        self.refresh()

    def set_throttled(self, on: bool) -> None:
        """While playing, refresh at most every :data:`THROTTLE_MS` (nobody reads numbers
        that change 30 times a second); when playback stops, show the exact step at once."""
        self._throttled = on
        if not on:
            self._throttle.stop()
            self.refresh()

    def _on_current(self, _t: int) -> None:
        if self._throttled:
            if not self._throttle.isActive():
                self._throttle.start()
        else:
            self.refresh()

    def refresh(self, *_: object) -> None:
        """Recompute the text for the selected run at the current update."""
        st = self.state
        i = st.selected
        tr = st.trajectory(i)
        if tr is None:
            self.terms = []
            self.heading.setText("")
            msg = st.run_error(i) or (self.tr("computing…") if st.scenario.runs
                                      else self.tr("no runs"))
            self.text.setText(f"<i>{html.escape(msg)}</i>")
            return
        color = readable(st.run_color(i), theme_named(st.options.theme).background)
        t = min(st.current, tr.updates)
        rows: list[tuple[str, str]] = []
        if t == 0:
            self.terms = []
            title = self.tr("t = 0 (the start)")
            rows.append(("θ⁰", fmt_vector(tr.theta[0])))
            rows.append(("L(θ⁰)", fmt_number(float(tr.loss[0]))))
            note = self.tr("Step forward (→) to see the first update.")
        else:
            k = t - 1
            cost = tr.replay_cost(k)
            if cost > REPLAY_CHUNK:
                # the optimizer state is replayed from the recorded gradients, a chunk per
                # event-loop turn (a million updates at once blocked the window for 17 s)
                tr.state_before(k - cost + REPLAY_CHUNK)
                self.terms = []
                self.heading.setText(f"<b>{html.escape(tr.config.label)}</b><br/>"
                                     + self.tr("update t = {t}").format(t=t))
                percent = f"{100 * (1 - (cost - REPLAY_CHUNK) / k):.0f}"
                self.text.setText("<i>" + self.tr("replaying the optimizer state… {percent} %")
                                  .format(percent=percent) + "</i>")
                self._replay.start()  # one pending continuation at most
                return
            epoch, b, per = tr.batch_position(k)
            title = self.tr("update t = {t} · epoch {epoch}, batch {b} of {per}").format(
                t=t, epoch=epoch + 1, b=b, per=per)
            self.terms = step_terms(tr, t)
            batch = tr.batch(k).tolist()
            if len(batch) == tr.schedule.n:
                listed = self.tr("all {n} examples").format(n=len(batch))
            else:
                listed = "{" + ", ".join(str(j) for j in batch[:12])
                listed += ", …}" if len(batch) > 12 else "}"
            s = _sup(t - 1)
            for label, value in self.terms:
                shown = label.replace("ᵗ⁻¹", s).replace("ᵗ", _sup(t))
                # a zero-width space after √ keeps a combining hat (v̂) on its letter in Qt
                shown = shown.replace("√", "√\u200b")
                rows.append((shown, fmt_vector(value)))
                if label.startswith("θᵗ⁻¹"):
                    rows.append((self.tr("batch {b}").format(b=f"b{s}"), html.escape(listed)))
                    rows.append((f"L_b(θ{s})", fmt_number(float(tr.batch_loss[k]))))
            rows.append((f"L(θ{_sup(t)})", fmt_number(float(tr.loss[t]))))
            note = ""
        self.heading.setText(f"<b style='color:{color}'>{html.escape(tr.config.label)}</b>"
                             f"<br/>{html.escape(title)}")
        body = "".join(
            f"<tr><td style='padding-right:10px; white-space:nowrap'>"
            f"<nobr>{html.escape(a).replace(' ', '&nbsp;')}</nobr></td>"
            f"<td style='font-family:\"DejaVu Sans Mono\",monospace; color:{color};"
            f" white-space:pre'>{b}</td></tr>"
            for a, b in rows)
        eta = tr.config.lr_at(min(t, max(tr.updates - 1, 0)))  # η of the next (or last) update
        hess = self._hessian_html(tr.theta[min(t, len(tr.theta) - 1)], _sup(t), eta)
        # lesson 4: the movement as a weighted sum of all past gradients (gd and momentum)

        msum = momentum_sum_html(tr, t, color)
        status = ""
        if tr.status == "diverged":
            status = (f"<p style='color:#FF6B6B'>⚠ {html.escape(run_message(tr))}</p>")
        elif tr.message:
            status = f"<p><i>{html.escape(run_message(tr))}</i></p>"
        extra = f"<p><i>{html.escape(note)}</i></p>" if note else ""
        self.text.setText(f"<table cellspacing='0' cellpadding='1'>{body}</table>"
                          f"{msum}{hess}{status}{extra}")

    def _verdict_words(self) -> dict[str, str]:
        """:data:`core.analysis.VERDICT_WORDS` in the window's language."""
        return {
            "not critical": self.tr("not critical: ‖g‖ = {g} ≠ 0"),
            "critical": self.tr("{kind}: g ≈ 0 and {reason} (λ₁ = {l1}, λ₂ = {l2})"),
            "minimum": self.tr("both eigenvalues > 0"),
            "maximum": self.tr("both eigenvalues < 0"),
            "saddle": self.tr("eigenvalues of both signs"),
            "degenerate": self.tr("an eigenvalue ≈ 0: the Hessian cannot tell"),
            "kind minimum": self.tr("minimum"),
            "kind maximum": self.tr("maximum"),
            "kind saddle": self.tr("saddle"),
            "kind degenerate": self.tr("degenerate"),
        }

    def _hessian_html(self, theta: np.ndarray, sup: str, eta: float) -> str:
        """The Hessian's eigenvalues, ‖∇L‖ and the verdict at θ, with λ_max against 2/η
        (gradient descent is stable near a minimum only while η·λ_max < 2)."""
        problem = self.state.problem
        if problem is None or not np.all(np.isfinite(theta)):
            return ""
        a = classify(problem, theta)
        if not np.all(np.isfinite(a.eigenvalues)):
            return ""
        l1, l2 = (fmt_number(float(v), 0).strip() for v in a.eigenvalues)
        gn = fmt_number(vector_norm(a.grad), 0).strip()
        lam_max = float(np.max(a.eigenvalues))
        # a schedule can reach η_t = 0 (cosine to η_min = 0): 2/η is then infinite
        two_over = fmt_number(2.0 / eta, 0).strip() if eta > 0 else "∞"
        stable = ("η·λ_max < 2" if eta * lam_max < 2
                  else self.tr("η·λ_max ≥ 2: GD is unstable here"))
        return (
            f"<p style='margin-top:6px'>Hessian ∇²L(θ{sup}): λ₁ = {l1}, λ₂ = {l2}, "
            f"‖∇L‖ = {gn}<br/>λ_max = {fmt_number(lam_max, 0).strip()}, 2/η = {two_over} "
            f"({html.escape(stable)})<br/><b>{html.escape(a.describe(self._verdict_words()))}</b></p>"
        )
