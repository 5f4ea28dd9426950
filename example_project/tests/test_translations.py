"""The example's OpenAPI schema, translated by Accept-Language."""

import json

import pytest


@pytest.mark.django_db
def test_schema_in_french(client):
    schema = json.loads(client.get("/api/schema/", {"format": "json"}, HTTP_ACCEPT_LANGUAGE="fr").content)
    assert schema["components"]["schemas"]["ApiError"]["description"].startswith(
        "Le corps d'erreur documenté"
    )
    example = schema["paths"]["/api/notes/"]["get"]["responses"]["500"]["content"]["application/json"][
        "examples"
    ]
    assert (
        example["server_error"]["value"]["error_description"] == "Le serveur n'a pas pu traiter la requête."
    )
