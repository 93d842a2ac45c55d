// Read by the Prisma CLI only (generate, and migrate deploy/diff on a machine with the schema engine).
// The application never loads this file: it connects through createDatabase().
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env['DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/barfinex' },
});
