"""The ``okg`` command line: thin commands that wire the layers below; one module per command group
(each defines ``register(app)``), assembled in :mod:`okg.cli.application`.

Importing this package is cheap; the commands and what they need are imported when called.
"""


def main() -> None:
    """Run the ``okg`` command."""
    from okg.cli.application import main as run

    run()


def __getattr__(name: str):
    if name == "app":
        from okg.cli.application import app

        return app
    raise AttributeError(f"module 'okg.cli' has no attribute {name!r}")
