"""Leer-Rijk API: middleware and blueprints, nothing else."""

from chalice import Chalice

from chalicelib import apikeys, jobs, sessions
from chalicelib.api import account, admin, catalogue, enrolment, feeds, guard, ops, public, supplier

app = Chalice(app_name="leer-rijk")
app.register_middleware(guard.make_guard(app), "http")
guard.AUTHENTICATORS.append(apikeys.authenticate)
guard.AUTHENTICATORS.append(sessions.authenticate)
app.register_blueprint(public.bp)
app.register_blueprint(ops.bp)
app.register_blueprint(catalogue.bp)
app.register_blueprint(supplier.bp)
app.register_blueprint(account.bp)
app.register_blueprint(admin.bp)
app.register_blueprint(enrolment.bp)
app.register_blueprint(feeds.bp)
app.register_blueprint(jobs.bp)
