import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generate } from '@graphql-codegen/cli';
import { buildSchema, isScalarType, specifiedScalarTypes } from 'graphql';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoWorkspace } from '../src/demo/demo.js';
import config from './client/codegen.js';
import { startTestApp, type TestApp } from './support/app.js';

/**
 * docs/typed-client.md as an integrator follows it: GraphQL Code Generator
 * with the doc's configuration over the committed schema.graphql, the
 * client type-checked with the options `tsc --init` writes, then run
 * against a server on the demo workspace.
 */
const CLIENT = 'test/client';
const GENERATED = join(CLIENT, 'generated');
const DOC = 'docs/typed-client.md';

// What the test uses of website.ts: imported at run time, after generation,
// since the module needs the generated code (its own types are checked below).
interface WebsiteClient {
  createClient(options: { endpoint: string; key: string; fetch?: (url: string, init: RequestInit) => Promise<Response> }): unknown;
  teasersFor(send: unknown, visitor: { segment: string; phase: string; channel: string; locale?: string }): Promise<{
    teasers: { title: string; url: string | null; format: string; publishedAt: Date | null; why: string }[];
    alert: string | null;
  }>;
  ApiError: new (...args: never[]) => ApiError;
}

interface ApiError extends Error {
  status: number;
  errors: { message: string; code: string | undefined }[];
}

let app: TestApp;
beforeAll(async () => {
  rmSync(GENERATED, { recursive: true, force: true });
  await generate({ ...config, cwd: resolve(CLIENT) }, true);
  app = await startTestApp();
  await loadDemoWorkspace(app.database);
}, 120_000);
afterAll(() => app?.close());

describe('typed client', () => {
  it('docs/typed-client.md shows the client\'s files exactly as they are', () => {
    const shown = [...readFileSync(DOC, 'utf8').matchAll(/<!-- file: (\S+) -->\s*```\w*\n([\s\S]*?)```/g)];
    expect(shown.map((m) => m[1])).toEqual(
      expect.arrayContaining([`${CLIENT}/codegen.ts`, `${CLIENT}/website.ts`, `${CLIENT}/tsconfig.json`, `${CLIENT}/operations/WebsiteTeasers.graphql`]),
    );
    for (const [, file, text] of shown) expect(text, file).toBe(readFileSync(file as string, 'utf8'));
  });

  it('maps every custom scalar of schema.graphql', () => {
    const schema = buildSchema(readFileSync('schema.graphql', 'utf8'));
    const builtIn = new Set(specifiedScalarTypes.map((t) => t.name));
    const custom = Object.values(schema.getTypeMap()).filter((t) => isScalarType(t) && !builtIn.has(t.name) && !t.name.startsWith('__'));
    const generated = config.generates['generated/'] as { config: { scalars: Record<string, string> } };
    expect(Object.keys(generated.config.scalars).sort()).toEqual(custom.map((t) => t.name).sort());
  });

  it('generates a typed document per operation from the committed schema', () => {
    const types = readFileSync(join(GENERATED, 'graphql.ts'), 'utf8');
    expect(types).toContain('export const WebsiteTeasersDocument');
    expect(types).toContain('DocumentNode<WebsiteTeasersQuery, WebsiteTeasersQueryVariables>');
  });

  it('type-checks with the options `tsc --init` writes and nothing added', () => {
    expect(format(typeCheck())).toBe('');
  });

  it('types the answer by the selection: a field the operation does not ask for is a compile error', () => {
    const probe = [
      "import { WebsiteTeasersDocument } from './generated/graphql.js';",
      "import type { ResultOf } from '@graphql-typed-document-node/core';",
      'export function summaryOf(answer: ResultOf<typeof WebsiteTeasersDocument>): string | undefined {',
      '  return answer.recommendedContent.edges[0]?.node.summary;',
      '}',
    ].join('\n');
    const diagnostics = typeCheck({ 'probe.ts': probe });
    expect(diagnostics.map((d) => d.code)).toEqual([2339]);
    expect(format(diagnostics)).toContain("Property 'summary' does not exist");
  });

  it('answers typed data from a real server with a DELIVERY key', async () => {
    const website = await clientModule();
    const send = website.createClient({ endpoint: 'http://test/graphql', key: 'cpk_demo_delivery', fetch: (url, init) => app.fetch(new URL(url).pathname, init) });
    const { teasers, alert } = await website.teasersFor(send, { segment: 'e-bike-forenzen', phase: 'attention', channel: 'social' });
    expect(teasers.map((t) => t.title)).toEqual([
      'In 30 seconden van Zeist naar de Uithof',
      'Commuting by e-bike in Utrecht: a quick guide for expats',
      'Vijf redenen om in de winter gewoon door te fietsen',
    ]);
    expect(teasers[0]).toMatchObject({ format: 'SHORT_VIDEO', why: 'Exact match for segment "E-bike-forenzen".', publishedAt: expect.any(Date) });
    expect(alert).toBeNull();
  });

  it('turns the API\'s errors into an ApiError with their codes', async () => {
    const website = await clientModule();
    const send = website.createClient({ endpoint: 'http://test/graphql', key: 'cpk_demo_delivery', fetch: (url, init) => app.fetch(new URL(url).pathname, init) });
    const failure = await website.teasersFor(send, { segment: 'nobody', phase: 'attention', channel: 'social' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(website.ApiError);
    expect((failure as ApiError).errors.map((e) => e.code)).toEqual(['BAD_USER_INPUT']);
  });
});

async function clientModule(): Promise<WebsiteClient> {
  expect(existsSync(join(GENERATED, 'graphql.ts'))).toBe(true);
  return (await import(pathToFileURL(resolve(CLIENT, 'website.ts')).href)) as WebsiteClient;
}

/** The client's program as tsc -p test/client builds it, with `extra` files beside it; its diagnostics. */
function typeCheck(extra: Record<string, string> = {}): readonly ts.Diagnostic[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(join(CLIENT, 'tsconfig.json'), { noEmit: true }, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  });
  if (!parsed) throw new Error(`${CLIENT}/tsconfig.json could not be read`);
  const extraFiles = new Map(Object.entries(extra).map(([name, text]) => [resolve(CLIENT, name), text]));
  const host = ts.createCompilerHost(parsed.options);
  const readSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, ...rest) => {
    const text = extraFiles.get(resolve(fileName));
    return text === undefined ? readSourceFile(fileName, languageVersion, ...rest) : ts.createSourceFile(fileName, text, languageVersion);
  };
  const program = ts.createProgram({ rootNames: [...parsed.fileNames, ...extraFiles.keys()], options: parsed.options, host, configFileParsingDiagnostics: parsed.errors });
  return ts.getPreEmitDiagnostics(program);
}

function format(diagnostics: readonly ts.Diagnostic[]): string {
  return ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => process.cwd(), getNewLine: () => '\n' });
}
