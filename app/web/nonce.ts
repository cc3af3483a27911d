// The Content-Security-Policy nonce of the document being rendered: entry.server.tsx makes one per
// request and provides it; root.tsx gives it to Remix's inline scripts. In the browser it is empty
// (the browser hides nonces from the DOM, and scripts rendered after hydration need none).
import { createContext, useContext } from "react";

export const NonceContext = createContext("");

export function useNonce(): string {
  return useContext(NonceContext);
}
