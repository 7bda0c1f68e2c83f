import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/db/client.js';
import { serverSecret } from '../src/db/server-secrets.js';
import { hashId, InteractionSecrets } from '../src/interactions/secrets.js';
import { freshDatabase } from './support/databases.js';

/**
 * The secrets the server makes for itself (cursor signing) and per workspace
 * (hashing visitor and session ids): made on first use, and when several
 * instances ask at the same moment, all of them end up with the one stored.
 */
describe('stored secrets', () => {
  let one: Database;
  let other: Database;

  beforeAll(async () => {
    const config = await freshDatabase();
    one = openDatabase(config);
    other = openDatabase(config); // a second instance on the same database
    await Promise.all([one.ready, other.ready]);
  });
  afterAll(async () => {
    await one?.disconnect();
    await other?.disconnect();
  });

  it('a server secret asked for by two instances at once is made once: both get the same 256 bits', async () => {
    const secrets = await Promise.all([serverSecret(one.prisma, 'race'), serverSecret(other.prisma, 'race'), serverSecret(one.prisma, 'race'), serverSecret(other.prisma, 'race')]);
    expect(secrets[0]).toHaveLength(32);
    for (const secret of secrets) expect(secret.equals(secrets[0] as Buffer)).toBe(true);
    expect(await one.prisma.serverSecret.count({ where: { name: 'race' } })).toBe(1);
  });

  it("a workspace's interaction secret asked for by two instances at once is made once, and differs from another workspace's", async () => {
    const workspace = async (name: string) => (await one.prisma.workspace.create({ data: { name } })).id;
    const [first, second] = [await workspace('Eerste'), await workspace('Tweede')];
    const secrets = await Promise.all([new InteractionSecrets(one.prisma).of(first), new InteractionSecrets(other.prisma).of(first), new InteractionSecrets(other.prisma).of(first)]);
    for (const secret of secrets) expect(secret.equals(secrets[0] as Buffer)).toBe(true);
    expect(await one.prisma.interactionSecret.count({ where: { workspaceId: first } })).toBe(1);
    const theirs = await new InteractionSecrets(one.prisma).of(second);
    expect(hashId(theirs, 'visitor', 'v-1')).not.toBe(hashId(secrets[0] as Buffer, 'visitor', 'v-1'));
  });
});
