// Drives the running backend with the official Firebase JS SDK (firebase@12, pinned in
// package.json), as an app would: Auth emulator sign-in, httpsCallableFromURL, App Check.
// Usage: node callable.mjs <backend base URL> <Auth emulator host:port>
// APP_CHECK_TOKEN (env) is the App Check token the custom provider hands out.
// Prints one JSON line: what each call answered.
import { initializeApp } from "firebase/app";
import { initializeAppCheck, CustomProvider } from "firebase/app-check";
import { connectAuthEmulator, createUserWithEmailAndPassword, getAuth, signInWithEmailAndPassword } from "firebase/auth";
import { getFunctions, httpsCallableFromURL } from "firebase/functions";

const [base, authHost] = process.argv.slice(2);
const config = { apiKey: "fake-api-key", projectId: "demo-test", appId: "1:123456789012:web:0123abcd" };
const email = `js${Date.now()}@example.com`;
const password = "secret-123";

function signedInApp(name) {
  const app = initializeApp(config, name);
  const auth = getAuth(app);
  connectAuthEmulator(auth, `http://${authHost}`, { disableWarnings: true });
  return { app, auth, functions: getFunctions(app) };
}

const call = (functions, name, options) => httpsCallableFromURL(functions, `${base}/${name}`, options);

async function outcome(promise) {
  try {
    return { result: (await promise).data };
  } catch (e) {
    return { error: { code: e.code, message: e.message, details: e.details ?? null } };
  }
}

const plain = signedInApp("plain");
const user = (await createUserWithEmailAndPassword(plain.auth, email, password)).user;
const out = { uid: user.uid };

out.noArgument = await outcome(call(plain.functions, "health")());
out.withData = await outcome(
  call(plain.functions, "device_register")({ deviceId: "js-phone", name: "JS phone", platform: "web" }),
);
out.invalid = await outcome(call(plain.functions, "session_start")({ pledge: "ten" }));
out.appCheckMissing = await outcome(call(plain.functions, "wallet_get")());

const checked = signedInApp("checked");
initializeAppCheck(checked.app, {
  provider: new CustomProvider({
    getToken: async () => ({ token: process.env.APP_CHECK_TOKEN, expireTimeMillis: Date.now() + 3_600_000 }),
  }),
  isTokenAutoRefreshEnabled: false,
});
await signInWithEmailAndPassword(checked.auth, email, password);
out.appCheck = await outcome(call(checked.functions, "wallet_get")());
out.appCheckLimitedUse = await outcome(call(checked.functions, "wallet_get", { limitedUseAppCheckTokens: true })());

// Firebase keeps revocation times in whole seconds: let this sign-in's second pass first.
await new Promise((resolve) => setTimeout(resolve, 1100));
out.signOut = await outcome(call(plain.functions, "sign_out_everywhere")());
out.afterSignOut = await outcome(call(plain.functions, "health")());

console.log(JSON.stringify(out));
process.exit(0);
