import { openDatabase } from '../db/client.js';
import { databaseConfig } from '../db/config.js';
import { applyMigrations } from '../db/migrations.js';
import { CommandError, parseCommand, USAGE, UsageError } from './commands.js';

/**
 * Entry of `content-planning` (bin/content-planning.js). Exit codes: 0 done,
 * 1 the command failed, 2 the command line was wrong. Messages go to stderr
 * without stack traces; stdout carries only the answer, so --json output can
 * be piped.
 */
process.exitCode = await main(process.argv.slice(2));

async function main(argv: string[]): Promise<number> {
  try {
    const command = parseCommand(argv);
    if (!command) {
      process.stdout.write(USAGE);
      return 0;
    }
    const config = databaseConfig();
    const applied = await applyMigrations(config);
    if (applied.length > 0) process.stderr.write(`Applied migrations: ${applied.join(', ')}\n`);
    const database = openDatabase(config);
    try {
      process.stdout.write(`${await command.run(database.prisma, database.provider)}\n`);
    } finally {
      await database.disconnect();
    }
    return 0;
  } catch (error) {
    const usage = error instanceof UsageError;
    const expected = usage || error instanceof CommandError;
    const message = expected ? (error as Error).message : `Failed: ${error instanceof Error ? error.message : String(error)}`;
    process.stderr.write(`content-planning: ${message}\n${usage ? 'Run "content-planning --help" for usage.\n' : ''}`);
    return usage ? 2 : 1;
  }
}
