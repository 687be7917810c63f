/** An access token of a stored credential that can be refreshed (what `oauthTokenSource` returns). */
export interface TokenSource {
  token(): Promise<string>;
  /** Drops the cached token after the provider refused it; the next `token()` refreshes. */
  invalidate(): void;
}
