"""The bundled data pack (installed as the ``okg.data`` package)."""
