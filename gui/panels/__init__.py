"""Side panels and their helpers: run controls, step inspector, playback bar, lesson cards."""
