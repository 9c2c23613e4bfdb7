"""The API's documentation page, written from its OpenAPI schema.

Server-rendered rather than Swagger UI or Redoc: those need JavaScript, which
no page of the site requires, and their assets would have to be served from
a CDN (forbidden) or vendored as megabytes of static files."""

import functools

from django.shortcuts import render
from django.views.decorators.http import require_safe
from drf_spectacular.generators import SchemaGenerator

REF_PREFIX = "#/components/schemas/"


@functools.cache
def api_schema():
    """The schema as /api/schema/ serves it; it only changes with the code."""
    return SchemaGenerator().get_schema(request=None, public=True)


def type_text(schema):
    """A schema's type in words, and the component it names (for a link)."""
    if "$ref" in schema:
        name = schema["$ref"].removeprefix(REF_PREFIX)
        return name, name
    if "allOf" in schema and len(schema["allOf"]) == 1:
        text, link = type_text(schema["allOf"][0])
        return (f"{text} or null", link) if schema.get("nullable") else (text, link)
    kind = schema.get("type", "object")
    if kind == "array":
        text, link = type_text(schema.get("items", {}))
        text = f"list of {text}"
    else:
        text, link = kind, None
        if "format" in schema:
            text = f"{text} ({schema['format']})"
        if "enum" in schema:
            text = f"{text}: one of " + ", ".join(str(value) for value in schema["enum"] if value)
    if schema.get("nullable"):
        text = f"{text} or null"
    return text, link


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield {
                "id": operation["operationId"],
                "method": method.upper(),
                "path": path,
                "summary": operation.get("summary", ""),
                "description": operation.get("description", ""),
                "parameters": [
                    {
                        "name": parameter["name"],
                        "location": parameter["in"],
                        "required": parameter.get("required", False),
                        "type": type_text(parameter.get("schema", {}))[0],
                        "description": parameter.get("description", ""),
                    }
                    for parameter in operation.get("parameters", [])
                ],
                "responses": [
                    {
                        "status": status,
                        "description": response.get("description", ""),
                        "type": type_text(
                            response.get("content", {})
                            .get("application/json", {})
                            .get("schema", {})
                        ),
                    }
                    for status, response in operation.get("responses", {}).items()
                ],
            }


def components(schema):
    for name, component in schema["components"]["schemas"].items():
        required = set(component.get("required", []))
        yield {
            "name": name,
            "description": component.get("description", ""),
            "type": type_text(component)[0] if "properties" not in component else "",
            "properties": [
                {
                    "name": field,
                    "type": type_text(field_schema),
                    "required": field in required,
                    "description": field_schema.get("description", ""),
                }
                for field, field_schema in component.get("properties", {}).items()
            ],
        }


@require_safe
def api_docs(request):
    schema = api_schema()
    ctx = {
        "info": schema["info"],
        "operations": list(operations(schema)),
        "components": list(components(schema)),
    }
    return render(request, "timeline/api/docs.html", ctx)
