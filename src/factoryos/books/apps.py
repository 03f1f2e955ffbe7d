from django.apps import AppConfig


class BooksConfig(AppConfig):
    name = "factoryos.books"
    label = "books"
