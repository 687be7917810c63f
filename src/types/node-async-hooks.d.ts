// The one Node API we use (through `nodejs_compat`). Declared here instead of pulling all of
// @types/node into a Workers project, where its globals would shadow the Workers ones.
declare module "node:async_hooks" {
  export class AsyncLocalStorage<T> {
    getStore(): T | undefined;
    run<R>(store: T, callback: () => R): R;
  }
}
