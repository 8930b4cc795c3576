// Renders the client types of the contract with quicktype-core (pinned in tests/js, run
// offline from its node_modules): reads {"definitions": {...}} on stdin, prints
// {"typescript": "...", "swift": "...", "kotlin": "..."} on stdout.
//   node shared/contract/quicktype.mjs <tests/js directory>
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(join(process.argv[2], "package.json"));
const { quicktype, InputData, JSONSchemaInput, FetchingJSONSchemaStore } = require("quicktype-core");

const LANGUAGES = {
  typescript: {
    "just-types": "true",
    "prefer-unions": "true",
    "prefer-unknown": "true",
    "acronym-style": "original",
  },
  swift: { "access-level": "public", "acronym-style": "original" },
  kotlin: { framework: "kotlinx", package: "contract", "acronym-style": "original" },
};

let text = "";
for await (const chunk of process.stdin) text += chunk;
const input = new JSONSchemaInput(new FetchingJSONSchemaStore());
// A trailing "/" makes every definition a top-level type, named after its key.
await input.addSource({ name: "Contract", schema: text, uris: ["contract.json#/definitions/"] });
const inputData = new InputData();
inputData.addInput(input);

const out = {};
for (const [lang, rendererOptions] of Object.entries(LANGUAGES)) {
  const result = await quicktype({ inputData, lang, rendererOptions, combineClasses: false });
  out[lang] = result.lines.join("\n") + "\n";
}
process.stdout.write(JSON.stringify(out) + "\n");
