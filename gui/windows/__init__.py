"""Top-level windows and dialogs: the main window, the study and network windows, help."""
