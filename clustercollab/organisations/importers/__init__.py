"""The CORDIS Horizon Europe demo-data import.

- ``rows``: reading and checking the source rows (pure).
- ``derivation``: the ecosystem and keyword rules (pure).
- ``staging``: the rows chosen for a run and what is derived from them; the counts of a run.
- ``writes``: comparing with what is stored and bulk-writing the difference.
- ``cordis``: the import service ``demo_data_import``.
"""
