// Vite's `?raw` imports: a source file as text (used to assert how security-critical code is written).
declare module "*?raw" {
  const source: string;
  export default source;
}
