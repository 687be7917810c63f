import { REDACTED } from "./redact";

/**
 * Paths whose last segment is a capability (a signed media URL, a share link's token): anyone
 * holding the path can use it, so access logs keep the route and drop the segment.
 */
const CAPABILITY_PATH = /^(\/api\/v1\/(?:media|public\/shares))\/[^/]+/;

export const redactCapabilityPath = (pathname: string): string => pathname.replace(CAPABILITY_PATH, `$1/${REDACTED}`);
