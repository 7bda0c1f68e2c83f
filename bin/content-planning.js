#!/usr/bin/env node
// The `content-planning` command. The project runs from its TypeScript
// sources (no build step), so this registers tsx's loader and then imports
// the real entry point, src/cli/main.ts.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
await import('../src/cli/main.ts');
