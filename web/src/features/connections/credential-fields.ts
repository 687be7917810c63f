import type { CredentialPlatform } from "./api/connections-queries";

/** The key-based platforms a form can add (the OAuth ones connect through their provider). */
export const KEY_PLATFORMS = ["zoom", "openai", "assemblyai", "fireworks", "deepseek"] as const satisfies readonly CredentialPlatform[];
export type KeyPlatform = (typeof KEY_PLATFORMS)[number];

export type FieldName = "account_id" | "client_id" | "client_secret" | "webhook_secret_token" | "api_key" | "base_url" | "model";

export interface FieldSpec {
  name: FieldName;
  /** Shorter values are refused by the API (platform-payloads.ts); 0 = optional. */
  min: number;
  required: boolean;
  secret: boolean;
}

const apiKey: FieldSpec[] = [
  { name: "api_key", min: 10, required: true, secret: true },
  { name: "base_url", min: 0, required: false, secret: false },
  { name: "model", min: 0, required: false, secret: false },
];

/** The fields of each platform's payload, with the API's length rules. */
export const FIELDS: Record<KeyPlatform, FieldSpec[]> = {
  zoom: [
    { name: "account_id", min: 5, required: true, secret: false },
    { name: "client_id", min: 5, required: true, secret: false },
    { name: "client_secret", min: 10, required: true, secret: true },
    { name: "webhook_secret_token", min: 8, required: false, secret: true },
  ],
  openai: apiKey,
  assemblyai: apiKey,
  deepseek: apiKey,
  fireworks: [apiKey[0]!, { name: "account_id", min: 0, required: false, secret: false }, apiKey[2]!],
};

/** The payload to send: trimmed values, empty optional fields left out. */
export function payloadOf(platform: KeyPlatform, values: Partial<Record<FieldName, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of FIELDS[platform]) {
    const value = values[field.name]?.trim() ?? "";
    if (value !== "") out[field.name] = value;
  }
  return out;
}

/** Which fields break the API's rules (missing or too short), before anything is sent. */
export interface FieldProblem {
  name: FieldName;
  min: number;
  missing: boolean;
}

export function invalidFields(platform: KeyPlatform, values: Partial<Record<FieldName, string>>): FieldProblem[] {
  return FIELDS[platform].flatMap((field): FieldProblem[] => {
    const value = values[field.name]?.trim() ?? "";
    if (value === "") return field.required ? [{ name: field.name, min: field.min, missing: true }] : [];
    return value.length < field.min ? [{ name: field.name, min: field.min, missing: false }] : [];
  });
}
