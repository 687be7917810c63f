import { AwsClient } from "aws4fetch";
import type { AppConfig } from "./config";

/** True when R2's S3 endpoint and a key pair are configured, so presigned URLs can be made. */
export const canPresign = (config: AppConfig) => config.R2_ACCESS_KEY_ID !== "" && config.R2_SECRET_ACCESS_KEY !== "";

/**
 * A short-lived presigned GET URL of an R2 object (SigV4 query signing with aws4fetch, region
 * `auto`, service `s3`): how audio reaches providers that fetch by URL, with no public bucket.
 */
export async function presignGet(config: AppConfig, key: string, ttlSeconds = config.PRESIGNED_URL_TTL_SECONDS, datetime?: string): Promise<string> {
  const client = new AwsClient({ accessKeyId: config.R2_ACCESS_KEY_ID, secretAccessKey: config.R2_SECRET_ACCESS_KEY, service: "s3", region: "auto" });
  const path = `${config.R2_BUCKET_NAME}/${key}`.split("/").map(encodeURIComponent).join("/");
  const url = new URL(`${config.R2_S3_ENDPOINT.replace(/\/$/, "")}/${path}`);
  url.searchParams.set("X-Amz-Expires", String(ttlSeconds));
  const signed = await client.sign(new Request(url, { method: "GET" }), { aws: { signQuery: true, ...(datetime ? { datetime } : {}) } });
  return signed.url;
}
