"""The import pipeline: feeds in many formats become postings, once each.

parsers (one module per format) -> records (base.Record) -> normalise -> services.import_run
"""
