// One typed call through the generated client (contract/typescript/client.ts) with the
// official Firebase JS SDK. Compiled by tests/contract/test_typescript.py with tsc --strict.
//   node <out>/tests/js/contract-call.js <dev server URL> <ID token>
import { initializeApp } from "firebase/app";
import { getFunctions } from "firebase/functions";
import { createClient, type CallResult } from "../../contract/typescript/client.js";

declare const process: { argv: string[] }; // no @types/node needed for this one use
const [serverUrl, token] = process.argv.slice(2);

// The dev server accepts tokens of ./dev token; with no Auth emulator signed in, the token is
// added to the SDK's own request here (the Auth emulator route is the emulator issue's).
const sdkFetch = globalThis.fetch;
globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
  const headers = new Headers(init?.headers);
  headers.set("Authorization", `Bearer ${token}`);
  return sdkFetch(input, { ...init, headers });
};

const app = initializeApp({ projectId: "demo-contract", apiKey: "demo" });
const client = createClient(getFunctions(app), { urlOf: (name) => `${serverUrl}/${name}` });

const started: CallResult<"session_start"> = await client.session_start({
  pledge: 5,
  durationMinutes: 30,
  idempotencyKey: "contract-call-1",
});
// The typed union: each branch narrows the error to its own details.
let refused: string | null = null;
if (!started.ok) {
  const error = started.error;
  if (error.code === "ERR_4001") {
    refused = `${error.code}: ${String(error.details.required)} > ${String(error.details.available)}`;
  } else {
    refused = `${error.code}: ${error.message}`;
  }
}
const wallet = await client.wallet_get();
const health = await client.health();
console.log(
  JSON.stringify({
    refused,
    credits: wallet.ok ? wallet.data.credits : wallet.error,
    uid: health.ok ? health.data.uid : health.error,
  }),
);
