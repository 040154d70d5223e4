// npm run vectors:rust — writes clients/rust/tests/vectors.json from the service's signing code.
import { writeFileSync } from "node:fs";
import { buildVectors, serializeVectors } from "../tools/rust/vectors";

const path = new URL("../clients/rust/tests/vectors.json", import.meta.url);
writeFileSync(path, serializeVectors(await buildVectors()));
console.log(`wrote ${path.pathname}`);
