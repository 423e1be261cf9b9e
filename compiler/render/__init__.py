"""Renderers: the computed model → HTML, Markdown and PDF bytes (nothing is written here)."""
