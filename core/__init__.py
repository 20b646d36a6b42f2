"""Descent Lab's engine: loss surfaces, mini-batches, optimizers and runs in pure NumPy.

Notation follows the lecture (Hung-yi Lee, ML 2022 Spring, "batch and momentum"):
θ parameters, g the gradient of one batch's loss, m the movement, λ momentum, η learning
rate. Nothing in this package imports Qt, pyqtgraph or OpenGL.
"""
