// Key rotation, step 2 of 3 (see README "Rotating the encryption key"): re-seals every credential
// with the newest key by calling the admin endpoint until nothing is left.
// Usage: API_URL=https://api.example.edu ADMIN_TOKEN=<admin access token> npm run credentials:reencrypt
const base = process.env.API_URL ?? "http://127.0.0.1:8787";
const token = process.env.ADMIN_TOKEN;
if (!token) {
  console.error("ADMIN_TOKEN (an admin's access token) is required");
  process.exit(2);
}
let total = 0;
for (;;) {
  const response = await fetch(`${base}/api/v1/admin/credentials/reencrypt?limit=500`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
  });
  if (!response.ok) {
    console.error(`re-encryption failed: ${response.status} ${await response.text()}`);
    process.exit(1);
  }
  const { resealed, remaining } = await response.json();
  total += resealed;
  console.log(`re-sealed ${resealed} (total ${total}), ${remaining} left`);
  if (remaining === 0) break;
  if (resealed === 0) {
    console.error(`${remaining} credential(s) use a key that is no longer in ENCRYPTION_KEYS; see the logs`);
    process.exit(1);
  }
}
