import 'reflect-metadata';
import { join, relative } from 'node:path';
import { loadDescriptions, writeDocs } from '@natsmesh/docs';

/** The example's folder: dist/docs.js runs from dist/. */
const ROOT = join(__dirname, '..');

/**
 * Writes the hotel's docs (AsyncAPI, HTML, JSON, Markdown) to docs-out/, from the compiled
 * service classes alone: nothing connects to NATS, and the same code gives the same files.
 */
async function main(): Promise<void> {
  const descriptions = await loadDescriptions({ scan: 'dist/**/*.service.js', cwd: ROOT });
  const files = await writeDocs({
    descriptions,
    outDir: 'docs-out',
    cwd: ROOT,
    title: 'Hotel services',
    server: 'nats://localhost:4222',
  });
  console.log(`Documented ${descriptions.length} services in ${files.length} files:`);
  for (const f of files) console.log(`  ${relative(ROOT, f)}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
