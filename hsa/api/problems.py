"""Errors as RFC 9457 problem details (application/problem+json) with stable type URIs."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from hsa.services.errors import (
    AuthFailed,
    Conflict,
    DomainError,
    Forbidden,
    InvalidTransition,
    NotAuthenticated,
    NotFound,
    ValidationFailed,
)
from hsa.services.schemas import messages

TYPE_BASE = "urn:homeserve:problem:"
MEDIA = "application/problem+json"
UNKNOWN_FIELD = "Unknown field: this request does not accept it."

_MAP: list[tuple[type[DomainError], int, str, str]] = [
    (ValidationFailed, 422, "validation", "Invalid input"),
    (AuthFailed, 401, "login-failed", "Login failed"),
    (NotAuthenticated, 401, "not-authenticated", "Authentication required"),
    (Forbidden, 403, "forbidden", "Not allowed"),
    (NotFound, 404, "not-found", "Not found"),
    (Conflict, 409, "conflict", "Conflict"),
    (InvalidTransition, 409, "invalid-transition", "Not possible in the current state"),
]


class Problem(BaseModel):
    """RFC 9457 problem details; `errors` maps a field to its message."""

    type: str
    title: str
    status: int
    detail: str
    errors: dict[str, str] = {}


def problem(status: int, slug: str, title: str, detail: str, errors: dict[str, str] | None = None,
            headers: dict[str, str] | None = None) -> JSONResponse:
    body = Problem(type=TYPE_BASE + slug, title=title, status=status, detail=detail, errors=errors or {})
    return JSONResponse(body.model_dump(), status_code=status, media_type=MEDIA, headers=headers)


def _domain(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    for cls, status, slug, title in _MAP:
        if isinstance(exc, cls):
            headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
            fields = exc.fields if isinstance(exc, ValidationFailed) else None
            return problem(status, slug, title, exc.message, fields, headers)
    return problem(400, "bad-request", "Bad request", exc.message)


def _validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    # The pages' friendly messages; request bodies forbid unknown fields, so a misspelt or extra one
    # ("role") is never ignored.
    errors = messages(exc.errors(), skip=("body", "query", "path", "header")) or {"body": "Send a JSON body."}
    for err in exc.errors():
        if err.get("type") == "extra_forbidden":
            errors[".".join(str(p) for p in err["loc"] if p not in ("body", "query", "path"))] = UNKNOWN_FIELD
    return problem(422, "validation", "Invalid input", "Please correct the listed fields.", errors)


def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    slug = {401: "not-authenticated", 403: "forbidden", 404: "not-found", 405: "method-not-allowed",
            413: "too-large", 429: "rate-limited"}.get(exc.status_code, "http-error")
    headers: Any = getattr(exc, "headers", None)
    return problem(exc.status_code, slug, str(exc.detail), str(exc.detail), headers=headers)


def install(api: FastAPI) -> None:
    api.add_exception_handler(DomainError, _domain)
    api.add_exception_handler(RequestValidationError, _validation)
    api.add_exception_handler(StarletteHTTPException, _http)


def responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries so clients (and schemathesis) know every error's shape."""
    return {code: {"model": Problem, "content": {MEDIA: {}}} for code in codes}
