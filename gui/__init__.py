"""Qt front end of Descent Lab (PySide6 + pyqtgraph).

The GUI never computes optimisation maths: it receives NumPy arrays from ``core`` and only
applies display transforms (colour maps, height scaling, screen-space arrow angles).
"""
