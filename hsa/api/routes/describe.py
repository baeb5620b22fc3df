""""Describe your problem" over the API: free text → the catalog service, as on the web pages."""

from __future__ import annotations

import math

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field

from hsa.api.deps import ActorDep, call
from hsa.api.problems import problem, responses
from hsa.services.intelligence import describe

router = APIRouter(tags=["catalog"])


class DescribeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(max_length=1000, description="The problem in the customer's words, any language mix")


class GuessOut(BaseModel):
    service_id: int
    name: str
    confidence: int = Field(description="percent")


class SuggestionOut(BaseModel):
    sure: bool = Field(description="false: below the model's threshold; choose from `alternatives`")
    best: GuessOut | None
    alternatives: list[GuessOut]
    model_version: str


@router.post("/classify", response_model=SuggestionOut, responses=responses(401, 422, 429))
def classify(body: DescribeIn, actor: ActorDep) -> SuggestionOut | Response:
    """The likeliest service with a confidence, or "not sure" with the likeliest few. Rate-limited per account."""
    try:
        s = call(describe.suggest_service, readonly=True, actor=actor, text=body.text)
    except describe.TooManyAsks as exc:
        return problem(429, "rate-limited", "Too many requests", exc.message,
                       headers={"Retry-After": str(math.ceil(exc.retry_after))})

    def out(g: describe.Guess) -> GuessOut:
        return GuessOut(service_id=g.service_id, name=g.name, confidence=g.confidence)
    return SuggestionOut(sure=s.sure, best=out(s.best) if s.best else None,
                         alternatives=[out(g) for g in s.alternatives], model_version=s.model_version)
