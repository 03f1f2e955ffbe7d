import logging

from django.apps import AppConfig

# WeasyPrint reports each rendering step, and fontTools each font table it subsets, at INFO: a line per table of
# every PDF at the project's default log level. Their warnings and errors still show.
CHATTY_LOGGERS = ("weasyprint", "weasyprint.progress", "fontTools")


class DocumentsConfig(AppConfig):
    name = "factoryos.documents"
    label = "documents"

    def ready(self) -> None:
        from factoryos.kernel.fields import register_sealed_blob

        register_sealed_blob("documents.Rendered", "content")  # rotate_keys re-wraps the kept PDFs' data keys
        for name in CHATTY_LOGGERS:
            logger = logging.getLogger(name)
            if logger.level == logging.NOTSET:  # unless the settings' LOGGING chose a level for it
                logger.setLevel(logging.WARNING)
