"""Shared layout pieces of the Dash pages: data access, the shell (header, footer, banner), UI helpers."""
