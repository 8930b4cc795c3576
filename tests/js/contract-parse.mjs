// Parses the generated Swift and Kotlin sources with tree-sitter's grammars (web-tree-sitter
// and the prebuilt grammars of tree-sitter-wasms, pinned in package.json): no Swift or Kotlin
// compiler runs on our machines. Prints, per file, whether it parsed and the type names found.
//   node contract-parse.mjs swift:<file> kotlin:<file> ...
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

const require = createRequire(import.meta.url);
const Parser = require("web-tree-sitter");

// Declarations whose name is a type (structs, classes, enums; Swift's enum is a class_declaration).
const TYPE_NODES = new Set(["class_declaration", "object_declaration", "protocol_declaration"]);

function errors(node, found = []) {
  if (node.type === "ERROR" || node.isMissing()) {
    found.push(`${node.startPosition.row + 1}:${node.startPosition.column + 1} ${node.type}`);
  }
  for (const child of node.children) errors(child, found);
  return found;
}

function typeNames(node, found = []) {
  if (TYPE_NODES.has(node.type)) {
    const name = node.children.find((c) => c.type === "type_identifier" || c.type === "simple_identifier");
    if (name) found.push(name.text);
  }
  for (const child of node.children) typeNames(child, found);
  return found;
}

await Parser.init();
const out = {};
for (const arg of process.argv.slice(2)) {
  const [language, file] = [arg.slice(0, arg.indexOf(":")), arg.slice(arg.indexOf(":") + 1)];
  const parser = new Parser();
  parser.setLanguage(
    await Parser.Language.load(require.resolve(`tree-sitter-wasms/out/tree-sitter-${language}.wasm`)),
  );
  const tree = parser.parse(readFileSync(file, "utf8"));
  out[file] = { errors: errors(tree.rootNode).slice(0, 10), types: typeNames(tree.rootNode).sort() };
}
console.log(JSON.stringify(out));
