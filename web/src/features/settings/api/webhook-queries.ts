import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { components } from "../../../api/schema";
import { api, unwrap } from "../../../lib/api-client";
import { settingsKeys } from "./settings-queries";

export type WebhookEndpoint = components["schemas"]["WebhookEndpoint"];
export type WebhookEndpointCreate = components["schemas"]["WebhookEndpointCreate"];
export type WebhookEndpointUpdate = components["schemas"]["WebhookEndpointUpdate"];
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

/** Changes an endpoint's URL, events, description, or turns it on or off. */
export function useUpdateWebhookEndpoint() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: WebhookEndpointUpdate }) => unwrap(api.PATCH("/api/v1/webhooks/endpoints/{id}", { ...byId(id), body })),
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

/** Page size of the delivery log: newest first; older pages come by the API's cursor (`next_before`). */
const DELIVERIES_PAGE = 20;

export function useWebhookDeliveries(endpointId: string) {
  return useInfiniteQuery({
    queryKey: settingsKeys.deliveries(endpointId),
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/v1/webhooks/endpoints/{id}/deliveries", {
          params: { path: { id: endpointId }, query: { limit: DELIVERIES_PAGE, ...(pageParam ? { before: pageParam } : {}) } },
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_before,
    select: (data) => data.pages.flatMap((page) => page.items),
    // A queued delivery is attempted in the background: look again until none is pending.
    refetchInterval: (query) => (query.state.data?.pages.some((page) => page.items.some((d) => d.status === "PENDING")) ? 2000 : false),
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
