"""How drf-spectacular documents our authentication classes (loaded by ApiConfig.ready)."""

from drf_spectacular.authentication import SessionScheme as DrfSessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A token from POST /api/tokens, valid for one hour.",
        }


class SessionScheme(DrfSessionScheme):
    """Our SessionAuthentication (it keeps last_seen) is documented as DRF's is."""

    target_class = "api.authentication.SessionAuthentication"


class BasicCredentialsScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BasicCredentialsAuthentication"
    name = "basicAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "basic"}


ERROR_SCHEMA = {
    "type": "object",
    "description": 'Every refusal: {"error": "<HTTP reason phrase>", "message": "…"}; a 400 '
    "also carries `errors`, the messages per field.",
    "properties": {
        "error": {"type": "string", "example": "Not Found"},
        "message": {"type": "string"},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["error", "message"],
}
ERROR_DESCRIPTIONS = {
    "400": "Invalid input (field messages in `errors`).",
    "401": "No valid credentials; see the WWW-Authenticate header.",
    "403": "Not yours to change.",
    "404": "No such resource.",
    "429": "Too many requests; see the Retry-After header.",
}


def add_error_responses(result, generator, request, public):
    """Postprocessing hook: document the error envelope on every operation it can answer."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            statuses = ["429"]
            if operation.get("security") != [{}]:
                statuses.append("401")
            if method in ("post", "put"):
                statuses.append("400")
            if method in ("put", "delete") and "{id}" in path:
                statuses.append("403")
            if "{id}" in path:
                statuses.append("404")
            for code in statuses:
                operation["responses"].setdefault(
                    code, {"description": ERROR_DESCRIPTIONS[code], "content": error}
                )
    return result
