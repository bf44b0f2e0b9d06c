"""The log goes to the data folder in use, once."""
from __future__ import annotations

import logging
import logging.handlers

from crmdesk.log import setup_logging


def _file_handlers():
    return [h for h in logging.getLogger().handlers
            if isinstance(h, logging.handlers.RotatingFileHandler)]


def test_log_follows_the_data_folder_without_duplicates(tmp_path):
    first = setup_logging(tmp_path / "a")
    setup_logging(tmp_path / "a")
    assert len(_file_handlers()) == 1
    second = setup_logging(tmp_path / "b")
    logging.getLogger("crmdesk.test").info("archive opened")
    assert [h.baseFilename for h in _file_handlers()] == [str(second.resolve())]
    assert "archive opened" in second.read_text(encoding="utf-8")
    assert first.exists()
