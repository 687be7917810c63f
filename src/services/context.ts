import { getDb, type Database } from "../db/client";
import { loadConfig, type AppConfig } from "../lib/config";
import { systemClock, type Clock } from "../lib/clock";

/** What a service needs from the outside world; tests build one with a fixed clock. */
export interface ServiceContext {
  env: Env;
  db: Database;
  config: AppConfig;
  clock: Clock;
}

export function serviceContext(env: Env, clock: Clock = systemClock): ServiceContext {
  return { env, db: getDb(env.DB), config: loadConfig(env), clock };
}
