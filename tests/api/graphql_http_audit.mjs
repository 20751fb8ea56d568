// graphql-http's server audits (the GraphQL over HTTP spec) against a running server:
//   node tests/api/graphql_http_audit.mjs http://127.0.0.1:8000/graphql
// The token in SALON_AUDIT_TOKEN goes on every request, as a signed-in client sends it.
// Prints one line per audit (ok, warn or error with the reason) and, last, a JSON summary
// {"ok": n, "warn": n, "error": n, …}; exits 1 on any error or warning.
import { serverAudits } from "graphql-http";

const url = process.argv[2];
if (!url) {
  console.error("usage: node graphql_http_audit.mjs <graphql url>");
  process.exit(2);
}
const token = process.env.SALON_AUDIT_TOKEN;

function signedFetch(input, init = {}) {
  const headers = new Headers(init.headers);
  if (token) headers.set("authorization", `Bearer ${token}`);
  return fetch(input, { ...init, headers });
}

const counts = { ok: 0, warn: 0, error: 0 };
for (const audit of serverAudits({ url, fetchFn: signedFetch })) {
  const result = await audit.fn();
  counts[result.status] = (counts[result.status] || 0) + 1;
  const reason = result.status === "ok" ? "" : ` — ${result.reason}`;
  console.log(`${result.status.toUpperCase().padEnd(5)} ${audit.id} ${audit.name}${reason}`);
  if (result.response && result.response.body && !result.response.bodyUsed) {
    await result.response.body.cancel(); // no open streams left behind
  }
}
console.log(JSON.stringify(counts));
process.exit(counts.warn || counts.error ? 1 : 0);
