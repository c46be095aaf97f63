"""The bundled data pack (installed as the ``okg_data`` package)."""
