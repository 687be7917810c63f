/**
 * A D1 binding seen through one Sessions API session: every statement and batch goes through the
 * session (sequentially consistent, served by the nearest replica that is at least as fresh as
 * the session's bookmark; writes always go to the primary). drizzle needs only `prepare` and
 * `batch`; the rest delegate to the binding itself.
 */
export class SessionDatabase implements D1Database {
  constructor(
    private readonly binding: D1Database,
    readonly session: D1DatabaseSession,
    /** The bookmark the client sent (what it has seen of the database), or null. */
    readonly requestBookmark: string | null = null,
  ) {}

  prepare(query: string): D1PreparedStatement {
    return this.session.prepare(query);
  }

  batch<T = unknown>(statements: D1PreparedStatement[]): Promise<D1Result<T>[]> {
    return this.session.batch<T>(statements);
  }

  /** Outside the session (D1 has no session `exec`); nothing on a request path uses it. */
  exec(query: string): Promise<D1ExecResult> {
    return this.binding.exec(query);
  }

  withSession(constraintOrBookmark?: string): D1DatabaseSession {
    return this.binding.withSession(constraintOrBookmark);
  }

  dump(): Promise<ArrayBuffer> {
    return this.binding.dump();
  }

  /** The newest bookmark the session has seen, for the client to send back next time. */
  bookmark(): string | null {
    return this.session.getBookmark();
  }
}
