import { Alert, Button, Center, Group, Loader } from "@mantine/core";
import type { ReactNode } from "react";
import { useI18n } from "../i18n/i18n-provider";
import { ApiError } from "../lib/api-error";
import { NotFound } from "./not-found";

interface Props<T> {
  query: { data: T | undefined; error: Error | null; isPending: boolean; refetch: () => unknown };
  children: (data: T) => ReactNode;
}

/** Loading, error (404 as the not-found page) and data states of one query, the same everywhere. */
export function QueryState<T>({ query, children }: Props<T>) {
  const { t } = useI18n();
  if (query.error) {
    if (query.error instanceof ApiError && query.error.status === 404) return <NotFound />;
    return <ErrorAlert error={query.error} onRetry={() => query.refetch()} />;
  }
  if (query.isPending || query.data === undefined) {
    return (
      <Center py="xl">
        <Loader role="status" aria-label={t.app.loading} />
      </Center>
    );
  }
  return <>{children(query.data)}</>;
}

export function ErrorAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  const message = error instanceof ApiError ? (error.status === 0 ? t.app.networkError : error.message) : t.app.genericError;
  return (
    <Alert color="red" role="alert" title={t.app.genericError}>
      <Group justify="space-between">
        <span>{message}</span>
        {onRetry && (
          <Button variant="white" color="red" size="xs" onClick={onRetry}>
            {t.app.retry}
          </Button>
        )}
      </Group>
    </Alert>
  );
}
