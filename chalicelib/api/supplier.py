"""Suppliers publish and withdraw their EDU-DEX programs with their API key (R_CAT_05)."""

from __future__ import annotations

from chalice.app import Blueprint

from chalicelib.access import Access
from chalicelib.api import callers
from chalicelib.api.routing import json_response, route
from chalicelib.api.validation import load_json
from chalicelib.catalogue import use_cases as catalogue

bp = Blueprint(__name__)
MAX_PROGRAM_BYTES = 1024 * 1024


def _supplier_id() -> str:
    return callers.supplier().subject_id


@route(bp, "/supplier/programs/{program_id}", methods=["PUT"], allow=[Access.SUPPLIER],
       summary="Create or update an EDU-DEX program", body="chalicelib.catalogue.schemas:EdudexProgram",
       max_body_bytes=MAX_PROGRAM_BYTES)
def put_program(program_id: str) -> object:
    document = load_json(bp.current_request.raw_body, field="/")
    return json_response(catalogue.import_program(_supplier_id(), program_id, document))


@route(bp, "/supplier/programs/{program_id}", methods=["DELETE"], allow=[Access.SUPPLIER],
       summary="Withdraw a program")
def delete_program(program_id: str) -> object:
    return json_response(catalogue.withdraw_program(_supplier_id(), program_id))
