import ipaddr from "ipaddr.js";

/**
 * The one outbound URL policy (guarantee 7): every URL a tenant can influence (Zoom download URLs,
 * URL imports, credential base URLs, every redirect hop, future notification endpoints) is checked
 * here before anything connects to it. Pure: no I/O, no DNS (Workers cannot resolve names, so a
 * public name that resolves to a private address is left to the platform's egress).
 */

/** Which rule refused a URL (stable: API error details and tests name it). */
export type OutboundRule =
  | "invalid_url"
  | "scheme"
  | "userinfo"
  | "ip_address"
  | "local_name"
  | "trailing_dot"
  | "single_label"
  | "host_not_allowed"
  | "redirect_limit"
  | "redirect_location";

export class OutboundUrlRefused extends Error {
  override name = "OutboundUrlRefused";
  constructor(
    readonly rule: OutboundRule,
    /** The refused host (empty when the URL did not parse). */
    readonly host: string,
    /** The reason alone, without the "URL refused: " prefix. */
    readonly reason: string,
  ) {
    super(`URL refused: ${reason}`);
  }
}

export interface OutboundPolicy {
  /** Hosts (patterns, see hostMatches) that may be reached over plain http. */
  readonly httpAllowHosts: readonly string[];
  /**
   * Whether the http allow-listed hosts also skip the address and name rules (so local development
   * can point at a fake on 127.0.0.1). Never in production, where listed hosts stay public hosts.
   */
  readonly trustHttpAllowHosts: boolean;
}

/** No exceptions: https to public hosts only. Used where no configuration is at hand (stored payload schemas). */
export const STRICT_OUTBOUND_POLICY: OutboundPolicy = { httpAllowHosts: [], trustHttpAllowHosts: false };

/** A comma list of host patterns (`example.com`, `*.example.com`), lower-cased, blanks dropped. */
export function parseHostList(list: string): string[] {
  return list
    .split(",")
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
}

export function outboundPolicyFrom(config: { OUTBOUND_HTTP_ALLOW_HOSTS: string; ENVIRONMENT: string }): OutboundPolicy {
  return { httpAllowHosts: parseHostList(config.OUTBOUND_HTTP_ALLOW_HOSTS), trustHttpAllowHosts: config.ENVIRONMENT !== "production" };
}

/**
 * Whether a URL host matches one of the patterns: `zoom.us` matches only itself, `*.zoom.us` any
 * name below it (not `zoom.us` itself). A pattern may carry a port (`localhost:8788`) to match
 * only that port of the host.
 */
export function hostMatches(url: URL, patterns: readonly string[]): boolean {
  const host = url.hostname.toLowerCase();
  const withPort = url.port ? `${host}:${url.port}` : host;
  return patterns.some((pattern) => {
    if (pattern.startsWith("*.")) return host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1;
    return pattern === host || pattern === withPort;
  });
}

/**
 * Top-level names that only ever mean something inside a network (RFC 6761/6762/8375, ICANN's
 * never-delegated names, cloud and cluster DNS): `metadata.google.internal`, `printer.local`,
 * `router.home.arpa`, `api.default.svc`, …
 */
const LOCAL_SUFFIXES = ["localhost", "localdomain", "local", "internal", "intranet", "lan", "home", "corp", "private", "arpa", "svc"];

const RANGE_WORDS: Record<string, string> = {
  private: "a private address",
  uniqueLocal: "a private (unique local) address",
  loopback: "a loopback address",
  linkLocal: "a link-local address (cloud metadata lives there)",
  carrierGradeNat: "a shared carrier-grade NAT address",
  unspecified: "an unspecified address",
  broadcast: "a broadcast address",
  multicast: "a multicast address",
  reserved: "a reserved address",
  ipv4Mapped: "an IPv4-mapped address",
  rfc6145: "an IPv4-translated address",
  rfc6052: "a NAT64 address (it embeds an IPv4 address)",
  "6to4": "a 6to4 address (it embeds an IPv4 address)",
  teredo: "a Teredo address (it embeds an IPv4 address)",
};

/** IPv6 global unicast is 2000::/3; everything outside it (IPv4-compatible ::a.b.c.d included) is refused. */
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR("2000::/3");

/** Why an IP literal host may not be reached, or null for a global unicast address. */
function addressProblem(literal: string): string | null {
  let address: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    // process() turns ::ffff:a.b.c.d back into the IPv4 address it really reaches.
    address = ipaddr.process(literal);
  } catch {
    return "an address that cannot be parsed";
  }
  const range = address.range();
  if (range === "unicast" && (address.kind() === "ipv4" || address.match(GLOBAL_UNICAST_V6))) return null;
  return RANGE_WORDS[range] ?? `not a global unicast address (${range === "unicast" ? "outside 2000::/3" : range})`;
}

/** The WHATWG parser already turns 2130706433, 0177.0.0.1, 0x7f.1 and 127.1 into dotted form; ipaddr catches any it leaves. */
const NUMERIC_LABEL = /^(?:0x[0-9a-f]*|\d+)$/i;

function hostProblem(url: URL): OutboundUrlRefused | null {
  const host = url.hostname.toLowerCase();
  const refuse = (rule: OutboundRule, words: string) => new OutboundUrlRefused(rule, host, `host ${host} ${words}`);
  if (!host) return new OutboundUrlRefused("invalid_url", host, "the URL has no host");
  if (host.startsWith("[")) {
    const problem = addressProblem(host.slice(1, -1));
    return problem ? refuse("ip_address", `is ${problem}`) : null;
  }
  const bare = host.endsWith(".") ? host.slice(0, -1) : host;
  if (ipaddr.IPv4.isValid(bare) || NUMERIC_LABEL.test(bare.split(".").pop() ?? "")) {
    const problem = ipaddr.IPv4.isValid(bare) ? addressProblem(bare) : "a numeric name that is not an address";
    return problem ? refuse("ip_address", `is ${problem}`) : null;
  }
  const labels = bare.split(".");
  const local = LOCAL_SUFFIXES.find((suffix) => bare === suffix || bare.endsWith(`.${suffix}`));
  if (local) return refuse("local_name", `is a local name (.${local} names only exist inside a network)`);
  if (host.endsWith(".")) return refuse("trailing_dot", "ends with a dot; write the name without it");
  if (labels.length < 2 || labels.some((l) => l === "")) return refuse("single_label", "is not a public host name (it has a single label)");
  return null;
}

/** Why a URL may not be fetched (the refusal to throw), or null when it may. */
export function outboundRefusal(raw: string | URL, policy: OutboundPolicy): OutboundUrlRefused | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return new OutboundUrlRefused("invalid_url", "", "it is not a valid absolute URL");
  }
  const host = url.hostname.toLowerCase();
  const listed = policy.httpAllowHosts.length > 0 && hostMatches(url, policy.httpAllowHosts);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && listed)) {
    const got = `${url.protocol.replace(/:$/, "")}${host ? ` for host ${host}` : ""}`;
    return new OutboundUrlRefused("scheme", host, `only https URLs are allowed (got ${got})`);
  }
  // Credentials in the URL would be stored, shown and sent to every hop.
  if (url.username || url.password) return new OutboundUrlRefused("userinfo", host, "the URL must not carry a user name or password");
  if (listed && policy.trustHttpAllowHosts) return null;
  return hostProblem(url);
}

/** The parsed URL when the policy allows it; throws OutboundUrlRefused naming the rule otherwise. */
export function assertAllowedUrl(raw: string | URL, policy: OutboundPolicy): URL {
  const refusal = outboundRefusal(raw, policy);
  if (refusal) throw refusal;
  return new URL(raw);
}
