"""Possible duplicates: the same person registered twice, found without keeping any name or
NIK in clear (see ``keys``)."""
