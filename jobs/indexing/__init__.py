"""Telling search engines at once what changed: IndexNow, and Google's Indexing API when it is
configured. Both read one ledger (`IndexingNotice`), so no posting URL goes out twice for the
same version of its page."""
