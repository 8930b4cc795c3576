"""Entry points: one small module per area, all re-exported by main.py."""
