"""Exporting animations, snapshots and trajectories: the pipeline, its encoders, the overlay
and the dialog."""
