import { z } from 'zod';
import { requiredText } from '../config/env';
import { loggingConfigSchema } from '../logging/logging-config';

/** The primary PostgreSQL, which every process that touches the database needs. */
export const databaseConfigSchema = z.object({
  DATABASE_URL: requiredText('Primary PostgreSQL (writes), e.g. postgres://user:pass@host:5432/db.'),
});

/** Every key `migrate-cli` (`npm run migrate`, the Helm hook Job) reads. */
export const migrateConfigSchema = z.object({ ...databaseConfigSchema.shape, ...loggingConfigSchema.shape });
