import { ConfigError, loadConfig, type AppConfig } from "./config";
import { base64UrlToBytes, utf8 } from "./encoding";
import { log } from "./logger";

/**
 * Secrets that are published in this repository (.dev.vars.example, the test configuration), so
 * anyone can forge tokens or open credentials sealed with them. Fine locally, never in production.
 */
const PUBLIC_JWT_SECRETS = new Set([
  "local-development-secret-change-me-0123456789",
  "test-secret-0123456789-0123456789-abcdef",
]);
const PUBLIC_KEY_MATERIAL = new Set(
  [
    "q2Y6mX0p3Jb1k9Qv7Tn4Rz8Lc5Wg2Hs6Ud0Fa1Ee3Io=",
    "Lcv6O1Vx7g8d00d1h6L6eecUcIYaaR5vGh2Km8pnWxk=",
    "B3ePsGVh6yTPGBYZxkirySi7f4nnl5V5Kgf6PGiuLek=",
  ].map(normaliseBase64),
);
const MIN_JWT_SECRET_BYTES = 32;

export interface ConfigSafety {
  /** The parsed configuration; null when it does not parse. */
  config: AppConfig | null;
  /** Why the Worker must not serve (empty when it may). Names variables, never their values. */
  problems: readonly string[];
}

function normaliseBase64(value: string): string {
  return value.trim().replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function encryptionKeyProblems(encryptionKeys: string): string[] {
  const entries = encryptionKeys.split(",").map((e) => e.trim()).filter(Boolean);
  if (entries.length === 0) return ["ENCRYPTION_KEYS is not set, so credentials cannot be encrypted at rest"];
  const problems: string[] = [];
  entries.forEach((entry, index) => {
    const [id, material, extra] = entry.split(":");
    let bytes = 0;
    try {
      bytes = material ? base64UrlToBytes(normaliseBase64(material)).byteLength : 0;
    } catch {
      bytes = 0;
    }
    if (!id || extra !== undefined || bytes !== 32) {
      problems.push(`ENCRYPTION_KEYS entry ${index + 1} is not keyId:base64(32 bytes)`);
    } else if (PUBLIC_KEY_MATERIAL.has(normaliseBase64(material!))) {
      problems.push(`ENCRYPTION_KEYS entry ${index + 1} (key id "${id}") is a key published in this repository`);
    }
  });
  return problems;
}

function productionProblems(config: AppConfig): string[] {
  const problems: string[] = [];
  if (PUBLIC_JWT_SECRETS.has(config.JWT_SECRET.trim())) problems.push("JWT_SECRET is a value published in this repository");
  if (utf8.encode(config.JWT_SECRET).byteLength < MIN_JWT_SECRET_BYTES) problems.push(`JWT_SECRET is shorter than ${MIN_JWT_SECRET_BYTES} bytes`);
  problems.push(...encryptionKeyProblems(config.ENCRYPTION_KEYS));
  return problems;
}

function evaluate(env: object): ConfigSafety {
  let config: AppConfig;
  try {
    config = loadConfig(env);
  } catch (error) {
    // A configuration that does not parse is unsafe anywhere (a short JWT_SECRET lands here too).
    if (error instanceof ConfigError) return { config: null, problems: error.issues };
    throw error;
  }
  return { config, problems: config.ENVIRONMENT === "production" ? productionProblems(config) : [] };
}

const cache = new WeakMap<object, ConfigSafety>();

/**
 * Whether this Worker may serve with its configuration: evaluated once per `env` object (once per
 * isolate in production). In production the published example secrets, a JWT secret under 32
 * bytes and missing or malformed encryption keys are refused; anywhere, a configuration that does
 * not parse is refused.
 */
export function configSafety(env: object): ConfigSafety {
  let safety = cache.get(env);
  if (!safety) {
    safety = evaluate(env);
    cache.set(env, safety);
    if (safety.problems.length > 0) log.error("unsafe configuration: refusing to serve", { problems: safety.problems });
  }
  return safety;
}

/** How long queue messages wait before a retry while the configuration is unsafe. */
export const UNSAFE_CONFIG_RETRY_SECONDS = 3_600;

/** For the queue and cron entry points: logs why, and says whether to skip the work. */
export function refusesToWork(env: object, entry: "queue" | "scheduled"): boolean {
  const { problems } = configSafety(env);
  if (problems.length === 0) return false;
  log.error(`unsafe configuration: ${entry} handler does no work`, { problems });
  return true;
}
