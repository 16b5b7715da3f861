from __future__ import annotations

import json


def test_health_answers_ok_with_security_headers(client):
    response = client.http.get("/health")
    assert response.status_code == 200
    assert response.json_body == {"status": "ok"}
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "max-age" in response.headers["Cache-Control"]


def test_ops_log_denies_without_credentials(client):
    response = client.http.get("/ops/log")
    assert response.status_code == 401
    assert response.json_body["error"]["code"] == "authentication_required"
    assert response.headers["Cache-Control"] == "no-store"


def test_openapi_lists_routes(client):
    response = client.http.get("/openapi.json")
    assert response.status_code == 200
    doc = json.loads(response.body)
    assert "/health" in doc["paths"]
