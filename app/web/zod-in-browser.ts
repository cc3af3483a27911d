// Zod compiles fast object parsers with `new Function` where it may. In the browser the Content-
// Security-Policy forbids it (no 'unsafe-eval'), and zod's probe for it, though caught, is still
// reported as a violation: in the browser, tell zod not to try. The server keeps the fast parsers.
import { config } from "zod/v4/core";

if (typeof document !== "undefined") config({ jitless: true });
