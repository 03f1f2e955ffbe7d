"""Background jobs (factoryos.jobs): the API's list and read; an import job's page is in routes_imports.py."""

from tests.isolation.routes import OBJECT, ORG

API = {"jobs": ORG, "jobs/{id}": OBJECT("jobs.job"), "jobs/{id}/file": OBJECT("jobs.job#export")}
