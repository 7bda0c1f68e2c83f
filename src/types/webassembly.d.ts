// The slice of the WebAssembly global that the schema engine loader uses;
// Node 20's type definitions leave it out.
declare namespace WebAssembly {
  type ModuleImports = Record<string, unknown>;
  type Exports = Record<string, unknown>;
  interface Instance {
    readonly exports: Exports;
  }
  function instantiate(bytes: Uint8Array, imports?: Record<string, ModuleImports>): Promise<{ instance: Instance }>;
}
