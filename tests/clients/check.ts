// Compiled with the generated api.d.ts by tests/test_clients.py (tsc --strict --noEmit).
// Each documented member is used by its type; each @ts-expect-error proves a type is not `any`.
import type { components, paths } from "./api";

type Schemas = components["schemas"];

const tooMany: Schemas["UsageLimitExceededError"] = {
  error: "usage_limit_exceeded",
  error_description: "Too many requests in too short a time.",
  request_id: "5f0c3a2e9d7b4c1e8a6f2b3d4c5e6f70",
  retry_after: 30,
};
export const wait: number = tooMany.retry_after;
// @ts-expect-error retry_after is a number of seconds
export const waitText: Schemas["UsageLimitExceededError"] = { ...tooMany, retry_after: "30" };
// @ts-expect-error a 429 body is never another code
export const otherCode: Schemas["UsageLimitExceededError"] = { ...tooMany, error: "not_found" };

export const scope: string | undefined = ({} as Schemas["InsufficientScopeError"]).scope;
export const media: string[] | undefined = ({} as Schemas["InvalidContentTypeError"]).supported_media_types;
const conflict = {} as Schemas["ConflictError"];
export const fields: string[] | undefined = conflict.fields;
export const blockedBy: string[] | undefined = conflict.blocked_by;

const detail = {} as Schemas["ApiErrorDetail"];
export const where: [string | null, string, string, string | undefined, string | undefined] = [
  detail.field,
  detail.code,
  detail.message,
  detail.pointer,
  detail.in,
];

const problem = {} as Schemas["ProblemDetails"];
export const problemMembers: [string, string, number, string, string, Schemas["ErrorCode"], number | undefined] = [
  problem.type,
  problem.title,
  problem.status,
  problem.detail,
  problem.instance,
  problem.error,
  problem.retry_after,
];

// An operation's error responses narrow to its codes, by reference.
type Patch = paths["/api/notes/{id}/"]["patch"];
type Stale = Patch["responses"][412]["content"]["application/json"];
export const stale: Stale["error"] = "precondition_failed";
// @ts-expect-error a 412 is precondition_failed only
export const notStale: Stale["error"] = "not_found";
type Unauthorized = Patch["responses"][401]["content"]["application/json"];
export const unauthorized: Unauthorized["error"][] = ["unauthorized_client", "session_expired"];

// Conditional requests: the validators are parameters, If-Match required where the view requires it.
export const ifMatch: NonNullable<Patch["parameters"]["header"]>["If-Match"] = '"abc"';
type SharedPatch = paths["/api/shared-notes/{id}/"]["patch"]["parameters"]["header"];
// @ts-expect-error shared notes require If-Match
export const noIfMatch: SharedPatch = {};
export const ifNoneMatch: NonNullable<paths["/api/notes/{id}/"]["get"]["parameters"]["header"]>["If-None-Match"] = '"abc"';
type Read = paths["/api/notes/{id}/"]["get"]["responses"];
export const notModified: Read[304]["content"] = undefined as never;
type Limited = paths["/api/search/"]["get"]["responses"][429];
export const retryAfter: Limited["headers"]["Retry-After"] = 30;
