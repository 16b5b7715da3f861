"""Leer-Rijk API: middleware and blueprints, nothing else."""

from chalice import Chalice

from chalicelib import jobs
from chalicelib.api import guard, ops, public

app = Chalice(app_name="leer-rijk")
app.register_middleware(guard.make_guard(app), "http")
app.register_blueprint(public.bp)
app.register_blueprint(ops.bp)
app.register_blueprint(jobs.bp)
