from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """The project itself, as an app only to wire process-wide hooks once Django is ready."""

    name = "config"
    verbose_name = "Job board"

    def ready(self):
        from celery.signals import task_failure
        from django.core.signals import request_finished
        from django.db import connections
        from django.db.backends.signals import connection_created

        from config.errors import report_exception
        from config.observability import clear_request_id, install_slow_query_logger

        request_finished.connect(clear_request_id, dispatch_uid="clear_request_id")
        connection_created.connect(install_slow_query_logger, dispatch_uid="slow_queries")
        for connection in connections.all(initialized_only=True):
            install_slow_query_logger(None, connection)

        @task_failure.connect(weak=False, dispatch_uid="report_task_failure")
        def report_task_failure(sender=None, task_id=None, exception=None, **kwargs):
            report_exception(exception, task=getattr(sender, "name", None), task_id=task_id)
