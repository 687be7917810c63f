import { serviceContext } from "../../services/context";
import * as service from "../../services/webhooks/endpoints.service";
import { createRouter } from "../router";
import * as routes from "./endpoints.routes";
import { toDeliveryResponse, toEndpointResponse } from "./endpoints.schemas";

/** Mounted at /api/v1/webhooks/endpoints, beside (not under) the inbound /webhooks/zoom/{source_id} receivers. */
export const webhookEndpointsRouter = createRouter()
  .openapi(routes.create, async (c) => {
    const { endpoint, secret } = await service.createEndpoint(serviceContext(c.env), c.get("auth").userId, c.req.valid("json"));
    return c.json({ ...toEndpointResponse(endpoint), secret }, 201);
  })
  .openapi(routes.list, async (c) => {
    const endpoints = await service.listEndpoints(serviceContext(c.env), c.get("auth").userId);
    return c.json(endpoints.map(toEndpointResponse), 200);
  })
  .openapi(routes.get, async (c) => {
    const endpoint = await service.getEndpoint(serviceContext(c.env), c.get("auth").userId, c.req.valid("param").id);
    return c.json(toEndpointResponse(endpoint), 200);
  })
  .openapi(routes.update, async (c) => {
    const endpoint = await service.updateEndpoint(serviceContext(c.env), c.get("auth").userId, c.req.valid("param").id, c.req.valid("json"));
    return c.json(toEndpointResponse(endpoint), 200);
  })
  .openapi(routes.remove, async (c) => {
    await service.deleteEndpoint(serviceContext(c.env), c.get("auth").userId, c.req.valid("param").id);
    return c.body(null, 204);
  })
  .openapi(routes.rotateSecret, async (c) => {
    const body = (c.req.header("content-length") ?? "0") === "0" ? {} : c.req.valid("json");
    const { endpoint, secret } = await service.rotateSecret(serviceContext(c.env), c.get("auth").userId, c.req.valid("param").id, body.secret);
    return c.json({ ...toEndpointResponse(endpoint), secret }, 200);
  })
  .openapi(routes.sendTest, async (c) => {
    const delivery = await service.sendTestEvent(serviceContext(c.env), c.get("auth").userId, c.req.valid("param").id);
    return c.json(toDeliveryResponse(delivery), 202);
  })
  .openapi(routes.deliveries, async (c) => {
    const q = c.req.valid("query");
    const items = await service.listDeliveries(serviceContext(c.env), c.get("auth").userId, c.req.valid("param").id, q.limit, q.before);
    const next = items.length === q.limit ? (items[items.length - 1]?.id ?? null) : null;
    return c.json({ items: items.map(toDeliveryResponse), next_before: next }, 200);
  })
  .openapi(routes.redeliver, async (c) => {
    const { id, delivery_id } = c.req.valid("param");
    const delivery = await service.redeliver(serviceContext(c.env), c.get("auth").userId, id, delivery_id);
    return c.json(toDeliveryResponse(delivery), 202);
  });
