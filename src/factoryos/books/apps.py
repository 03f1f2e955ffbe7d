from django.apps import AppConfig


class BooksConfig(AppConfig):
    name = "factoryos.books"
    label = "books"

    def ready(self) -> None:
        """Answer sales' credit check: what a customer owes on issued invoices, and whether any is overdue."""
        from factoryos.books.selectors import credit_exposure
        from factoryos.sales.credit import set_exposure_provider

        set_exposure_provider(credit_exposure)
