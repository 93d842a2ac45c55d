// Regenerates src/migrations.generated.ts from the committed migration.sql files.
import { writeFileSync } from 'node:fs';
import { GENERATED_MODULE, readMigrationsDir, renderMigrationsModule } from '../src/embed';

const migrations = readMigrationsDir();
writeFileSync(GENERATED_MODULE, renderMigrationsModule(migrations));
process.stdout.write(`embedded ${migrations.length} migration(s) into ${GENERATED_MODULE}\n`);
