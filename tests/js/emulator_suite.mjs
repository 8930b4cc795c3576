// An app on the official Firebase JS SDK, pointed at the local backend as the README says:
// connectAuthEmulator for sign-in, connectFunctionsEmulator for the callables. It signs in
// anonymously and with email/password, calls callables and catches FunctionsErrors, then prints
// what it saw as one JSON line for tests/devsuite/test_js_sdk.py to check.
//
//   PROJECT_ID=demo-test AUTH_EMULATOR=127.0.0.1:9099 FUNCTIONS_EMULATOR=127.0.0.1:8080 \
//     REGION=europe-west1 node emulator_suite.mjs
import { initializeApp } from "firebase/app";
import {
  connectAuthEmulator,
  createUserWithEmailAndPassword,
  getAuth,
  signInAnonymously,
  signInWithEmailAndPassword,
  signOut,
} from "firebase/auth";
import { connectFunctionsEmulator, getFunctions, httpsCallable } from "firebase/functions";

const { PROJECT_ID, AUTH_EMULATOR, FUNCTIONS_EMULATOR, REGION = "us-central1" } = process.env;
const [functionsHost, functionsPort] = FUNCTIONS_EMULATOR.split(":");

const app = initializeApp({ projectId: PROJECT_ID, apiKey: "demo-api-key", appId: "1:1:web:1" });
const auth = getAuth(app);
connectAuthEmulator(auth, `http://${AUTH_EMULATOR}`, { disableWarnings: true });
const functions = getFunctions(app, REGION);
connectFunctionsEmulator(functions, functionsHost, Number(functionsPort));

// What a call answers: its data, or the FunctionsError's code, message and details.
async function call(name, data) {
  try {
    const result = await httpsCallable(functions, name)(data);
    return { data: result.data };
  } catch (error) {
    if (error?.name !== "FirebaseError" || !String(error.code).startsWith("functions/")) throw error;
    return { error: { code: error.code, message: error.message, details: error.details ?? null } };
  }
}

const seen = {};

const anonymous = await signInAnonymously(auth);
seen.anonymous = {
  uid: anonymous.user.uid,
  isAnonymous: anonymous.user.isAnonymous,
  health: await call("health", {}),
  wallet: await call("wallet_get", {}),
  badArgument: await call("session_start", { pledge: "five" }),
  notEnoughCredits: await call("session_start", {
    pledge: 5,
    durationMinutes: 30,
    idempotencyKey: "js-sdk-1",
  }),
  adminOnly: await call("admin_user_stats", { uid: anonymous.user.uid }),
  missingFunction: await call("no_such_function", {}),
};

await signOut(auth);
seen.signedOut = { health: await call("health", {}) };

const email = `js-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
const created = await createUserWithEmailAndPassword(auth, email, "secret-123");
await signOut(auth);
const signedIn = await signInWithEmailAndPassword(auth, email, "secret-123");
seen.email = {
  createdUid: created.user.uid,
  uid: signedIn.user.uid,
  email: signedIn.user.email,
  health: await call("health", {}),
};

console.log(JSON.stringify(seen));
process.exit(0); // the SDK keeps timers (token refresh) alive
