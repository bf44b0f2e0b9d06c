"""Reading spreadsheets into archive cards: guards, readers, mapping, cleaning, pipeline."""
