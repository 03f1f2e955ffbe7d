from django.apps import AppConfig


class JobsConfig(AppConfig):
    """Background jobs a member starts (an import): their status, progress and report, run by the task worker."""

    name = "factoryos.jobs"
    label = "jobs"
    verbose_name = "Background jobs"

    def ready(self) -> None:
        from factoryos.kernel.fields import register_sealed_blob

        register_sealed_blob("jobs.Job", "upload")  # rotate_keys re-wraps the uploads' data keys
