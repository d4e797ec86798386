"""Helpers shared by the forms of every app."""

from django import forms

from rencana.core.errors import ApplicationError


def form_errors_from(form: forms.Form, exc: ApplicationError) -> None:
    """Show a service's error on the form: per field where the service named one (`kolom`), else on top."""
    if not exc.errors:
        form.add_error(None, exc.message)
    for error in exc.errors:
        field = error.get("kolom") if error.get("kolom") in form.fields else None
        form.add_error(field, error.get("pesan", exc.message))
