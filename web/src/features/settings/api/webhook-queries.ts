import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { components } from "../../../api/schema";
import { api, unwrap } from "../../../lib/api-client";
import { settingsKeys } from "./settings-queries";

export type WebhookEndpoint = components["schemas"]["WebhookEndpoint"];
export type WebhookEndpointCreate = components["schemas"]["WebhookEndpointCreate"];
export type WebhookDelivery = components["schemas"]["WebhookDelivery"];
export type WebhookEvent = WebhookEndpointCreate["events"][number];

const byId = (id: string) => ({ params: { path: { id } } });

export function useWebhookEndpoints() {
  return useQuery({ queryKey: settingsKeys.webhooks, queryFn: () => unwrap(api.GET("/api/v1/webhooks/endpoints")) });
}

/** The answer carries the signing secret, shown once. */
export function useCreateWebhookEndpoint() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: WebhookEndpointCreate) => unwrap(api.POST("/api/v1/webhooks/endpoints", { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: settingsKeys.webhooks, exact: true }),
  });
}

export function useSetWebhookEnabled() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, enabled }: { id: string; enabled: boolean }) => unwrap(api.PATCH("/api/v1/webhooks/endpoints/{id}", { ...byId(id), body: { enabled } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: settingsKeys.webhooks, exact: true }),
  });
}

export function useDeleteWebhookEndpoint() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE("/api/v1/webhooks/endpoints/{id}", byId(id))),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: settingsKeys.webhooks }),
  });
}

/** The new secret is in the answer, once. */
export function useRotateWebhookSecret() {
  return useMutation({
    mutationFn: (id: string) => unwrap(api.POST("/api/v1/webhooks/endpoints/{id}/rotate-secret", { ...byId(id), body: {} })),
  });
}

export function useWebhookDeliveries(endpointId: string) {
  return useQuery({
    queryKey: settingsKeys.deliveries(endpointId),
    queryFn: () => unwrap(api.GET("/api/v1/webhooks/endpoints/{id}/deliveries", { params: { path: { id: endpointId }, query: { limit: 20 } } })),
    // A queued delivery is attempted in the background: look again until none is pending.
    refetchInterval: (query) => (query.state.data?.items.some((d) => d.status === "PENDING") ? 2000 : false),
  });
}

export function useSendTestEvent() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.POST("/api/v1/webhooks/endpoints/{id}/test", byId(id))),
    onSuccess: (_delivery, id) => queryClient.invalidateQueries({ queryKey: settingsKeys.deliveries(id) }),
  });
}

export function useRedeliver() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ endpointId, deliveryId }: { endpointId: string; deliveryId: string }) =>
      unwrap(api.POST("/api/v1/webhooks/endpoints/{id}/deliveries/{delivery_id}/redeliver", { params: { path: { id: endpointId, delivery_id: deliveryId } } })),
    onSuccess: (_delivery, { endpointId }) => queryClient.invalidateQueries({ queryKey: settingsKeys.deliveries(endpointId) }),
  });
}
