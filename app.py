"""Leer-Rijk API: middleware and blueprints, wired explicitly; nothing else."""

from chalice.app import Chalice

from chalicelib import wiring
from chalicelib.api import (
    account,
    admin,
    catalogue,
    contact,
    directory,
    enrolment,
    feeds,
    guard,
    jobs,
    ops,
    orders,
    public,
    reviews,
    supplier,
    waiting,
)

wiring.install()
app = Chalice(app_name="leer-rijk")
app.register_middleware(guard.make_guard(app, wiring.AUTHENTICATORS), "http")
app.register_blueprint(public.bp)
app.register_blueprint(ops.bp)
app.register_blueprint(catalogue.bp)
app.register_blueprint(supplier.bp)
app.register_blueprint(account.bp)
app.register_blueprint(contact.bp)
app.register_blueprint(admin.bp)
app.register_blueprint(enrolment.bp)
app.register_blueprint(waiting.bp)
app.register_blueprint(feeds.bp)
app.register_blueprint(orders.bp)
app.register_blueprint(reviews.bp)
app.register_blueprint(directory.bp)
app.register_blueprint(jobs.bp)
