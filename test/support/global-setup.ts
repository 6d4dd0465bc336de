import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { migrationsFolder, openDb } from '../../db/client.js';
import { testDatabaseUrl } from '../../src/config.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated PGlite data dir (a tarball) that each test file starts its database from. */
    pgliteDataDir?: string;
    /** On a server: the migrated database each test file's database is copied from. */
    templateDatabase?: string;
  }
}

/**
 * Migrate once per run, not once per test file: each file then starts from a copy of the result
 * (a saved PGlite data dir, or a server database used as a template), which takes a fraction of
 * the time of running every migration again.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const serverUrl = testDatabaseUrl();
  if (serverUrl) {
    const name = `copro_template_${process.pid}_${Date.now().toString(36)}`;
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    // Migrate, then disconnect: a template database can only be copied while nobody is connected.
    const migrated = await openDb({ databaseUrl: url.toString(), dataDir: '', maxConnections: 1 });
    await migrated.close();
    project.provide('templateDatabase', name);
    return async () => {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    };
  }
  project.provide('pgliteDataDir', await savedPgliteDataDir());
  return async () => {};
}

/**
 * PGlite's migrated data dir, kept between runs in node_modules/.cache and named by a hash of the
 * migrations and the PGlite version, so it is rebuilt exactly when either changes.
 */
async function savedPgliteDataDir(): Promise<string> {
  const hash = createHash('sha256');
  hash.update(
    JSON.parse(readFileSync(join(root, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')).version,
  );
  for (const file of readdirSync(migrationsFolder, { recursive: true, encoding: 'utf8' }).sort()) {
    const path = join(migrationsFolder, file);
    if (statSync(path).isFile()) hash.update(file).update(readFileSync(path));
  }
  const dir = join(root, 'node_modules/.cache/copro-test-db');
  const file = join(dir, `pglite-${hash.digest('hex').slice(0, 16)}.tar.gz`);
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  const client = await PGlite.create('memory://');
  await migratePglite(drizzlePglite(client, { casing: 'snake_case' }), { migrationsFolder });
  const dump = await client.dumpDataDir('gzip');
  await client.close();
  // Written aside and renamed, so a run starting at the same moment never reads half a file.
  const partial = `${file}.${process.pid}`;
  writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
  renameSync(partial, file);
  return file;
}
