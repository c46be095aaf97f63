"""One module per command group; each defines ``register(app)``. Shared options live in common.py."""
