"""The bulk import, behind one seam: planning a file's lines, staging what they decide on disk
(filled by a forked writer), writing each batch in one transaction that the read models index
(`projections.bulk`), deciding a batch again after a conflict, the lines' raw JSON text, and
the garbage collector held back meanwhile.

The composition root builds an `Importer` for its store (`importer_for`) and hands it to the
application's `import_records`; nothing else needs to read this package.
"""

from tracker.bulk.importer import (
    IMPORT_BATCH,
    Importer,
    ImportReport,
    LineSource,
    importer_for,
)

__all__ = ["IMPORT_BATCH", "ImportReport", "Importer", "LineSource", "importer_for"]
