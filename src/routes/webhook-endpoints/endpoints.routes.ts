import { createRoute, z } from "@hono/zod-openapi";
import { requireAuth } from "../../middleware/auth";
import { apiRateLimit } from "../../middleware/rate-limit";
import { authErrors, errorResponse, jsonBody, jsonContent } from "../common/schemas";
import {
  DeliveriesQuerySchema,
  DeliveryParams,
  DeliverySchema,
  EndpointCreateSchema,
  EndpointIdParam,
  EndpointSchema,
  EndpointUpdateSchema,
  EndpointWithSecretSchema,
  RotateSecretSchema,
} from "./endpoints.schemas";

const authed = { tags: ["Webhook endpoints"], security: [{ bearerAuth: [] }], middleware: [requireAuth, apiRateLimit] };
const notFound = errorResponse("No such webhook endpoint of the caller");

export const create = createRoute({
  ...authed,
  method: "post",
  path: "/",
  summary: "Add an outbound webhook endpoint (Standard Webhooks signing); the secret is shown once",
  request: { body: jsonBody(EndpointCreateSchema) },
  responses: {
    201: jsonContent(EndpointWithSecretSchema, "The endpoint and its signing secret"),
    409: errorResponse("The user has the maximum number of endpoints"),
    ...authErrors,
  },
});

export const list = createRoute({
  ...authed,
  method: "get",
  path: "/",
  summary: "The caller's webhook endpoints",
  responses: { 200: jsonContent(z.array(EndpointSchema), "Endpoints, oldest first"), ...authErrors },
});

export const get = createRoute({
  ...authed,
  method: "get",
  path: "/{id}",
  summary: "One webhook endpoint",
  request: { params: EndpointIdParam },
  responses: { 200: jsonContent(EndpointSchema, "The endpoint"), 404: notFound, ...authErrors },
});

export const update = createRoute({
  ...authed,
  method: "patch",
  path: "/{id}",
  summary: "Change an endpoint's URL, events or description; `enabled: true` re-enables a disabled one",
  request: { params: EndpointIdParam, body: jsonBody(EndpointUpdateSchema) },
  responses: { 200: jsonContent(EndpointSchema, "The updated endpoint"), 404: notFound, ...authErrors },
});

export const remove = createRoute({
  ...authed,
  method: "delete",
  path: "/{id}",
  summary: "Delete an endpoint and its delivery log",
  request: { params: EndpointIdParam },
  responses: { 204: { description: "Deleted" }, 404: notFound, ...authErrors },
});

export const rotateSecret = createRoute({
  ...authed,
  method: "post",
  path: "/{id}/rotate-secret",
  summary: "Replace the signing secret (given, or generated); shown once",
  request: { params: EndpointIdParam, body: { required: false, content: { "application/json": { schema: RotateSecretSchema } } } },
  responses: { 200: jsonContent(EndpointWithSecretSchema, "The endpoint and its new secret"), 404: notFound, ...authErrors },
});

export const sendTest = createRoute({
  ...authed,
  method: "post",
  path: "/{id}/test",
  summary: "Queue a `webhook.test` event to the endpoint (one attempt; see its deliveries for the outcome)",
  request: { params: EndpointIdParam },
  responses: { 202: jsonContent(DeliverySchema, "The queued delivery"), 404: notFound, ...authErrors },
});

export const deliveries = createRoute({
  ...authed,
  method: "get",
  path: "/{id}/deliveries",
  summary: "The endpoint's delivery log, newest first",
  request: { params: EndpointIdParam, query: DeliveriesQuerySchema },
  responses: {
    200: jsonContent(z.object({ items: z.array(DeliverySchema), next_before: z.string().nullable() }), "A page of deliveries"),
    404: notFound,
    ...authErrors,
  },
});

export const redeliver = createRoute({
  ...authed,
  method: "post",
  path: "/{id}/deliveries/{delivery_id}/redeliver",
  summary: "Send a delivery's message again (same webhook-id, one attempt)",
  request: { params: DeliveryParams },
  responses: {
    202: jsonContent(DeliverySchema, "The new delivery"),
    404: errorResponse("No such endpoint or delivery of the caller"),
    409: errorResponse("The delivery is still being attempted"),
    ...authErrors,
  },
});
