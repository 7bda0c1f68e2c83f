import { readFileSync } from 'node:fs';
import { isEnumType, isInputObjectType, isInterfaceType, isObjectType, isScalarType, isUnionType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../src/schema.js';
import { printSchemaFile } from '../src/schema-file.js';

describe('the published schema', () => {
  it('schema.graphql is the printed schema (run npm run schema:print after an API change)', () => {
    expect(readFileSync('schema.graphql', 'utf8')).toBe(printSchemaFile());
  });

  it('describes every type, field, argument, input field and enum value', () => {
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)) continue;
      if (!type.description) missing.push(type.name);
      if (isObjectType(type) || isInterfaceType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of field.args) if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
      if (isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) if (!field.description) missing.push(`${type.name}.${field.name}`);
      }
      if (isEnumType(type)) {
        for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
      }
      if (isScalarType(type) || isUnionType(type)) continue;
    }
    expect(missing).toEqual([]);
  });

  it('guards every root field with a role (no field is open to anonymous callers)', () => {
    // scope-auth records its checks in the field's extensions.
    const open = [schema.getQueryType(), schema.getMutationType()].flatMap((root) =>
      Object.values(root?.getFields() ?? {})
        .filter((field) => !(field.extensions as { pothosOptions?: { authScopes?: unknown } }).pothosOptions?.authScopes)
        .map((field) => `${root?.name}.${field.name}`),
    );
    expect(open).toEqual([]);
  });

  it('pages every list that can grow with a Relay connection', () => {
    const plainLists = Object.values(schema.getQueryType()?.getFields() ?? {})
      .filter((field) => String(field.type).startsWith('['))
      .map((field) => `${field.name}: ${String(field.type)}`);
    // journeyTemplates and nodes are bounded by design: four built-in templates; the ids asked for.
    expect(plainLists.filter((f) => !/^(journeyTemplates|nodes):/.test(f))).toEqual([]);
  });
});
