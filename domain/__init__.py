"""The Desmigratif domain: aggregates, value objects and the rules they keep.

Pure Python plus the eventsourcing library's aggregate machinery: no I/O, no web, no SQL.
"""
