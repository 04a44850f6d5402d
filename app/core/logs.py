"""Logging set-up: personal link tokens never reach a log line."""

from __future__ import annotations

import logging
import re
from typing import Any

_TOKEN_IN_PATH = re.compile(r"(/p/)[A-Za-z0-9_\-]{8,}")


def redact(text: str) -> str:
    return _TOKEN_IN_PATH.sub(r"\1[redacted]", text)


class RedactTokensFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if record.args:
            args: Any = record.args
            if isinstance(args, tuple):
                record.args = tuple(redact(a) if isinstance(a, str) else a for a in args)
        return True


def install_redaction() -> None:
    token_filter = RedactTokensFilter()
    for name in ("uvicorn.access", "uvicorn.error", "wellspring", ""):
        logging.getLogger(name).addFilter(token_filter)


def uvicorn_log_config() -> dict[str, Any]:
    """uvicorn's default config, with the redaction filter on every handler."""
    from uvicorn.config import LOGGING_CONFIG

    config: dict[str, Any] = {**LOGGING_CONFIG}
    config["filters"] = {"redact": {"()": "app.core.logs.RedactTokensFilter"}}
    config["handlers"] = {
        name: {**handler, "filters": ["redact"]}
        for name, handler in LOGGING_CONFIG["handlers"].items()
    }
    return config
